import { type GbmModel, type GbmOptions, predictGbm, trainGbm } from './gbm.model.ts';

/**
 * Global model: ONE gradient-boosted tree model trained across all series of a batch (as the M5
 * winners did), forecasting directly (no recursion) the demand k periods after an origin, divided by
 * the series' recent scale. Features (all known at the origin): horizon k, the seasonal profile at the
 * target period (pooled and own), recent means over 7/14/56/91/182 periods relative to the scale,
 * share of periods with demand, periods since the last demand, last values, same-season value last
 * cycle, log scale, series age and optional per-period covariates (price, promotion, holiday...) at
 * the target period. Missing (NaN) values are skipped in the statistics and never used as targets.
 */
export interface GlobalSeries {
  values: Float64Array;
  /** Seasonal profile (mean 1) indexed by t % m from the series start, e.g. `alignProfile(pooled, n)`. */
  profile?: Float64Array | null;
  /** Known future covariates, each the length of values + horizon (e.g. price, promo flag, holiday). */
  covariates?: Float64Array[];
}

export interface GlobalModel {
  gbm: GbmModel;
  m: number;
  nCov: number;
}

const BASE_FEATURES = 17;

function scaleAt(y: Float64Array, o: number): number {
  for (const w of [28, 91, 365]) {
    let s = 0;
    let c = 0;
    for (let t = Math.max(0, o - w); t < o; t++) if (y[t] === y[t]) { s += y[t]; c++; }
    if (c > 0 && s > 0) return s / c;
  }
  return 0;
}

function meanBack(y: Float64Array, o: number, w: number): number {
  let s = 0;
  let c = 0;
  for (let t = Math.max(0, o - w); t < o; t++) if (y[t] === y[t]) { s += y[t]; c++; }
  return c ? s / c : NaN;
}

/** Fill out[off..] with the features of (series, origin o, horizon k ≥ 1); returns the scale. */
function features(s: GlobalSeries, o: number, k: number, m: number, out: Float64Array, off: number): number {
  const y = s.values;
  const sc = scaleAt(y, o);
  const inv = sc > 0 ? 1 / sc : 0;
  const target = o + k - 1;
  let nz = 0;
  let c = 0;
  for (let t = Math.max(0, o - 91); t < o; t++) if (y[t] === y[t]) { c++; if (y[t] > 0) nz++; }
  let since = 0;
  for (let t = o - 1; t >= 0 && since < 90; t--, since++) if (y[t] > 0) break;
  const back = target - m * Math.ceil(k / m);
  let f = off;
  out[f++] = k;
  out[f++] = s.profile ? s.profile[target % s.profile.length] : 1;
  out[f++] = meanBack(y, o, 7) * inv;
  out[f++] = meanBack(y, o, 14) * inv;
  out[f++] = meanBack(y, o, 56) * inv;
  out[f++] = meanBack(y, o, 91) * inv;
  out[f++] = meanBack(y, o, 182) * inv;
  out[f++] = c ? nz / c : NaN;
  out[f++] = since;
  out[f++] = o >= 1 ? y[o - 1] * inv : NaN;
  out[f++] = o >= 2 ? y[o - 2] * inv : NaN;
  out[f++] = o >= 7 ? y[o - 7] * inv : NaN;
  out[f++] = back >= 0 ? y[back] * inv : NaN;
  out[f++] = back - m >= 0 ? y[back - m] * inv : NaN;
  out[f++] = Math.log1p(sc);
  out[f++] = Math.min(o, 730);
  out[f++] = s.profile && o >= 1 ? s.profile[(o - 1) % s.profile.length] : 1; // profile at the origin
  for (const cov of s.covariates ?? []) out[f++] = cov[target] ?? NaN;
  return sc;
}

export interface GlobalTrainOptions extends GbmOptions {
  horizon: number;
  m: number;
  /** Only targets before this period index (counted from each series' END: n - cutoffFromEnd) are used. */
  cutoffFromEnd?: number;
  /** Origins per series, stepping back by `originStep` from the cutoff (default 8 × 7). */
  originsPerSeries?: number;
  originStep?: number;
  /** Horizons sampled per origin (default 7 of 1..horizon). */
  horizonsPerOrigin?: number;
  /** Targets are clipped at this multiple of the scale (lumpy orders would dominate squared loss). */
  clip?: number;
  seed?: number;
}

export function trainGlobal(series: GlobalSeries[], opts: GlobalTrainOptions): GlobalModel {
  const H = opts.horizon;
  const m = opts.m;
  const nCov = series[0]?.covariates?.length ?? 0;
  const nFeat = BASE_FEATURES + nCov;
  const per = opts.originsPerSeries ?? 8;
  const step = opts.originStep ?? 7;
  const hs = Math.min(H, opts.horizonsPerOrigin ?? 7);
  const clip = opts.clip ?? 20;
  let seed = opts.seed ?? 1;
  const rand = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  const cap = series.length * per * hs;
  const X = new Float64Array(cap * nFeat);
  const Y = new Float64Array(cap);
  let rows = 0;
  for (const s of series) {
    const end = s.values.length - (opts.cutoffFromEnd ?? 0);
    for (let j = 0; j < per; j++) {
      const o = end - H - j * step;
      if (o < 28) break;
      for (let q = 0; q < hs; q++) {
        const k = 1 + Math.floor(rand() * H);
        const a = s.values[o + k - 1];
        if (a !== a) continue;
        const sc = features(s, o, k, m, X, rows * nFeat);
        if (!(sc > 0)) continue;
        Y[rows] = Math.min(clip, a / sc);
        rows++;
      }
    }
  }
  const gbm = trainGbm(X.subarray(0, rows * nFeat), Y.subarray(0, rows), nFeat, opts);
  return { gbm, m, nCov };
}

/** Forecast h periods after origin o (= the history length used) for one series. */
export function forecastGlobal(model: GlobalModel, s: GlobalSeries, o: number, h: number): Float64Array {
  const nFeat = BASE_FEATURES + model.nCov;
  const x = new Float64Array(nFeat);
  const out = new Float64Array(h);
  for (let k = 1; k <= h; k++) {
    const sc = features(s, o, k, model.m, x, 0);
    out[k - 1] = sc > 0 ? Math.max(0, predictGbm(model.gbm, x) * sc) : 0;
  }
  return out;
}
