/** Supplier quality figures from inspection counts (pure): defect rates with a Wilson interval, the alert rule. */

export interface RateCount {
  inspected: number;
  defective: number;
}

export interface Rate extends RateCount {
  /** defective / inspected (null when nothing was inspected). */
  rate: number | null;
  /** 95 % Wilson score interval of the rate. */
  low: number | null;
  high: number | null;
}

export function defectRate(c: RateCount, z = 1.96): Rate {
  const { inspected: n, defective: d } = c;
  if (n <= 0) return { ...c, rate: null, low: null, high: null };
  const p = d / n;
  const den = 1 + (z * z) / n;
  const mid = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return { ...c, rate: p, low: Math.max(0, mid - half), high: Math.min(1, mid + half) };
}

export interface AlertRule {
  /** Alert when the rate over the window is above this (0..1). */
  threshold: number;
  /** No alert on fewer inspected units than this (a single bad unit is not a trend). */
  minInspected: number;
}

export function qualityAlert(c: RateCount, rule: AlertRule): boolean {
  return c.inspected >= rule.minInspected && c.inspected > 0 && c.defective / c.inspected > rule.threshold;
}

/** Monday (UTC) of the week of a date, as YYYY-MM-DD. */
export function weekStart(d: Date): string {
  const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

/** Consecutive weeks from the first to the last (inclusive), so a chart shows weeks without inspections as gaps. */
export function weekRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); t <= end; t += 7 * 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
