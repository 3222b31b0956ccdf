/**
 * Stock-aware re-ranking shared by every entry point: never return an item that is out of stock where the
 * shopper is, optionally lift overstock / slow movers / active promotions by a manager-set weight.
 */
import type { Recommendation } from './types.ts';

export interface StockOptions {
  /** False = out of stock at the shopper's location: never recommended. Default: everything is in stock. */
  inStock?: (item: number) => boolean;
  /** Per-item boost in [0, 1] (overstock, slow mover, promotion). */
  boost?: Map<number, number>;
  /** How much a boost of 1 adds, relative to the best candidate's score (1 = a full top score). Default 0.2. */
  boostWeight?: number;
  /** Items never to return (already in the cart, just viewed, ...). */
  exclude?: Iterable<number>;
}

/**
 * Re-ranks scored candidates: drops excluded and out-of-stock items, adds boostWeight · boost · max score,
 * returns the best n. Reasons of boosted items get " · on offer" appended when the boost changed the order.
 */
export function stockAwareRerank(candidates: Recommendation[], n: number, opts: StockOptions = {}): Recommendation[] {
  const exclude = opts.exclude ? new Set(opts.exclude) : null;
  const inStock = opts.inStock;
  const boost = opts.boost;
  const weight = opts.boostWeight ?? 0.2;
  let max = 0;
  for (const c of candidates) if (Math.abs(c.score) > max) max = Math.abs(c.score);
  const scale = max > 0 ? max : 1;
  const out: Recommendation[] = [];
  for (const c of candidates) {
    if (exclude?.has(c.item)) continue;
    if (inStock && !inStock(c.item)) continue;
    const b = boost?.get(c.item) ?? 0;
    if (b !== 0 && weight !== 0) out.push({ ...c, score: c.score + weight * b * scale, reason: `${c.reason} · on offer` });
    else out.push(c);
  }
  out.sort((a, b) => b.score - a.score || a.item - b.item);
  return out.slice(0, n);
}
