/**
 * The planning reports over the full Online Retail history, server side (floor: each ≤ 2 s): the demo store (with
 * its forecasts and replenishment run, as `npm start` leaves it) in a database, then the services the API calls,
 * each timed cold (a new service) — median of 3.
 *
 *   npx tsx bench/reports.bench.ts                  # embedded PGlite in $BENCH_DB_DIR (default /tmp/shelfwise-reports-bench)
 *   DATABASE_URL=postgres://… npx tsx bench/reports.bench.ts
 *
 * The demo is loaded once (kept in the folder/schema for reruns). Forecast vs actual is timed twice: on the demo's
 * forecasts (8 weekly back-dated runs over 200 items), and on a year of weekly forecasts for every item (what a
 * year of nightly runs leaves under the retention rule), written in a transaction that is rolled back.
 */
import { sql } from 'kysely';
import os from 'node:os';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { dataDir } from '../src/config/data-dir.ts';
import { demoAvailable, loadDemo } from '../src/demo/demo.ts';
import { replenishDemo } from '../src/demo/demo-replenishment.ts';
import { createServices } from '../src/services/index.ts';
import { PlanningReportsService } from '../src/services/planning-reports.service.ts';
import { ReportsService } from '../src/services/reports.service.ts';

const FLOOR_MS = 2000;
const url = process.env.DATABASE_URL || undefined;
const database = await openDatabase(url ? { url, schema: process.env.BENCH_SCHEMA ?? 'reports_bench' } : { dir: process.env.BENCH_DB_DIR ?? '/tmp/shelfwise-reports-bench' });
await migrateToLatest(database);
const services = createServices(database);
const db = database.db;
const count = async (t: 'sales' | 'forecast_runs') => Number((await db.selectFrom(t).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
if ((await count('sales')) === 0) {
  if (!demoAvailable(dataDir())) {
    console.log(`skipped: the demo data sets are not in ${dataDir()}`);
    process.exit(0);
  }
  const t = performance.now();
  await loadDemo(services, dataDir(), (p) => process.stderr.write(`\rdemo: ${JSON.stringify(p).slice(0, 100)}   `));
  console.error(`\ndemo loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
if ((await count('forecast_runs')) === 0) {
  const t = performance.now();
  await replenishDemo(services);
  console.error(`demo forecasts and replenishment in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
await sql`vacuum forecasts, forecast_runs`.execute(db);
console.log(`load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);

const rows: { what: string; wall: number; cpu: number }[] = [];
async function timed<T>(what: string, fn: () => Promise<T>, runs = 3): Promise<T> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let out!: T;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    out = await fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  rows.push({ what, wall: med(walls), cpu: med(cpus) });
  return out;
}

const span = await sql<{ first: string; last: string }>`select to_char(min(occurred_at) at time zone 'UTC', 'YYYY-MM-DD') as first, to_char(max(occurred_at) at time zone 'UTC', 'YYYY-MM-DD') as last from sales`.execute(db);
const full = { from: span.rows[0].first, to: span.rows[0].last };
console.log(`history ${full.from} … ${full.to}`);
const P = () => new PlanningReportsService(db);

const fva8 = await timed('forecast vs actual, last 8 weeks (demo forecasts)', () => P().forecastVsActual({}));
const fvaAll = await timed('forecast vs actual, full history (demo forecasts)', () => P().forecastVsActual({ ...full, limit: 1_000_000 }));
const rvf = await timed('replenishment vs forecast, every planned item', () => P().replenishmentVsForecast({ limit: 1_000_000 }));
const so8 = await timed('stockouts + lost sales, last 8 weeks', () => P().stockouts({}));
const soAll = await timed('stockouts + lost sales, full history', () => P().stockouts({ ...full, limit: 1_000_000 }));
await timed('sales trend by store, 52 weeks', () => new ReportsService(db).categoryTrend(52, undefined, 'store'));
await timed('sales trend by category, 52 weeks', () => new ReportsService(db).categoryTrend(52));

// A year of weekly forecasts for every item with a forecast: the latest run's rows shifted back 1 … 52 weeks.
let stress: Awaited<ReturnType<PlanningReportsService['forecastVsActual']>> | null = null;
let stressRows = 0;
await db
  .transaction()
  .execute(async (trx) => {
    const latest = await trx.selectFrom('forecast_runs').select(['id', 'as_of']).where('status', '=', 'done').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const runs = await sql<{ id: number; k: number }>`
      insert into forecast_runs (status, freq, horizon, actor, as_of, finished_at)
      select 'done', 'D', 28, 'bench', ${latest.as_of}::date - 7 * k, now() from generate_series(1, 52) k returning id, (${latest.as_of}::date - as_of) / 7 as k`.execute(trx);
    for (const r of runs.rows)
      await sql`insert into forecasts (run_id, product_id, location_id, freq, start_date, model, reason, demand_class, distribution, history_periods, out_of_stock_periods, mean, p50, p80, p95)
        select ${r.id}::int, product_id, location_id, freq, start_date - 7 * ${Number(r.k)}::int, model, reason, demand_class, distribution, history_periods, out_of_stock_periods, mean, p50, p80, p95
        from forecasts where run_id = ${latest.id}::int`.execute(trx);
    stressRows = Number((await sql<{ n: number }>`select count(*)::int as n from forecasts`.execute(trx)).rows[0].n);
    stress = await timed(`forecast vs actual, full history, weekly forecasts of every item (${stressRows.toLocaleString()} forecast rows)`, () => new PlanningReportsService(trx).forecastVsActual({ ...full }));
    throw new Error('rollback');
  })
  .catch((e) => {
    if (e.message !== 'rollback') throw e;
  });
// The rolled-back rows leave dead tuples: reclaim them so a rerun times the demo's table, not a bloated one.
await sql`vacuum forecasts, forecast_runs`.execute(db);

console.log(`\nforecast vs actual, last 8 weeks (${fva8.from} … ${fva8.to}): ${fva8.totals.items} items, ${fva8.totals.days} item-days from runs as of ${fva8.runs.map((r) => r.asOf).join(', ')}`);
console.log(`  sold ${fva8.totals.actual}, forecast ${Math.round(fva8.totals.forecast)}; MAE ${fva8.totals.mae}, bias ${fva8.totals.bias}/day, wMAPE ${fva8.totals.wmape}, P80 coverage ${fva8.totals.coverage80}`);
console.log(`  weeks: ${fva8.weeks.map((w) => `${w.weekStart} ${w.actual}/${Math.round(w.p50)}/${Math.round(w.p80)}`).join('; ')} (actual/P50/ΣP80)`);
console.log(`  worst: ${fva8.items.slice(0, 3).map((i) => `${i.sku} ${i.name} (wMAPE ${i.wmape}, bias ${i.bias})`).join('; ')}`);
console.log(`forecast vs actual, full history: ${fvaAll.totals.items} items, ${fvaAll.totals.days} item-days`);
if (stress) {
  const s = stress as Awaited<ReturnType<PlanningReportsService['forecastVsActual']>>;
  console.log(`  synthetic year of weekly forecasts: ${s.totals.items} items, ${s.totals.days.toLocaleString()} item-days, wMAPE ${s.totals.wmape} (the latest forecast replayed on past weeks: a load test, not an accuracy figure)`);
}
console.log(`replenishment vs forecast: ${rvf.totals.items} plans, ${rvf.totals.withForecast} with a forecast, ${rvf.totals.belowReorderPoint} at or below ROP; top: ${rvf.items.slice(0, 3).map((i) => `${i.sku} LTD ${i.leadTimeDemand} ROP ${i.reorderPoint} EOQ ${i.eoq} on hand ${i.onHand}`).join('; ')}`);
console.log(`stockouts, last 8 weeks: ${so8.totals.items} items, ${so8.totals.stockoutDays} item-days, lost ${Math.round(so8.totals.lostUnits)} units / ${so8.totals.lostValue.toFixed(0)}`);
console.log(`stockouts, full history: ${soAll.totals.items} items, ${soAll.totals.stockoutDays} item-days, lost ${Math.round(soAll.totals.lostUnits)} units / ${soAll.totals.lostValue.toFixed(0)}`);

console.log(`\n${'report'.padEnd(96)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)}  floor ${FLOOR_MS} ms`);
for (const r of rows) console.log(`${r.what.padEnd(96)} ${r.wall.toFixed(0).padStart(8)} ${r.cpu.toFixed(0).padStart(8)}  ${r.wall <= FLOOR_MS ? 'ok' : 'OVER'}`);
console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${url ? 'PostgreSQL' : 'PGlite'}`);
await database.close();
process.exit(0);
