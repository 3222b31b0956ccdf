/** Item-kNN: cosine similarity between items' customer vectors, top-k neighbours per item. */
import type { InteractionData } from './interactions.ts';
import { mapValues, rowCosineTopK, transpose, type Neighbours } from './sparse.ts';
import type { Csr } from './types.ts';

export interface ItemKnnOptions {
  /** Neighbours kept per item. Default 50. */
  k?: number;
  /** Added to the cosine denominator: damps similarities supported by few customers. Default 10. */
  shrink?: number;
}

export interface ItemKnnModel {
  neighbours: Neighbours;
}

/** Binary customer × item incidence, so heavy buyers do not dominate the similarity. */
export function binary(m: Csr): Csr {
  return mapValues(m, (v) => (v > 0 ? 1 : 0));
}

export function trainItemKnn(d: InteractionData, opts: ItemKnnOptions = {}): ItemKnnModel {
  const itemsByUser = transpose(binary(d.counts));
  return { neighbours: rowCosineTopK(itemsByUser, opts.k ?? 50, { shrink: opts.shrink ?? 10 }) };
}

/** Adds Σ_{i in history} w_i · sim(i, j) into `out` (length nItems). */
export function scoreItemKnn(
  m: ItemKnnModel,
  historyItems: ArrayLike<number>,
  historyWeights: ArrayLike<number> | null,
  out: Float64Array,
): void {
  const { k, idx, sim } = m.neighbours;
  for (let a = 0; a < historyItems.length; a++) {
    const i = historyItems[a];
    const w = historyWeights ? historyWeights[a] : 1;
    for (let p = i * k; p < i * k + k; p++) {
      const j = idx[p];
      if (j < 0) break;
      out[j] += w * sim[p];
    }
  }
}
