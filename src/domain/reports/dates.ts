import { AppError } from '../../errors.ts';

/** Dates as epoch days (days since 1970-01-01 UTC) — cheap to bucket, no time zones. */

const cache = new Map<string, number>();

/** 'YYYY-MM-DD' (anything after the date is ignored) or an epoch day number → epoch day. */
export function toEpochDay(d: string | number): number {
  if (typeof d === 'number') return d;
  const key = d.length > 10 ? d.slice(0, 10) : d;
  let v = cache.get(key);
  if (v === undefined) {
    const ms = Date.UTC(+key.slice(0, 4), +key.slice(5, 7) - 1, +key.slice(8, 10));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(key) || Number.isNaN(ms)) throw new AppError('invalid', `bad date: ${d}`, 'date');
    v = Math.round(ms / 86_400_000);
    if (cache.size > 100_000) cache.clear();
    cache.set(key, v);
  }
  return v;
}

export function fromEpochDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Monday of the ISO week containing `day`. */
export function weekStart(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** First day of the calendar month containing `day`. */
export function monthStart(day: number): number {
  const dt = new Date(day * 86_400_000);
  return Math.round(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth(), 1) / 86_400_000);
}

export type Period = 'day' | 'week' | 'month';

export function periodStart(day: number, period: Period): number {
  return period === 'day' ? day : period === 'week' ? weekStart(day) : monthStart(day);
}

/** Start of the period after the one starting at `start`. */
export function nextPeriod(start: number, period: Period): number {
  if (period === 'day') return start + 1;
  if (period === 'week') return start + 7;
  const dt = new Date(start * 86_400_000);
  return Math.round(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 1) / 86_400_000);
}

/** Period starts covering [from, to] (epoch days, inclusive). */
export function periodStarts(from: number, to: number, period: Period): number[] {
  const out: number[] = [];
  for (let s = periodStart(from, period); s <= to; s = nextPeriod(s, period)) out.push(s);
  return out;
}
