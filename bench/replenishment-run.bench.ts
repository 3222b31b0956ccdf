/**
 * A whole replenishment run (read forecasts + stock + open POs, plan every item, draft POs, write plans, POs and
 * alerts) on an on-disk PGlite — the issue's floor: 50,000 SKU × location rows in ≤ 10 s.
 *
 *   npx tsx bench/replenishment-run.bench.ts [--rows 50000] [--runs 2] [--postgres]   (synthetic store)
 *   npx tsx bench/replenishment-run.bench.ts --demo [--db DIR]                         (the demo store: load, forecast, run)
 *
 * Synthetic store: rows/2 products at 2 stores, 200 suppliers (lead 3-14 days ± 0-2.25, packs 1-24, MOQ 1-48,
 * minimum order values 0-500), a 28-day daily forecast per row (Online Retail-like scale: 0.05-20 units/day),
 * on hand 0-30 days of demand, 10 % of rows with an open PO. Written with set-based SQL (seconds).
 * --postgres runs the same on DATABASE_URL (own schema, dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { dataDir } from '../src/config/data-dir.ts';
import { dropSchema, openDatabase, type Database } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { demoAvailable, loadDemo } from '../src/demo/demo.ts';
import { log } from '../src/log.ts';
import { forecastServiceOf } from '../src/services/forecast.service.ts';
import { createServices } from '../src/services/index.ts';
import { replenishmentServiceOf } from '../src/services/replenishment.service.ts';

const { values: a } = parseArgs({ options: { rows: { type: 'string', default: '50000' }, runs: { type: 'string', default: '2' }, demo: { type: 'boolean' }, db: { type: 'string' }, postgres: { type: 'boolean' } } });
log.setLevel('warn');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function seedSynthetic(database: Database, rows: number) {
  const products = Math.ceil(rows / 2);
  const { db } = database;
  await sql`insert into suppliers (code, name, lead_time_days, lead_time_sd_days, moq, pack_size, min_order_value)
    select 'SUP' || i, 'Supplier ' || i, 3 + i % 12, (i % 4) * 0.75, (array[1, 6, 12, 24, 48])[1 + i % 5], (array[1, 6, 12, 24])[1 + i % 4], (array[0, 100, 250, 500])[1 + i % 4]
    from generate_series(0, 199) i`.execute(db);
  await sql`insert into locations (code, name, kind) values ('A', 'Store A', 'store'), ('B', 'Store B', 'store')`.execute(db);
  await sql`insert into products (sku, name, category, price, cost, default_supplier_id)
    select 'P' || lpad(i::text, 6, '0'), 'Product ' || i, 'Cat ' || (i % 40), 2 + (i % 50), 1 + (i % 50) * 0.6, 1 + i % 200
    from generate_series(1, ${products}::int) i`.execute(db);
  // Daily mean per row: 0.05-20 units, skewed like retail (many slow items).
  await sql`insert into stock_levels (product_id, location_id, on_hand, last_movement_at)
    select p.id, l.id, floor(((p.id * 7919 + l.id * 104729) % 1000) / 1000.0 * 30 * (0.05 + power(((p.id * 31 + l.id) % 997) / 997.0, 3) * 20))::int, now()
    from products p cross join locations l`.execute(db);
  const run = await db.insertInto('forecast_runs').values({ freq: 'D', horizon: 28, actor: 'bench', scope: '{}', status: 'done', finished_at: new Date() }).returning('id').executeTakeFirstOrThrow();
  await sql`insert into forecasts (run_id, product_id, location_id, freq, start_date, model, reason, demand_class, distribution, history_periods, out_of_stock_periods, backtest, mean, p50, p80, p95)
    select ${run.id}::int, s.product_id, s.location_id, 'D', current_date, 'ses', 'bench', 'smooth', 'negbin', 365, 0,
      jsonb_build_object('rmse', sqrt(m) * 1.3),
      array_fill(m, array[28]), array_fill(floor(m), array[28]), array_fill(m + 0.84 * sqrt(m) * 1.3, array[28]), array_fill(m + 1.65 * sqrt(m) * 1.3, array[28])
    from (select product_id, location_id, (0.05 + power(((product_id * 31 + location_id) % 997) / 997.0, 3) * 20)::float8 as m from stock_levels) s`.execute(db);
  // 10 % of rows already on order (one approved PO per supplier × store).
  await sql`insert into purchase_orders (number, supplier_id, location_id, status, currency, total, expected_at, created_by)
    select 'OPEN-' || s.id || '-' || l.code, s.id, l.id, 'approved', 'GBP', 0, current_date + (s.id % 7), 'bench' from suppliers s cross join locations l`.execute(db);
  await sql`insert into purchase_order_lines (po_id, product_id, qty_ordered, unit_cost, decision)
    select po.id, p.id, 12, p.cost, 'approved' from products p join purchase_orders po on po.supplier_id = p.default_supplier_id
    where p.id % 10 = 0`.execute(db);
  await sql`analyze`.execute(db);
}

async function main() {
  const pg = a.postgres ? process.env.DATABASE_URL : undefined;
  if (a.postgres && !pg) throw new Error('--postgres needs DATABASE_URL');
  const schema = pg ? `bench_repl_${process.pid}` : undefined;
  const dir = pg ? undefined : (a.db ?? mkdtempSync(join(tmpdir(), 'shelfwise-repl-bench-')));
  const database = await openDatabase(pg ? { url: pg, schema } : { dir });
  await migrateToLatest(database);
  const services = createServices(database);
  const t0 = performance.now();
  const empty = (await database.db.selectFrom('products').select('id').limit(1).execute()).length === 0;
  if (a.demo) {
    const data = dataDir();
    if (!demoAvailable(data)) {
      console.log(`skipped: the demo data sets are not in ${data} (set SHELFWISE_DATA)`);
      return;
    }
    if (empty) await loadDemo(services, data);
    if ((await forecastServiceOf(services).listRuns(1)).length === 0) await forecastServiceOf(services).run({ freq: 'D' });
  } else if (empty) await seedSynthetic(database, Number(a.rows));
  const seeded = (performance.now() - t0) / 1000;
  const rows = await sql<{ n: number }>`select count(*)::int as n from forecasts_latest where freq = 'D'`.execute(database.db);
  console.log(`${a.demo ? 'demo store' : 'synthetic store'} on ${database.kind}${dir ? ` (${dir})` : ''}: ${rows.rows[0].n.toLocaleString('en')} SKU × location rows with a daily forecast; prepared in ${seeded.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)}`);
  for (let i = 0; i < Number(a.runs); i++) {
    const c0 = cpu();
    const w0 = performance.now();
    const r = await replenishmentServiceOf(services).run();
    const wall = (performance.now() - w0) / 1000;
    console.log(
      `run ${i + 1}: ${wall.toFixed(2)} s wall, ${(cpu() - c0).toFixed(2)} s CPU (read ${r.seconds.read} s, plan ${r.seconds.plan} s, write ${r.seconds.write} s) — ` +
        `${r.items.toLocaleString('en')} items planned, ${r.suggestions.toLocaleString('en')} suggestions in ${r.purchaseOrders} draft POs worth ${r.totalValue.toLocaleString('en')}, ` +
        `${r.skipped.toLocaleString('en')} skipped, ${r.alerts.toLocaleString('en')} new alerts; floor 10 s: ${wall <= 10 ? 'met' : 'NOT met'}`,
    );
  }
  await database.close();
  if (pg && schema) await dropSchema(pg, schema);
  if (dir && !a.db) rmSync(dir, { recursive: true, force: true });
}

await main();
