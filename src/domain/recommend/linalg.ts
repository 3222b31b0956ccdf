/** Dense linear algebra over row-major Float64Array (n × n). Scalar loops, unrolled where it pays. */

/** Dot product of a[ao..ao+len) and b[bo..bo+len). */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < len; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + s2 + s3;
}

const BLOCK = 24;

/**
 * In-place Cholesky A = L Lᵀ of a symmetric positive-definite matrix (only the lower triangle is read;
 * L is written to the lower triangle, the strict upper triangle is zeroed). Throws if not SPD.
 * Rows are processed in blocks so that each finished row j is streamed once per block (cache reuse).
 */
export function cholesky(a: Float64Array, n: number): void {
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j = 0; j < i1; j++) {
      const rj = j * n;
      for (let i = Math.max(i0, j); i < i1; i++) {
        const ri = i * n;
        const s = a[ri + j] - dot(a, ri, a, rj, j);
        if (i === j) {
          if (!(s > 0)) throw new Error(`matrix not positive definite at ${i}`);
          a[ri + i] = Math.sqrt(s);
        } else a[ri + j] = s / a[rj + j];
      }
    }
    for (let i = i0; i < i1; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
  }
}

/**
 * Inverse of an SPD matrix via Cholesky: A⁻¹ = L⁻ᵀ L⁻¹. Returns the inverse (full, symmetric) in the
 * storage of `a`, which is destroyed. ~n³/2 multiply-adds, blocked for cache reuse.
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  cholesky(a, n);
  // M = L⁻¹ (lower triangular), stored transposed: u[j*n + i] = M[i][j] for i ≥ j.
  // M[i][j] = -(Σ_{k=j..i-1} L[i][k] M[k][j]) / L[i][i]
  const u = new Float64Array(n * n);
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const j1 = Math.min(n, j0 + BLOCK);
    for (let j = j0; j < j1; j++) u[j * n + j] = 1 / a[j * n + j];
    for (let i = j0 + 1; i < n; i++) {
      const ri = i * n;
      const inv = 1 / a[ri + i];
      const jEnd = Math.min(j1, i);
      for (let j = j0; j < jEnd; j++) {
        const rj = j * n;
        u[rj + i] = -dot(a, ri + j, u, rj + j, i - j) * inv;
      }
    }
  }
  // A⁻¹[p][q] = Σ_{i ≥ max(p,q)} M[i][p] M[i][q] = dot(u row p [q..n), u row q [q..n)) for q ≥ p
  const out = a;
  for (let p0 = 0; p0 < n; p0 += BLOCK) {
    const p1 = Math.min(n, p0 + BLOCK);
    for (let q = p0; q < n; q++) {
      const rq = q * n;
      const pEnd = Math.min(p1, q + 1);
      for (let p = p0; p < pEnd; p++) {
        const s = dot(u, p * n + q, u, rq + q, n - q);
        out[p * n + q] = s;
        out[rq + p] = s;
      }
    }
  }
  return out;
}

/** Solve A x = b for a small SPD A (k × k, copied) by Cholesky. */
export function spdSolve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = a.slice();
  cholesky(l, k);
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) y[i] = (b[i] - dot(l, i * k, y, 0, i)) / l[i * k + i];
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let j = i + 1; j < k; j++) s -= l[j * k + i] * x[j];
    x[i] = s / l[i * k + i];
  }
  return x;
}
