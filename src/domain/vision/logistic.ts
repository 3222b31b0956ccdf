/**
 * L2-regularised (weighted) logistic regression fitted by Newton / IRLS (pure).
 * Features are standardised inside (means/scales are part of the model) so one `l2` works across
 * feature sets. Dense Cholesky solve: fine up to ~1,000 features.
 */
export interface LogisticModel {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

export interface LogisticFitOptions {
  /** L2 penalty on the (standardised) weights, not on the bias. */
  l2?: number;
  /** Per-sample weights; `balanced: true` sets them so each class weighs the same in total. */
  sampleWeights?: number[];
  balanced?: boolean;
  maxIterations?: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(p: number, eps = 1e-6): number {
  const q = Math.min(1 - eps, Math.max(eps, p));
  return Math.log(q / (1 - q));
}

function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  // a is n×n symmetric positive definite (row-major); in-place lower factor.
  const l = new Float64Array(a);
  for (let j = 0; j < n; j++) {
    let d = l[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (d <= 1e-12) d = 1e-12;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

export function fitLogistic(x: ArrayLike<number>[], y: ArrayLike<number>, opts: LogisticFitOptions = {}): LogisticModel {
  const n = x.length;
  if (n === 0) throw new Error('fitLogistic: no samples');
  const d = x[0].length;
  const l2 = opts.l2 ?? 1;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < d; j++) scale[j] += (row[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) || 1;

  let sw: number[];
  if (opts.sampleWeights) sw = opts.sampleWeights.slice();
  else if (opts.balanced) {
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i] > 0.5 ? 1 : 0;
    const neg = n - pos;
    sw = Array.from({ length: n }, (_, i) => (y[i] > 0.5 ? n / (2 * Math.max(1, pos)) : n / (2 * Math.max(1, neg))));
  } else sw = new Array<number>(n).fill(1);

  // Standardised design with a trailing 1 for the bias.
  const p = d + 1;
  const z = x.map((row) => {
    const r = new Float64Array(p);
    for (let j = 0; j < d; j++) r[j] = (row[j] - mean[j]) / scale[j];
    r[d] = 1;
    return r;
  });
  let w = new Float64Array(p);
  const maxIt = opts.maxIterations ?? 50;
  for (let it = 0; it < maxIt; it++) {
    const h = new Float64Array(p * p);
    const g = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const r = z[i];
      let s = 0;
      for (let j = 0; j < p; j++) s += r[j] * w[j];
      const mu = sigmoid(s);
      const wi = sw[i];
      const gi = wi * (mu - y[i]);
      const hi = wi * Math.max(mu * (1 - mu), 1e-9);
      for (let j = 0; j < p; j++) {
        g[j] += gi * r[j];
        const hr = hi * r[j];
        if (hr === 0) continue;
        for (let k = 0; k <= j; k++) h[j * p + k] += hr * r[k];
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) h[k * p + j] = h[j * p + k];
    for (let j = 0; j < d; j++) {
      g[j] += l2 * w[j];
      h[j * p + j] += l2;
    }
    h[d * p + d] += 1e-9;
    const step = choleskySolve(h, g, p);
    let maxStep = 0;
    const next = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      next[j] = w[j] - step[j];
      maxStep = Math.max(maxStep, Math.abs(step[j]));
    }
    w = next;
    if (maxStep < 1e-7) break;
  }
  return { mean, scale, weights: Array.from(w.subarray(0, d)), bias: w[d] };
}

export function logisticScore(m: LogisticModel, row: ArrayLike<number>): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j] * ((row[j] - m.mean[j]) / m.scale[j]);
  return s;
}

export function predictLogistic(m: LogisticModel, row: ArrayLike<number>): number {
  return sigmoid(logisticScore(m, row));
}
