/** Evaluation metrics shared by the vision benches and tests (pure). */

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

/** Binary confusion summary; `truth`/`pred` are booleans for the positive class. */
export function binarySummary(truth: boolean[], pred: boolean[]) {
  let tp = 0, tn = 0, fp = 0, fn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] && pred[i]) tp++;
    else if (truth[i]) fn++;
    else if (pred[i]) fp++;
    else tn++;
  }
  const n = truth.length;
  const recallPos = tp + fn ? tp / (tp + fn) : Number.NaN;
  const recallNeg = tn + fp ? tn / (tn + fp) : Number.NaN;
  return {
    n,
    accuracy: n ? (tp + tn) / n : Number.NaN,
    recallPos,
    recallNeg,
    precisionPos: tp + fp ? tp / (tp + fp) : Number.NaN,
    balancedAccuracy: (recallPos + recallNeg) / 2,
  };
}

/** ROC AUC by the rank-sum (Mann-Whitney) statistic, ties counted half. */
export function rocAuc(truth: boolean[], score: number[]): number {
  const idx = score.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(score.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k][1]] = r;
    i = j + 1;
  }
  let nPos = 0, sumPos = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i]) { nPos++; sumPos += ranks[i]; }
  const nNeg = truth.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (sumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Deterministic string hash (FNV-1a 32-bit) → [0, 1): for reproducible splits without a RNG. */
export function hashUnit(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

export { mulberry32 } from '../shared/random.ts';

/** Mean binary log-loss of probabilities for the positive class. */
export function logLoss(truth: boolean[], p: number[], eps = 1e-6): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    s -= truth[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(1, truth.length);
}

/**
 * Expected calibration error of the predicted class's confidence (max(p, 1−p)) over `bins` equal-width
 * bins: how far "90 % confident" is from being right 90 % of the time.
 */
export function expectedCalibrationError(truth: boolean[], p: number[], bins = 10): number {
  const cnt = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  for (let i = 0; i < truth.length; i++) {
    const c = Math.max(p[i], 1 - p[i]);
    const b = Math.min(bins - 1, Math.floor((c - 0.5) * 2 * bins));
    cnt[b]++;
    conf[b] += c;
    hit[b] += (p[i] >= 0.5) === truth[i] ? 1 : 0;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]) e += (cnt[b] / truth.length) * Math.abs(conf[b] / cnt[b] - hit[b] / cnt[b]);
  return e;
}

/** Wilson score interval for a binomial proportion (95 % by default): {lo, hi}; NaNs for n = 0. */
export function wilson(successes: number, n: number, z = 1.959964): { lo: number; hi: number } {
  if (n <= 0) return { lo: Number.NaN, hi: Number.NaN };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}
