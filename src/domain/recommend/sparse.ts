/** Sparse-matrix and top-k helpers over typed arrays. */
import type { Csr, IdIndex } from './types.ts';

export function buildIndex(ids: ArrayLike<number>): IdIndex {
  const index = new Map<number, number>();
  const list: number[] = [];
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (!index.has(id)) {
      index.set(id, list.length);
      list.push(id);
    }
  }
  return { ids: Float64Array.from(list), index };
}

/** CSR from (row, col, value) triplets; duplicates are summed; columns sorted within each row. */
export function csrFromTriplets(
  rows: number,
  cols: number,
  r: ArrayLike<number>,
  c: ArrayLike<number>,
  v: ArrayLike<number> | null,
): Csr {
  const n = r.length;
  const count = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) count[r[k] + 1]++;
  for (let i = 0; i < rows; i++) count[i + 1] += count[i];
  const pos = count.slice(0, rows);
  const ci = new Int32Array(n);
  const cv = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = pos[r[k]]++;
    ci[p] = c[k];
    cv[p] = v ? v[k] : 1;
  }
  // sort within each row and merge duplicates
  const indptr = new Int32Array(rows + 1);
  const outI: number[] = [];
  const outV: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = count[i];
    const b = count[i + 1];
    order.length = 0;
    for (let p = a; p < b; p++) order.push(p);
    order.sort((x, y) => ci[x] - ci[y]);
    let last = -1;
    for (const p of order) {
      if (ci[p] === last) outV[outV.length - 1] += cv[p];
      else {
        outI.push(ci[p]);
        outV.push(cv[p]);
        last = ci[p];
      }
    }
    indptr[i + 1] = outI.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(outI), data: Float64Array.from(outV) };
}

export function transpose(m: Csr): Csr {
  const nnz = m.indptr[m.rows];
  const count = new Int32Array(m.cols + 1);
  for (let p = 0; p < nnz; p++) count[m.indices[p] + 1]++;
  for (let j = 0; j < m.cols; j++) count[j + 1] += count[j];
  const pos = count.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const q = pos[m.indices[p]]++;
      indices[q] = i;
      data[q] = m.data[p];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr: count, indices, data };
}

/** Same pattern, values replaced by f(value). */
export function mapValues(m: Csr, f: (v: number) => number): Csr {
  const data = new Float64Array(m.data.length);
  for (let p = 0; p < data.length; p++) data[p] = f(m.data[p]);
  return { ...m, data };
}

/** Value at (i, j) or 0 (binary search in row i). */
export function csrGet(m: Csr, i: number, j: number): number {
  let lo = m.indptr[i];
  let hi = m.indptr[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid];
    if (c === j) return m.data[mid];
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * Indices of the k largest finite scores (descending), skipping indices where skip(i) is true
 * and scores that are -Infinity / NaN. O(n log k) with a small sorted buffer.
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s > -Infinity)) continue;
    if (idx.length === k && s <= val[k - 1]) continue;
    if (skip && skip(i)) continue;
    let p = idx.length < k ? idx.length : k - 1;
    if (idx.length < k) {
      idx.push(i);
      val.push(s);
    }
    while (p > 0 && val[p - 1] < s) {
      idx[p] = idx[p - 1];
      val[p] = val[p - 1];
      p--;
    }
    idx[p] = i;
    val[p] = s;
  }
  return idx;
}

/** Sparse top-k neighbour lists (one row per item), e.g. for item-kNN and frequently-bought-together. */
export interface Neighbours {
  k: number;
  /** row-major n × k; -1 where a row has fewer than k neighbours. */
  idx: Int32Array;
  sim: Float32Array;
}

/**
 * Cosine similarity between the rows of `m` (e.g. items × users), keeping the top k per row.
 * sim(i, j) = dot(i, j) / (|i|^alpha |j|^(1-alpha) + shrink). alpha = 0.5 is plain cosine.
 * Cost ~ sum over columns of (column count)^2.
 */
export function rowCosineTopK(
  m: Csr,
  k: number,
  opts: { shrink?: number; alpha?: number; minCount?: number } = {},
): Neighbours {
  const { shrink = 0, alpha = 0.5, minCount = 1 } = opts;
  const t = transpose(m);
  const n = m.rows;
  const norm2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) s += m.data[p] * m.data[p];
    norm2[i] = s;
  }
  const acc = new Float64Array(n);
  const cnt = new Int32Array(n);
  const touched = new Int32Array(n);
  const idx = new Int32Array(n * k).fill(-1);
  const sim = new Float32Array(n * k);
  const cand = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let nt = 0;
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const u = m.indices[p];
      const w = m.data[p];
      for (let q = t.indptr[u]; q < t.indptr[u + 1]; q++) {
        const j = t.indices[q];
        if (j === i) continue;
        if (cnt[j] === 0) touched[nt++] = j;
        cnt[j]++;
        acc[j] += w * t.data[q];
      }
    }
    cand.fill(-Infinity);
    const ni = Math.pow(norm2[i], alpha);
    for (let a = 0; a < nt; a++) {
      const j = touched[a];
      if (cnt[j] >= minCount) cand[j] = acc[j] / (ni * Math.pow(norm2[j], 1 - alpha) + shrink);
      acc[j] = 0;
      cnt[j] = 0;
    }
    const top = topK(cand, k);
    for (let a = 0; a < top.length; a++) {
      idx[i * k + a] = top[a];
      sim[i * k + a] = cand[top[a]];
    }
  }
  return { k, idx, sim };
}
