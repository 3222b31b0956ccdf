import { AppError } from '../../errors.ts';

/** Small numeric helpers shared by the markdown and reports domains. */

export function invalid(message: string, field?: string): never {
  throw new AppError('invalid', message, field);
}

export function sumRange(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = Math.max(0, from); i < Math.min(a.length, to); i++) s += a[i];
  return s;
}

export function meanOf(a: ArrayLike<number>): number {
  return a.length === 0 ? NaN : sumRange(a) / a.length;
}

/** Sample standard deviation (n − 1); NaN for fewer than two values. */
export function sdOf(a: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  const m = meanOf(a);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** Linear-interpolated quantile (type 7) of a numeric array; does not modify the input. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const a = Float64Array.from(values).sort();
  if (a.length === 0) return NaN;
  const h = (a.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return a[lo] + (h - lo) * (a[hi] - a[lo]);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Sum daily values into buckets of `periodDays` ending at `end` (exclusive), newest bucket last.
 * Incomplete leading bucket is dropped so every bucket has the same length. */
export function bucketSums(daily: ArrayLike<number>, periodDays: number, end = daily.length): Float64Array {
  const n = Math.floor(end / periodDays);
  const out = new Float64Array(n);
  const start = end - n * periodDays;
  for (let b = 0; b < n; b++) out[b] = sumRange(daily, start + b * periodDays, start + (b + 1) * periodDays);
  return out;
}

/** Standard normal density and CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
export function normCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
