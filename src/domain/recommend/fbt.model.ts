/**
 * Frequently bought together: cosine similarity of items over baskets (orders), top-k per item.
 * sim(i, j) = n_ij / (n_i^α · n_j^(1−α) + shrink), n = number of baskets; α = 0.5 is cosine.
 */
import { decay, type InteractionData } from './interactions.ts';
import { csrFromTriplets, rowCosineTopK, type Neighbours } from './sparse.ts';
import { DAY_MS } from './types.ts';

export interface FbtOptions {
  k?: number;
  shrink?: number;
  alpha?: number;
  /** Pairs seen in fewer baskets are ignored. Default 2. */
  minCount?: number;
  /** Half-life of a basket's weight (ms), so that recent co-purchases count more. Default 180 days. */
  halfLife?: number;
  /** Contributions are sim^power (power > 1 favours the strongest pairs). Default 3. */
  power?: number;
}

export interface FbtModel {
  neighbours: Neighbours;
  /** Number of baskets containing each item. */
  baskets: Int32Array;
}

export function trainFbt(d: InteractionData, opts: FbtOptions = {}): FbtModel {
  const nItems = d.items.ids.length;
  const halfLife = opts.halfLife ?? 180 * DAY_MS;
  // basket weight from its (latest) time; duplicates within a basket collapse to one
  const bt = new Float64Array(d.nBaskets);
  for (let k = 0; k < d.b.length; k++) if (d.t[k] > bt[d.b[k]]) bt[d.b[k]] = d.t[k];
  const v = new Float64Array(d.b.length);
  for (let k = 0; k < v.length; k++) v[k] = decay(d.now - bt[d.b[k]], halfLife);
  const raw = csrFromTriplets(nItems, d.nBaskets, d.i, d.b, v);
  // collapse duplicate lines of the same item in one basket to the basket weight
  const m = { ...raw, data: raw.data.slice() };
  for (let i = 0; i < nItems; i++)
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) m.data[p] = decay(d.now - bt[m.indices[p]], halfLife);
  const baskets = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) baskets[i] = m.indptr[i + 1] - m.indptr[i];
  const neighbours = rowCosineTopK(m, opts.k ?? 100, {
    shrink: opts.shrink ?? 0,
    alpha: opts.alpha ?? 0.5,
    minCount: opts.minCount ?? 2,
  });
  const power = opts.power ?? 3;
  if (power !== 1) for (let p = 0; p < neighbours.sim.length; p++) neighbours.sim[p] = Math.pow(neighbours.sim[p], power);
  return { neighbours, baskets };
}

/** Adds Σ_{q in basket} sim(q, j) into `out`. */
export function scoreFbt(m: FbtModel, basketItems: ArrayLike<number>, out: Float64Array): void {
  const { k, idx, sim } = m.neighbours;
  for (let a = 0; a < basketItems.length; a++) {
    const i = basketItems[a];
    for (let p = i * k; p < i * k + k; p++) {
      const j = idx[p];
      if (j < 0) break;
      out[j] += sim[p];
    }
  }
}
