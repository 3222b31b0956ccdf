import { countQuantile, normalQuantile } from './distribution.ts';
import type { Distribution } from './types.ts';

/** Spread of the forecast errors, estimated from back-test (or in-sample) errors. */
export interface Dispersion {
  distribution: Distribution;
  /** normal: error variance per period. */
  variance: number;
  /** counts: variance-to-mean ratio (≥ 1; 1 = Poisson). */
  ratio: number;
}

/** True when every observed value is a non-negative integer (unit sales): use a count distribution. */
export function isCountSeries(y: Float64Array): boolean {
  for (let t = 0; t < y.length; t++) {
    const v = y[t];
    if (v === v && (v < 0 || v !== Math.floor(v))) return false;
  }
  return true;
}

/** Estimate the dispersion from paired actuals / forecasts (NaN actuals skipped). */
export function dispersionFrom(actual: Float64Array, forecast: Float64Array, counts: boolean): Dispersion | null {
  let sse = 0;
  let sf = 0;
  let c = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    if (a !== a) continue;
    const e = a - forecast[i];
    sse += e * e;
    sf += Math.max(0, forecast[i]);
    c++;
  }
  if (c === 0) return null;
  const variance = sse / c;
  if (!counts) return { distribution: 'normal', variance, ratio: 1 };
  if (!(sf > 0)) return null;
  const ratio = Math.max(1, sse / sf);
  return { distribution: ratio > 1.05 ? 'negbin' : 'poisson', variance, ratio };
}

/** Fallback when no back-test is possible: the spread of the recent observed values around their mean. */
export function dispersionFromHistory(y: Float64Array, window: number, counts: boolean): Dispersion {
  let s = 0;
  let s2 = 0;
  let c = 0;
  for (let t = y.length - 1; t >= 0 && c < window; t--) {
    const v = y[t];
    if (v !== v) continue;
    s += v;
    s2 += v * v;
    c++;
  }
  const mean = c ? s / c : 0;
  const variance = c > 1 ? Math.max(0, (s2 - c * mean * mean) / (c - 1)) : mean;
  if (!counts) return { distribution: 'normal', variance, ratio: 1 };
  const ratio = mean > 0 ? Math.max(1, variance / mean) : 1;
  return { distribution: ratio > 1.05 ? 'negbin' : 'poisson', variance, ratio };
}

/** Quantile paths for the given levels; monotone in the level by construction. */
export function quantilePaths(mean: Float64Array, disp: Dispersion, levels: number[], nonNegative: boolean): Float64Array[] {
  return levels.map((q) => {
    const out = new Float64Array(mean.length);
    if (disp.distribution === 'normal') {
      const z = normalQuantile(q) * Math.sqrt(disp.variance);
      for (let i = 0; i < mean.length; i++) out[i] = nonNegative ? Math.max(0, mean[i] + z) : mean[i] + z;
    } else {
      for (let i = 0; i < mean.length; i++) out[i] = countQuantile(mean[i], mean[i] * disp.ratio, q);
    }
    return out;
  });
}
