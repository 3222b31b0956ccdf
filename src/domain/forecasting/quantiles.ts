import { countQuantile, normalQuantile } from './distribution.ts';
import type { Distribution } from './types.ts';

/** Spread of the forecast errors, estimated from back-test (or in-sample) errors. */
export interface Dispersion {
  distribution: Distribution;
  /** normal: error variance per period. */
  variance: number;
  /** counts: variance-to-mean ratio (≥ 1; 1 = Poisson). */
  ratio: number;
  /** normal: sorted back-test errors (actual − forecast); when there are enough, quantiles use them. */
  residuals?: Float64Array;
}

/** Fewest back-test errors for empirical (split-conformal) quantiles instead of the normal shape. */
export const MIN_RESIDUALS = 30;

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const RATIO_GRID = [1, 1.3, 1.7, 2.2, 3, 4, 5.5, 7.5, 10, 14, 20, 28, 40, 60, 90, 140, 256];

/**
 * Negative-binomial log-likelihood (up to a constant) of back-test actuals given the back-test
 * forecasts as means, for every ratio of RATIO_GRID (var = ratio·mean; 1 = Poisson), split into
 * `segments` equal parts (the folds): row s holds segment s. Forecasts of 0 are floored at a small
 * rate so that an unexpected sale is unlikely, not impossible. Likelihoods add over segments, so one
 * table gives the full fit and every leave-one-fold-out fit.
 */
export function countLogLikTable(actual: Float64Array, forecast: Float64Array, segments = 1): Float64Array {
  const G = RATIO_GRID.length;
  const table = new Float64Array(segments * G);
  let sf = 0;
  let c = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === actual[i]) { sf += Math.max(0, forecast[i]); c++; }
  if (c === 0) return table;
  const floor = Math.max(1e-3, (0.05 * sf) / c);
  const len = actual.length / segments;
  for (let g = 0; g < G; g++) {
    const ratio = RATIO_GRID[g];
    const lq = Math.log(1 / ratio);
    const l1q = Math.log(1 - 1 / ratio);
    for (let i = 0; i < actual.length; i++) {
      const a = actual[i];
      if (a !== a) continue;
      const mu = Math.max(floor, forecast[i]);
      let ll = 0;
      if (ratio === 1) ll = a * Math.log(mu) - mu;
      else {
        // log Γ(a + r) − log Γ(r) = Σ_{j<a} log(r + j) for integer a; log(a!) is the same for every ratio.
        const r = mu / (ratio - 1);
        if (a > 4) ll = logGamma(a + r) - logGamma(r);
        else for (let j = 0; j < a; j++) ll += Math.log(r + j);
        ll += r * lq + a * l1q;
      }
      table[Math.floor(i / len) * G + g] += ll;
    }
  }
  return table;
}

/** Maximum-likelihood ratio from a `countLogLikTable`, optionally leaving one segment out. */
export function bestRatio(table: Float64Array, exclude = -1): number {
  const G = RATIO_GRID.length;
  const S = table.length / G;
  let best = 1;
  let bestLl = -Infinity;
  for (let g = 0; g < G; g++) {
    let ll = 0;
    for (let s = 0; s < S; s++) if (s !== exclude) ll += table[s * G + g];
    if (ll > bestLl) {
      bestLl = ll;
      best = RATIO_GRID[g];
    }
  }
  return best;
}

/** Variance-to-mean ratio of a negative binomial by maximum likelihood (grid; 1 = Poisson). */
export function fitCountRatio(actual: Float64Array, forecast: Float64Array): number {
  return bestRatio(countLogLikTable(actual, forecast, 1));
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
/** `ratio` (counts only) skips the likelihood fit when it was computed already (see countLogLikTable). */
export function dispersionFrom(actual: Float64Array, forecast: Float64Array, counts: boolean, ratio?: number): Dispersion | null {
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
  if (!counts) {
    let residuals: Float64Array | undefined;
    if (c >= MIN_RESIDUALS) {
      residuals = new Float64Array(c);
      let j = 0;
      for (let i = 0; i < actual.length; i++) if (actual[i] === actual[i]) residuals[j++] = actual[i] - forecast[i];
      residuals.sort();
    }
    return { distribution: 'normal', variance, ratio: 1, residuals };
  }
  if (!(sf > 0)) return null;
  const r = ratio ?? fitCountRatio(actual, forecast);
  return { distribution: r > 1 ? 'negbin' : 'poisson', variance, ratio: r };
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
      const r = disp.residuals;
      // Split-conformal: the ⌈(n+1)q⌉-th smallest back-test error; normal shape when too few errors.
      // The errors are centred on their median: the spread comes from the back-test, the centre stays
      // the model's point forecast (a back-test bias is too noisy to correct per series).
      const at = (p: number): number => r![Math.max(0, Math.min(r!.length - 1, Math.ceil((r!.length + 1) * p) - 1))];
      const z = r && r.length >= MIN_RESIDUALS ? (q === 0.5 ? 0 : at(q) - at(0.5)) : normalQuantile(q) * Math.sqrt(disp.variance);
      for (let i = 0; i < mean.length; i++) out[i] = nonNegative ? Math.max(0, mean[i] + z) : mean[i] + z;
    } else {
      for (let i = 0; i < mean.length; i++) out[i] = countQuantile(mean[i], mean[i] * disp.ratio, q);
    }
    return out;
  });
}
