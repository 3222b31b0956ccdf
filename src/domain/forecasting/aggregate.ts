import { AppError } from '../../errors.ts';
import type { Freq } from './types.ts';

export interface AggregatedSeries {
  values: Float64Array;
  /** 1 when every day of the period was out of stock. */
  outOfStock: Uint8Array;
  /** ISO date (YYYY-MM-DD) of each period's first day. */
  starts: string[];
  /** Days of the period covered by the daily input (partial first/last periods have fewer). */
  days: Uint8Array;
}

const DAY_MS = 86_400_000;

function parseDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new AppError('invalid', `invalid date "${iso}" (expected YYYY-MM-DD)`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS;
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number (days since 1970-01-01, UTC) of an ISO date; the inverse of `dayToIso`. */
export const isoToDay = parseDay;
export const dayToIso = isoDay;

/**
 * Aggregate a daily series that starts on `startDate` to weeks (starting on `weekStart`, 1 = Monday,
 * ISO) or calendar months. 'D' returns the input. Days flagged out of stock are left out and the
 * period's total is scaled up by days / in-stock days (so a half-stocked week is not half demand);
 * a period with no in-stock day keeps its observed sum and is flagged out of stock.
 */
export function aggregate(
  daily: Float64Array,
  freq: Freq,
  startDate: string,
  opts: { outOfStock?: Uint8Array; weekStart?: number } = {},
): AggregatedSeries {
  const d0 = parseDay(startDate);
  const oos = opts.outOfStock;
  const weekStart = opts.weekStart ?? 1;
  const key = (day: number): number => {
    if (freq === 'D') return day;
    if (freq === 'W') {
      const dow = (new Date(day * DAY_MS).getUTCDay() - weekStart + 7) % 7;
      return day - dow;
    }
    const dt = new Date(day * DAY_MS);
    return Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth(), 1) / DAY_MS;
  };
  const starts: string[] = [];
  const sums: number[] = [];
  const inStock: number[] = [];
  const obsAll: number[] = [];
  const days: number[] = [];
  let cur = Number.NaN;
  for (let i = 0; i < daily.length; i++) {
    const k = key(d0 + i);
    if (k !== cur) {
      cur = k;
      starts.push(isoDay(k));
      sums.push(0);
      inStock.push(0);
      obsAll.push(0);
      days.push(0);
    }
    const j = sums.length - 1;
    const v = daily[i];
    days[j]++;
    if (v !== v) continue;
    obsAll[j] += v;
    if (oos && oos[i]) continue;
    sums[j] += v;
    inStock[j]++;
  }
  const n = sums.length;
  const values = new Float64Array(n);
  const outOfStock = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    if (inStock[j] === 0 && oos) {
      values[j] = obsAll[j];
      outOfStock[j] = 1;
    } else values[j] = inStock[j] === days[j] ? sums[j] : (sums[j] * days[j]) / Math.max(1, inStock[j]);
  }
  return { values, outOfStock, starts, days: Uint8Array.from(days) };
}

/** Default season length for a frequency: a week of days, a year of weeks or months. */
export function defaultSeasonLength(freq: Freq): number {
  return freq === 'D' ? 7 : freq === 'W' ? 52 : 12;
}
