/** Times of day in the configuration (FORECAST_AT). */

/** FORECAST_AT: 'HH:MM' local time (default 02:00), or 'off'. Returns null when off. */
export function parseForecastAt(v: string | undefined): { hour: number; minute: number } | null {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '') return { hour: 2, minute: 0 };
  if (['off', 'no', 'false', '0', 'never'].includes(s)) return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`configuration: FORECAST_AT: expected HH:MM (24-hour local time) or off, got "${v}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}
