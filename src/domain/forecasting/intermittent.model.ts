/**
 * Intermittent-demand methods: Croston, SBA (Syntetos-Boylan approximation), TSB (Teunter-Syntetos-
 * Babai), ADIDA and IMAPA (temporal aggregation). All return a flat per-period demand rate.
 * Missing (NaN, out-of-stock) periods are skipped: they neither count as zero demand nor lengthen
 * the interval between demands.
 */

/** statsforecast-style SES over a short array: first value as start, returns the next-step forecast. */
function sesNext(x: ArrayLike<number>, len: number, alpha: number): number {
  if (len === 0) return 0;
  let f = x[0];
  for (let i = 0; i < len; i++) f = alpha * x[i] + (1 - alpha) * f;
  return f;
}

/** Croston's method: SES (α) on non-zero demand sizes and on inter-demand intervals; rate = size / interval. */
export function crostonRate(y: Float64Array, alpha = 0.1): number {
  const sizes: number[] = [];
  const intervals: number[] = [];
  let gap = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t];
    if (v !== v) continue;
    gap++;
    if (v > 0) {
      sizes.push(v);
      intervals.push(gap);
      gap = 0;
    }
  }
  if (sizes.length === 0) return 0;
  const z = sesNext(sizes, sizes.length, alpha);
  const p = sesNext(intervals, intervals.length, alpha);
  return p > 0 ? z / p : 0;
}

/** SBA: Croston debiased by (1 - α/2). */
export function sbaRate(y: Float64Array, alpha = 0.1): number {
  return crostonRate(y, alpha) * (1 - alpha / 2);
}

const TSB_ALPHA_D = [0.05, 0.1, 0.3];
const TSB_ALPHA_P = [0.02, 0.05, 0.1, 0.3];

/**
 * TSB: demand probability p updated every period (α_p), size z updated on demand (α_d); rate = p·z.
 * (α_d, α_p) chosen on a small grid by in-sample one-step squared error.
 */
export function tsbRate(y: Float64Array, fixed?: { alphaD: number; alphaP: number }): number {
  let nz = 0;
  let obs = 0;
  let sum = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t];
    if (v !== v) continue;
    obs++;
    if (v > 0) {
      nz++;
      sum += v;
    }
  }
  if (nz === 0) return 0;
  const p0 = nz / obs;
  const z0 = sum / nz;
  const ads = fixed ? [fixed.alphaD] : TSB_ALPHA_D;
  const aps = fixed ? [fixed.alphaP] : TSB_ALPHA_P;
  const G = ads.length * aps.length;
  // All (α_d, α_p) pairs run side by side in one pass over the data.
  const ad = new Float64Array(G);
  const ap = new Float64Array(G);
  for (let i = 0; i < ads.length; i++)
    for (let j = 0; j < aps.length; j++) {
      ad[i * aps.length + j] = ads[i];
      ap[i * aps.length + j] = aps[j];
    }
  const p = new Float64Array(G).fill(p0);
  const z = new Float64Array(G).fill(z0);
  const sse = new Float64Array(G);
  for (let t = 0; t < y.length; t++) {
    const v = y[t];
    if (v !== v) continue;
    if (v > 0) {
      for (let g = 0; g < G; g++) {
        const e = v - p[g] * z[g];
        sse[g] += e * e;
        p[g] += ap[g] * (1 - p[g]);
        z[g] += ad[g] * (v - z[g]);
      }
    } else {
      for (let g = 0; g < G; g++) {
        const f = p[g] * z[g];
        sse[g] += f * f;
        p[g] -= ap[g] * p[g];
      }
    }
  }
  let best = 0;
  for (let g = 1; g < G; g++) if (sse[g] < sse[best]) best = g;
  return p[best] * z[best];
}

const SES_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.65, 0.9];

/**
 * SES with α chosen from a grid by one-step squared error, all grid values run in ONE pass over the
 * data (9 states side by side): ~10× cheaper than a line search, and the loss is flat near its
 * optimum anyway. Returns the next-step forecast (the final level).
 */
export function sesOptimizedNext(x: Float64Array): number {
  // Start from the mean of the first (up to) 10 observed values, not the first one: an item's series
  // begins with its first sale, which would bias the start level upward.
  let first = 0;
  let c0 = 0;
  for (let i = 0; i < x.length && c0 < 10; i++)
    if (x[i] === x[i]) {
      first += x[i];
      c0++;
    }
  if (c0 === 0) return 0;
  first /= c0;
  const G = SES_GRID.length;
  const lv = new Float64Array(G).fill(first);
  const sse = new Float64Array(G);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) continue;
    for (let g = 0; g < G; g++) {
      const e = v - lv[g];
      sse[g] += e * e;
      lv[g] += SES_GRID[g] * e;
    }
  }
  let best = 0;
  for (let g = 1; g < G; g++) if (sse[g] < sse[best]) best = g;
  return lv[best];
}

/**
 * Sum non-overlapping blocks of k periods, aligned to the END of the series (the last block is
 * complete). Blocks with missing periods are scaled up by k / observed; all-missing blocks are NaN.
 */
export function aggregateBlocks(y: Float64Array, k: number): Float64Array {
  const nb = Math.floor(y.length / k);
  const out = new Float64Array(nb);
  const off = y.length - nb * k;
  for (let b = 0; b < nb; b++) {
    let s = 0;
    let c = 0;
    for (let i = 0; i < k; i++) {
      const v = y[off + b * k + i];
      if (v === v) {
        s += v;
        c++;
      }
    }
    out[b] = c === 0 ? NaN : (s * k) / c;
  }
  return out;
}

/** ADIDA: aggregate to blocks of k periods (default: the rounded ADI), SES there, spread back evenly. */
export function adidaRate(y: Float64Array, k: number): number {
  const kk = Math.max(1, Math.min(Math.round(k), Math.floor(y.length / 2) || 1));
  const agg = aggregateBlocks(y, kk);
  if (agg.length === 0) return 0;
  return sesOptimizedNext(agg) / kk;
}

/** IMAPA: mean of the ADIDA rates over aggregation levels 1..maxK. */
export function imapaRate(y: Float64Array, maxK: number): number {
  const top = Math.max(1, Math.min(Math.round(maxK), 12));
  let s = 0;
  for (let k = 1; k <= top; k++) s += adidaRate(y, k);
  return s / top;
}
