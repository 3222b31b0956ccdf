import type { Database } from '../../src/db/connection.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';

export const DAY = 86_400_000;
export const GIFTS = ['CANDLE', 'HOLDER', 'MATCHES', 'MUG', 'TEA', 'SPOON', 'SLOW'];
export const CLOTHES: [string, 'men' | 'women' | 'boys' | 'girls' | 'unisex'][] = [
  ['MTEE', 'men'],
  ['MPOLO', 'men'],
  ['WTEE', 'women'],
  ['BTEE', 'boys'],
  ['GTEE', 'girls'],
  ['UCAP', 'unisex'],
];

/**
 * A small store with known patterns, written through the ledger service (times relative to `now`):
 * - customers C0..C7 buy candles: C2..C7 the basket {CANDLE, HOLDER, MATCHES} three times, C0 and C1 only
 *   {CANDLE, HOLDER} (so MATCHES is what customers like them also buy);
 * - customers C6..C11 buy tea: {MUG, TEA, SPOON}, C10 and C11 only {MUG, TEA};
 * - gifts get 30 units each at S1 (a few weeks of cover); SLOW sold once, 200 days ago (a slow mover with 500);
 * - clothes (men/women/boys/girls/unisex) sell without a customer;
 * - store S2 has no HOLDER at all (out of stock there).
 */
export async function seedRecommendStore(database: Database, now = Date.now()) {
  const cat = new CatalogService(database.db);
  const inv = new InventoryService(database.db);
  await cat.createLocation(SYSTEM, { code: 'S1', name: 'Store 1', kind: 'store' });
  await cat.createLocation(SYSTEM, { code: 'S2', name: 'Store 2', kind: 'store' });
  for (const sku of GIFTS) await cat.createProduct(SYSTEM, { sku, name: `Item ${sku}`, price: 5, cost: 2, category: 'gifts' });
  for (const [sku, gender] of CLOTHES) await cat.createProduct(SYSTEM, { sku, name: `Tee ${sku}`, price: 20, cost: 8, category: 'clothing', articleType: 'Tshirts', gender });
  const t0 = new Date(now - 400 * DAY);
  await inv.postMovements(SYSTEM, [...GIFTS, ...CLOTHES.map(([s]) => s)].map((sku) => ({ sku, location: 'S1', kind: 'receipt' as const, qty: sku === 'SLOW' ? 500 : GIFTS.includes(sku) ? 30 : 1000 })), t0);
  await inv.postMovements(SYSTEM, ['CANDLE', 'MATCHES', 'MUG', 'TEA', 'SPOON', 'MTEE', 'UCAP'].map((sku) => ({ sku, location: 'S2', kind: 'receipt' as const, qty: 100 })), t0);
  let order = 0;
  const sale = (customer: string | undefined, skus: string[], daysAgo: number, location = 'S1') =>
    inv.recordSale(SYSTEM, { location, customer, orderRef: `O${++order}`, occurredAt: new Date(now - daysAgo * DAY), lines: skus.map((sku) => ({ sku, qty: 1 })) });
  for (let k = 0; k < 12; k++) {
    for (let rep = 0; rep < 3; rep++) {
      const ago = 50 - rep * 15 - k;
      if (k < 8) await sale(`C${k}`, k < 2 ? ['CANDLE', 'HOLDER'] : ['CANDLE', 'HOLDER', 'MATCHES'], ago);
      if (k >= 6) await sale(`C${k}`, k >= 10 ? ['MUG', 'TEA'] : ['MUG', 'TEA', 'SPOON'], ago - 1);
    }
  }
  await sale('C5', ['SLOW'], 200);
  for (let d = 1; d <= 6; d++) await sale(undefined, CLOTHES.map(([s]) => s).slice(0, 1 + (d % 5)), d);
  return { now };
}
