import type { Database } from '../../src/db/connection.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';

export const FIRST_DAY = '2026-01-05'; // a Monday
export const DAYS = 70; // through 2026-03-15 (a Sunday)
export const STOCKOUT_FROM = 56; // OUT runs out of stock from this day on (the last 14 days)
const PATTERN = [4, 6, 5, 7, 3, 5, 5];

export const dayIso = (d: number) => new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);

/**
 * A known history at store S1, written through the ledger service:
 * - STEADY sells PATTERN every day and is always in stock;
 * - OUT sells the same until day 56, then has nothing on hand for 14 days (its receipt covered exactly 56 days);
 * - IDLE sells the same until day 56, then nothing for 14 days although it is in stock (real zero demand);
 * - SLOW sells 1 unit every 5th day (intermittent).
 */
export async function seedForecastHistory(database: Database, location = 'S1') {
  const cat = new CatalogService(database.db);
  const inv = new InventoryService(database.db);
  await cat.createLocation(SYSTEM, { code: location, name: 'Store', kind: 'store' });
  for (const sku of ['STEADY', 'OUT', 'IDLE', 'SLOW']) await cat.createProduct(SYSTEM, { sku, name: `Item ${sku}`, price: 10, cost: 4 });
  const outUnits = Array.from({ length: STOCKOUT_FROM }, (_, d) => PATTERN[d % 7]).reduce((a, b) => a + b, 0);
  await inv.postMovements(
    SYSTEM,
    [
      { sku: 'STEADY', location, kind: 'receipt', qty: 1000 },
      { sku: 'OUT', location, kind: 'receipt', qty: outUnits },
      { sku: 'IDLE', location, kind: 'receipt', qty: 1000 },
      { sku: 'SLOW', location, kind: 'receipt', qty: 100 },
    ],
    new Date(`${FIRST_DAY}T07:00:00Z`),
  );
  for (let d = 0; d < DAYS; d++) {
    const q = PATTERN[d % 7];
    const lines = [{ sku: 'STEADY', qty: q }];
    if (d < STOCKOUT_FROM) lines.push({ sku: 'OUT', qty: q }, { sku: 'IDLE', qty: q });
    if (d % 5 === 0) lines.push({ sku: 'SLOW', qty: 1 });
    await inv.recordSale(SYSTEM, { location, occurredAt: new Date(`${dayIso(d)}T12:00:00Z`), lines });
  }
}
