/**
 * Implicit ALS (Hu, Koren, Volinsky 2008) with confidence c = 1 + α·log(1 + r/ε), preference 1 for every
 * observed pair, solved per user / item by a few warm-started conjugate-gradient steps (Takács et al. 2011),
 * so a sweep costs O(nnz·k·steps + (users + items)·k²) instead of a k³ solve per row.
 */
import { rng } from './evaluate.ts';
import { dot } from './linalg.ts';
import { mapValues, transpose } from './sparse.ts';
import type { Csr } from './types.ts';

/** Defaults were tuned on the Online Retail validation window (see docs/recommendations.md). */
export interface IalsOptions {
  /** Default 64. */
  factors?: number;
  /** Full sweeps (users then items). Default 10. */
  iterations?: number;
  /** L2 regularisation λ. Default 30. */
  lambda?: number;
  /** Confidence scale α. Default 3. */
  alpha?: number;
  /** Count scale ε in c = 1 + α·log(1 + r/ε). Default 1. */
  epsilon?: number;
  /** Conjugate-gradient steps per row and sweep. Default 3. */
  cgSteps?: number;
  seed?: number;
  /** Called after each sweep with the iteration number and, when `trackLoss`, the objective. */
  onIteration?: (it: number, loss: number | null) => void;
  trackLoss?: boolean;
}

export interface IalsModel {
  k: number;
  /** users × k and items × k, row-major. */
  userFactors: Float64Array;
  itemFactors: Float64Array;
}

/** Confidence minus one, per observed cell: α·log(1 + r/ε). */
export function confidence(r: Csr, alpha: number, epsilon: number): Csr {
  return mapValues(r, (v) => alpha * Math.log(1 + v / epsilon));
}

function gram(f: Float64Array, rows: number, k: number, lambda: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const fa = f[o + a];
      if (fa === 0) continue;
      const ga = a * k;
      for (let b = 0; b < k; b++) g[ga + b] += fa * f[o + b];
    }
  }
  for (let a = 0; a < k; a++) g[a * k + a] += lambda;
  return g;
}

/** One half-sweep: update the rows of `x` (e.g. users) given fixed `y` (items) and c−1 in `cm1` (x-rows × y-rows). */
function solveSide(x: Float64Array, y: Float64Array, yRows: number, cm1: Csr, k: number, lambda: number, steps: number): void {
  const g = gram(y, yRows, k, lambda);
  const r = new Float64Array(k);
  const p = new Float64Array(k);
  const ap = new Float64Array(k);
  for (let u = 0; u < cm1.rows; u++) {
    const xo = u * k;
    const a0 = cm1.indptr[u];
    const a1 = cm1.indptr[u + 1];
    // r = b − A x, with b = Σ c_ui y_i and A x = G x + Σ (c_ui − 1) y_i (y_i·x)
    for (let a = 0; a < k; a++) r[a] = -dot(g, a * k, x, xo, k);
    for (let q = a0; q < a1; q++) {
      const yo = cm1.indices[q] * k;
      const c1 = cm1.data[q];
      const coef = c1 + 1 - c1 * dot(y, yo, x, xo, k);
      for (let a = 0; a < k; a++) r[a] += coef * y[yo + a];
    }
    p.set(r);
    let rr = dot(r, 0, r, 0, k);
    for (let s = 0; s < steps && rr > 1e-12; s++) {
      for (let a = 0; a < k; a++) ap[a] = dot(g, a * k, p, 0, k);
      for (let q = a0; q < a1; q++) {
        const yo = cm1.indices[q] * k;
        const coef = cm1.data[q] * dot(y, yo, p, 0, k);
        for (let a = 0; a < k; a++) ap[a] += coef * y[yo + a];
      }
      const alpha = rr / dot(p, 0, ap, 0, k);
      for (let a = 0; a < k; a++) {
        x[xo + a] += alpha * p[a];
        r[a] -= alpha * ap[a];
      }
      const rrNew = dot(r, 0, r, 0, k);
      const beta = rrNew / rr;
      for (let a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
      rr = rrNew;
    }
  }
}

/**
 * Objective Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(‖X‖² + ‖Y‖²), over all cells (unobserved: c = 1, p = 0),
 * computed as tr((XᵀX)(YᵀY)) plus corrections on the observed cells.
 */
export function ialsLoss(m: IalsModel, cm1: Csr, lambda: number): number {
  const { k, userFactors: x, itemFactors: y } = m;
  const gx = gram(x, cm1.rows, k, 0);
  const gy = gram(y, cm1.cols, k, 0);
  let loss = dot(gx, 0, gy, 0, k * k);
  for (let u = 0; u < cm1.rows; u++) {
    for (let q = cm1.indptr[u]; q < cm1.indptr[u + 1]; q++) {
      const s = dot(x, u * k, y, cm1.indices[q] * k, k);
      const c = 1 + cm1.data[q];
      loss += c * (1 - s) * (1 - s) - s * s;
    }
  }
  return loss + lambda * (dot(x, 0, x, 0, x.length) + dot(y, 0, y, 0, y.length));
}

/** Trains on a users × items count matrix. */
export function trainIals(counts: Csr, opts: IalsOptions = {}): IalsModel {
  const k = opts.factors ?? 64;
  const iterations = opts.iterations ?? 10;
  const lambda = opts.lambda ?? 30;
  const steps = opts.cgSteps ?? 3;
  const cm1 = confidence(counts, opts.alpha ?? 3, opts.epsilon ?? 1);
  const cm1T = transpose(cm1);
  const rand = rng(opts.seed ?? 1);
  const init = (n: number) => Float64Array.from({ length: n * k }, () => (rand() - 0.5) * 0.02);
  const m: IalsModel = { k, userFactors: init(counts.rows), itemFactors: init(counts.cols) };
  for (let it = 0; it < iterations; it++) {
    solveSide(m.userFactors, m.itemFactors, counts.cols, cm1, k, lambda, steps);
    solveSide(m.itemFactors, m.userFactors, counts.rows, cm1T, k, lambda, steps);
    opts.onIteration?.(it, opts.trackLoss ? ialsLoss(m, cm1, lambda) : null);
  }
  return m;
}

/** Adds score(u, j) = x_u·y_j into `out`. */
export function scoreIals(m: IalsModel, user: number, out: Float64Array): void {
  const { k, userFactors: x, itemFactors: y } = m;
  const n = y.length / k;
  for (let j = 0; j < n; j++) out[j] += dot(x, user * k, y, j * k, k);
}
