/** Item-page entry points: similar items and frequently bought together, both stock-aware. */
import { AppError } from '../../errors.ts';
import { scoreFbt } from './fbt.model.ts';
import { dot } from './linalg.ts';
import { nameOf, type RecommenderModel } from './recommender.ts';
import { stockAwareRerank, type StockOptions } from './rerank.ts';
import { topK } from './sparse.ts';
import type { Recommendation } from './types.ts';

export interface ItemOptions extends StockOptions {
  n?: number;
}

export interface SimilarOptions extends ItemOptions {
  /** 'customers' (default): item-kNN cosine over who bought it; 'latent': cosine of the iALS item factors. */
  source?: 'customers' | 'latent';
}

/** Similar items: "customers who bought this also bought" (item-kNN) or nearest in iALS latent space. */
export function similarItems(m: RecommenderModel, item: number, opts: SimilarOptions = {}): Recommendation[] {
  const n = opts.n ?? 10;
  const j = m.items.index.get(item);
  if (j === undefined) return [];
  const out: Recommendation[] = [];
  if (opts.source === 'latent') {
    if (!m.ials) throw new AppError('invalid', 'latent similar items need a model trained with iALS');
    const { k, itemFactors: y } = m.ials;
    const nItems = m.items.ids.length;
    const norms = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) norms[i] = Math.sqrt(dot(y, i * k, y, i * k, k)) || 1;
    const sims = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) sims[i] = i === j ? -Infinity : dot(y, i * k, y, j * k, k) / (norms[i] * norms[j]);
    for (const i of topK(sims, Math.max(50, 5 * n))) out.push({ item: m.items.ids[i], score: sims[i], reason: `similar to ${nameOf(m, item)}` });
  } else {
    const { k, idx, sim } = m.itemKnn.neighbours;
    for (let q = j * k; q < j * k + k && idx[q] >= 0; q++) {
      out.push({ item: m.items.ids[idx[q]], score: sim[q], reason: `customers who bought ${nameOf(m, item)} also bought this` });
    }
  }
  return stockAwareRerank(out, n, { ...opts, exclude: [...(opts.exclude ?? []), item] });
}

/** Frequently bought together with one item or a whole basket (cosine co-occurrence over orders). */
export function boughtTogether(m: RecommenderModel, items: number | number[], opts: ItemOptions = {}): Recommendation[] {
  const n = opts.n ?? 10;
  const basket = (Array.isArray(items) ? items : [items]).map((id) => m.items.index.get(id)).filter((x): x is number => x !== undefined);
  const scores = new Float64Array(m.items.ids.length);
  scoreFbt(m.fbt, basket, scores);
  for (const j of basket) scores[j] = -Infinity;
  const top = topK(scores, Math.max(50, 5 * n), (j) => !(scores[j] > 0));
  const first = Array.isArray(items) ? items[0] : items;
  const out: Recommendation[] = top.map((j) => ({
    item: m.items.ids[j],
    score: scores[j],
    reason: `often bought together with ${nameOf(m, first)}${Array.isArray(items) && items.length > 1 ? ' and the rest of the basket' : ''}`,
  }));
  const exclude = [...(opts.exclude ?? []), ...(Array.isArray(items) ? items : [items])];
  return stockAwareRerank(out, n, { ...opts, exclude });
}

/** Fast path for evaluation: item ids ranked for a basket (fallback: recent popularity). */
export function rankBoughtTogether(m: RecommenderModel, items: number[], n: number): number[] {
  const basket = items.map((id) => m.items.index.get(id)).filter((x): x is number => x !== undefined);
  const scores = new Float64Array(m.items.ids.length);
  scoreFbt(m.fbt, basket, scores);
  for (let j = 0; j < scores.length; j++) scores[j] += 1e-3 * m.trend[j];
  for (const j of basket) scores[j] = -Infinity;
  return topK(scores, n).map((j) => m.items.ids[j]);
}
