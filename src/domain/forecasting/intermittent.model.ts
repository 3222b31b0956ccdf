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

const TSB_ALPHA_D = [0.05, 0.1, 0.2, 0.3];
const TSB_ALPHA_P = [0.02, 0.05, 0.1, 0.2, 0.3];

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
  const runTsb = (ad: number, ap: number, out: { sse: number; rate: number }): void => {
    let p = p0;
    let z = z0;
    let sse = 0;
    for (let t = 0; t < y.length; t++) {
      const v = y[t];
      if (v !== v) continue;
      const e = v - p * z;
      sse += e * e;
      if (v > 0) {
        p += ap * (1 - p);
        z += ad * (v - z);
      } else p -= ap * p;
    }
    out.sse = sse;
    out.rate = p * z;
  };
  const r = { sse: 0, rate: 0 };
  if (fixed) {
    runTsb(fixed.alphaD, fixed.alphaP, r);
    return r.rate;
  }
  let bestSse = Infinity;
  let bestRate = 0;
  for (const ad of TSB_ALPHA_D)
    for (const ap of TSB_ALPHA_P) {
      runTsb(ad, ap, r);
      if (r.sse < bestSse) {
        bestSse = r.sse;
        bestRate = r.rate;
      }
    }
  return bestRate;
}

/** SES with α chosen by golden-section search on one-step squared error; returns the next-step forecast. */
export function sesOptimizedNext(x: Float64Array): number {
  let first = NaN;
  for (let i = 0; i < x.length; i++)
    if (x[i] === x[i]) {
      first = x[i];
      break;
    }
  if (first !== first) return 0;
  const run = (alpha: number, wantForecast: boolean): number => {
    let f = first;
    let sse = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) continue;
      const e = v - f;
      sse += e * e;
      f += alpha * e;
    }
    return wantForecast ? f : sse;
  };
  let a = 0.01;
  let b = 0.99;
  const g = 0.6180339887;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = run(c, false);
  let fd = run(d, false);
  for (let it = 0; it < 18; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = run(c, false);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = run(d, false);
    }
  }
  return run((a + b) / 2, true);
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
