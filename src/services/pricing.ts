import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { effectivePrices as promotionPrices } from './promotions.service.ts';

/**
 * What the storefront charges today: the list price, or the sale price of a running promotion (the markdown
 * capability's promotions, issue #6). The rule lives in one place, promotions.service.ts `effectivePrices`
 * (lowest active promotion on the product or its category that day); this is the shop's view of it.
 */
export interface EffectivePrice {
  listPrice: number;
  price: number;
  /** Set when a promotion lowers the price. */
  onSale: boolean;
}

/** Today's price of each product id (ids that do not exist are left out). */
export async function effectivePrices(db: Kysely<DB>, productIds: number[], now = new Date()): Promise<Map<number, EffectivePrice>> {
  const out = new Map<number, EffectivePrice>();
  for (const [id, p] of await promotionPrices(db, [...new Set(productIds)], now)) {
    out.set(id, { listPrice: p.regularPrice, price: p.price, onSale: p.promotionId !== null && p.price < p.regularPrice });
  }
  return out;
}

/** One product's price today. */
export async function effectivePrice(db: Kysely<DB>, productId: number, now = new Date()): Promise<EffectivePrice | undefined> {
  return (await effectivePrices(db, [productId], now)).get(productId);
}
