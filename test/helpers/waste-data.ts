import type { Database } from '../../src/db/connection.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';

export const WASTE_FIRST_DAY = '2025-06-02';
export const WASTE_DAYS = 150; // the last sale day is day 149 = 2025-10-29
export const wasteDay = (d: number) => new Date(Date.parse(`${WASTE_FIRST_DAY}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);

/**
 * A small store with a known waste picture, written through the ledger service (location S1):
 * - FAST (gifts, 10 / cost 6) sells 5-7 a day: the A item;
 * - MID (gifts, 8 / cost 4) sells 2 every other day;
 * - OVER (candles, 12 / cost 5) sells 2 a day at 12 and 3 a day in its discount weeks (every 3rd week at 9.60:
 *   elasticity log(1.5)/log(0.8) ≈ −1.8); an over-order of 400 on day 120 leaves ~350 on hand: excess;
 * - DEAD (candles, 20 / cost 12) sold 2 on day 5 and never again: dead, last sale 144 days before "today";
 * - NEVER (candles, 5 / cost 2) came in on day 0 and never sold: dead, never sold.
 */
export async function seedWasteStore(database: Database, location = 'S1') {
  const cat = new CatalogService(database.db);
  const inv = new InventoryService(database.db);
  await cat.createLocation(SYSTEM, { code: location, name: 'Store', kind: 'store' });
  const products = [
    { sku: 'FAST', category: 'gifts', price: 10, cost: 6 },
    { sku: 'MID', category: 'gifts', price: 8, cost: 4 },
    { sku: 'OVER', category: 'candles', price: 12, cost: 5 },
    { sku: 'DEAD', category: 'candles', price: 20, cost: 12 },
    { sku: 'NEVER', category: 'candles', price: 5, cost: 2 },
  ];
  for (const p of products) await cat.createProduct(SYSTEM, { ...p, name: `Item ${p.sku}` });
  await inv.postMovements(
    SYSTEM,
    [
      { sku: 'FAST', location, kind: 'receipt', qty: 1200, unitCost: 6 },
      { sku: 'MID', location, kind: 'receipt', qty: 400, unitCost: 4 },
      { sku: 'OVER', location, kind: 'receipt', qty: 300, unitCost: 5 },
      { sku: 'DEAD', location, kind: 'receipt', qty: 40, unitCost: 12 },
      { sku: 'NEVER', location, kind: 'opening', qty: 30, unitCost: 2 },
    ],
    new Date(`${wasteDay(0)}T07:00:00Z`),
  );
  await inv.postMovements(SYSTEM, [{ sku: 'OVER', location, kind: 'receipt', qty: 400, unitCost: 5.5 }], new Date(`${wasteDay(120)}T07:00:00Z`));
  for (let d = 0; d < WASTE_DAYS; d++) {
    const discount = Math.floor(d / 7) % 3 === 2;
    const lines: { sku: string; qty: number; unitPrice?: number }[] = [
      { sku: 'FAST', qty: 5 + (d % 3), unitPrice: 10 },
      { sku: 'OVER', qty: discount ? 3 : 2, unitPrice: discount ? 9.6 : 12 },
    ];
    if (d % 2 === 0) lines.push({ sku: 'MID', qty: 2 });
    if (d === 5) lines.push({ sku: 'DEAD', qty: 2 });
    await inv.recordSale(SYSTEM, { location, occurredAt: new Date(`${wasteDay(d)}T12:00:00Z`), lines });
  }
}
