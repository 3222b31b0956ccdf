import { sql } from 'kysely';
import type { Database } from '../../src/db/connection.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';

export const todayIso = () => new Date().toISOString().slice(0, 10);

/**
 * A small store for replenishment: supplier SUP (lead 7 days, MOQ 12, packs of 12), location S1, and
 * - FAST: 10/day forecast, 20 on hand → must be ordered (runs out on day 2, before an order could arrive);
 * - FULL: 10/day forecast, 1,000 on hand → covered, no order;
 * - SLOW: 1/day forecast, 3 on hand.
 * Forecasts are written as a finished forecast run starting today (what the forecasting engine stores).
 */
export async function seedReplenishment(database: Database, opts: { location?: string; supplier?: string; minOrderValue?: number } = {}) {
  const loc = opts.location ?? 'S1';
  const sup = opts.supplier ?? 'SUP';
  const cat = new CatalogService(database.db);
  const inv = new InventoryService(database.db);
  await cat.upsertSupplier(SYSTEM, { code: sup, name: 'Supplier', leadTimeDays: 7, leadTimeSdDays: 0, moq: 12, packSize: 12, minOrderValue: opts.minOrderValue ?? 0 });
  await cat.createLocation(SYSTEM, { code: loc, name: 'Store', kind: 'store' });
  const daily: Record<string, number> = { FAST: 10, FULL: 10, SLOW: 1 };
  const stock: Record<string, number> = { FAST: 20, FULL: 1000, SLOW: 3 };
  for (const sku of Object.keys(daily)) {
    await cat.createProduct(SYSTEM, { sku, name: `Item ${sku}`, price: 10, cost: 4, defaultSupplier: sup });
  }
  await inv.postMovements(SYSTEM, Object.keys(daily).map((sku) => ({ sku, location: loc, kind: 'receipt' as const, qty: stock[sku] })));
  await writeForecasts(database, loc, daily);
}

export async function writeForecasts(database: Database, loc: string, daily: Record<string, number>, start = todayIso()) {
  const { db } = database;
  const run = await db.insertInto('forecast_runs').values({ freq: 'D', horizon: 28, actor: 'test', scope: '{}', status: 'done', as_of: start, finished_at: new Date() }).returning('id').executeTakeFirstOrThrow();
  const l = await db.selectFrom('locations').select('id').where('code', '=', loc).executeTakeFirstOrThrow();
  for (const [sku, m] of Object.entries(daily)) {
    const p = await db.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirstOrThrow();
    const arr = (v: number) => `{${Array(28).fill(v).join(',')}}`;
    await sql`insert into forecasts (run_id, product_id, location_id, freq, start_date, model, reason, demand_class, distribution, history_periods, out_of_stock_periods, mean, p50, p80, p95)
      values (${run.id}, ${p.id}, ${l.id}, 'D', ${start}::date, 'test', 'test', 'smooth', 'poisson', 100, 0, ${arr(m)}::float8[], ${arr(m)}::float8[], ${arr(m * 1.2)}::float8[], ${arr(m * 1.5)}::float8[])`.execute(db);
  }
}
