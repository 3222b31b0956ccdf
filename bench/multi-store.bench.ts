/**
 * Multi-store scale-out benchmark (issue 11), on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 * a fresh schema, dropped at the end).
 *
 * 1. Forecasting partitioned by store: the Online Retail SKUs (shared data) replicated across BENCH_STORES stores. Store s
 *    sells round_stochastic(scale_s × the real daily series) shifted later by shift_s days (cut at the data's last
 *    day), with scale_s = 0.5 + 1.5·((37·s) mod 50)/50 and shift_s = (3·s) mod 28 — every store has the real
 *    intermittency and seasonality, at its own level and phase. One 'forecast.run' job per store, each queueing that
 *    store's 'replenishment.run' when it is done (the nightly chain); 1, 2 and 4 `shelfwise worker` processes split
 *    them (SKIP LOCKED). Figures: series/s (forecast + replenishment) and the speed-up over one worker.
 * 2. Ledger + outbox: BENCH_SALES sales through InventoryService by 8 concurrent writers (each one transaction with its
 *    stock.changed outbox event). Figure: movements/s.
 * 3. Webhooks: those events delivered by 2 worker processes to a local receiver that fails 20 % of requests; one worker is
 *    killed (SIGKILL) a third of the way through and a new one started. Floors: none lost (every event id accepted),
 *    duplicates at the receiver reported (a kill between the POST and its record can resend one; receivers dedupe on
 *    Shelfwise-Event-Id). Figures: webhooks/s, jobs/s.
 *
 *   npx tsx bench/multi-store.bench.ts                       # 10 stores × 400 SKUs, 10,000 sales (a few minutes)
 *   BENCH_STORES=50 BENCH_SKUS=4000 npx tsx bench/multi-store.bench.ts   # the full ~200,000 series (long)
 *   BENCH_SVG=docs/screenshots/scaling.svg …                              # also draw the speed-up curve
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { dataDir } from '../src/config/data-dir.ts';
import { dropSchema, openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { SYSTEM } from '../src/services/actor.ts';
import { createServices } from '../src/services/index.ts';
import { integrationsOf } from '../src/services/integrations.ts';
import { enqueue } from '../src/services/jobs.service.ts';
import { startReceiver } from '../test/helpers/webhook-receiver.ts';
import { loadOnlineRetail } from './forecast-data.ts';
import { scalingSvg } from './scaling-chart.ts';

const ROOT = resolve(import.meta.dirname, '..');
const URL_ = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const STORES = Number(process.env.BENCH_STORES ?? 10);
const SKUS = Number(process.env.BENCH_SKUS ?? 400);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const SALES = Number(process.env.BENCH_SALES ?? 10_000);
const SECRET = 'whsec_bench_0123456789abcdef';
const file = join(dataDir(), 'retail', 'online_retail_2010_2011.csv');
if (!existsSync(file)) {
  console.log(`skipped: no Online Retail data at ${file} (set SHELFWISE_DATA)`);
  process.exit(0);
}

const schema = `bench_${randomBytes(4).toString('hex')}`;
const database = await openDatabase({ url: URL_, schema, poolSize: 12 });
await migrateToLatest(database);
const { db } = database;
const env = { DATABASE_URL: URL_, DATABASE_SCHEMA: schema, LOG_LEVEL: 'warn', WEBHOOK_BACKOFF_MS: '100', WEBHOOK_MAX_ATTEMPTS: '30', SHELFWISE_DEMO: '0' };
const children = new Set<ChildProcess>();
const worker = (args: string[]) => {
  const c = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/index.ts'), 'worker', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(c);
  c.on('exit', () => children.delete(c));
  const ready = new Promise<void>((r) => c.stdout!.on('data', (d) => /started/.test(String(d)) && r()));
  return Object.assign(c, { ready });
};
const stopAll = async () => {
  const all = [...children];
  for (const c of all) c.kill('SIGTERM');
  await Promise.all(all.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  // ————— seed —————
  const t0 = performance.now();
  const { series, lastDay } = loadOnlineRetail(file, { maxSkus: SKUS });
  const last = Date.parse(`${lastDay}T00:00:00Z`) / 86_400_000;
  await sql`insert into products (sku, name, price, cost, source) select 'OR-' || s, 'Online Retail ' || s, 2.5, 1, 'bench' from unnest(${series.map((s) => s.id)}::text[]) s`.execute(db);
  await sql`insert into locations (code, name, kind) select 'ST' || lpad(i::text, 3, '0'), 'Store ' || i, 'store' from generate_series(1, ${STORES}::int) i`.execute(db);
  const pid = new Map((await db.selectFrom('products').select(['id', 'sku']).execute()).map((p) => [p.sku, p.id]));
  const locs = await db.selectFrom('locations').select(['id', 'code']).orderBy('code').execute();
  let rng = 12345;
  const rand = () => ((rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648);
  let rows = 0;
  for (let s = 0; s < locs.length; s++) {
    const scale = 0.5 + (1.5 * ((37 * (s + 1)) % 50)) / 50;
    const shift = (3 * (s + 1)) % 28;
    const p: number[] = [];
    const day: number[] = [];
    const qty: number[] = [];
    for (const x of series) {
      const start = Date.parse(`${x.start}T00:00:00Z`) / 86_400_000;
      for (let i = 0; i < x.values.length; i++) {
        const d = start + i + shift;
        if (d > last) break;
        const v = x.values[i] * scale;
        const q = Math.floor(v) + (rand() < v - Math.floor(v) ? 1 : 0);
        if (q > 0) {
          p.push(pid.get(`OR-${x.id}`)!);
          day.push(d);
          qty.push(q);
        }
      }
    }
    await sql`insert into stock_movements (product_id, location_id, kind, qty, balance_after, unit_price, actor, occurred_at)
      select t.p, ${locs[s].id}::int, 'sale', -t.q, 0, 2.5, 'bench', timestamptz '1970-01-01 12:00Z' + t.d * interval '1 day'
      from unnest(${p}::int[], ${day}::int[], ${qty}::int[]) t(p, d, q)`.execute(db);
    rows += p.length;
  }
  // Plenty on hand everywhere (the bench's sales must not run out); last_sale_at where the item sold.
  await sql`insert into stock_levels (product_id, location_id, on_hand, last_movement_at, last_sale_at)
    select p.id, l.id, 1000000, m.last, m.last from products p cross join locations l
    left join (select product_id, location_id, max(occurred_at) as last from stock_movements group by 1, 2) m on m.product_id = p.id and m.location_id = l.id`.execute(db);
  await sql`analyze`.execute(db);
  const nSeries = Number((await sql<{ n: number }>`select count(*)::int as n from stock_levels where last_sale_at is not null`.execute(db)).rows[0].n);
  console.log(`seeded ${STORES} stores × ${series.length} SKUs = ${nSeries} series, ${rows} sale movements in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // ————— 1. forecasting by store with 1, 2, 4 workers —————
  const figures: { workers: number; seconds: number; perSec: number }[] = [];
  for (const w of WORKERS) {
    await sql`delete from purchase_order_lines; delete from purchase_orders; delete from replenishment_plans; delete from replenishment_runs; delete from forecasts; delete from forecast_runs; delete from jobs;`.execute(db);
    // Workers first (their start-up is not the work being measured), then one job per store.
    const procs = Array.from({ length: w }, () => worker(['--concurrency', '1', '--types', 'forecast.run,replenishment.run', '--poll', '100']));
    await Promise.all(procs.map((p) => p.ready));
    // Each store's forecast job queues that store's replenishment run when it is done (as the nightly chain does).
    for (const l of locs) await enqueue(db, 'forecast.run', { freq: 'D', location: l.code, actor: 'bench', then: ['replenishment.run'] }, { maxAttempts: 2 });
    for (;;) {
      const r = (await sql<{ open: number; failed: number }>`select count(*) filter (where status in ('queued','running'))::int as open, count(*) filter (where status = 'failed')::int as failed from jobs`.execute(db)).rows[0];
      if (r.failed) throw new Error(`${r.failed} forecast jobs failed: ${JSON.stringify(await db.selectFrom('jobs').select(['error']).where('status', '=', 'failed').execute())}`);
      if (r.open === 0) break;
      await sleep(200);
    }
    const span = (await sql<{ s: number; series: number; repl: number; pos: number }>`select extract(epoch from max(j.finished_at) - min(j.started_at))::float8 as s, (select sum(series)::int from forecast_runs where status = 'done') as series,
      (select count(*)::int from replenishment_runs) as repl, (select count(*)::int from purchase_orders) as pos from jobs j`.execute(db)).rows[0];
    await stopAll();
    if (span.repl !== locs.length) throw new Error(`expected ${locs.length} replenishment runs, got ${span.repl}`);
    figures.push({ workers: w, seconds: span.s, perSec: span.series / span.s });
    console.log(`forecast + replenishment, ${w} worker process${w > 1 ? 'es' : ''}: ${span.series} series (${span.repl} replenishment runs, ${span.pos} draft POs) in ${span.s.toFixed(1)} s = ${(span.series / span.s).toFixed(0)} series/s, speed-up ${(span.series / span.s / figures[0].perSec).toFixed(2)}×`);
  }

  // ————— 2. ledger writes with their outbox events —————
  if (process.env.BENCH_SVG && figures.length > 1) {
    const { availableParallelism } = await import('node:os');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.BENCH_SVG, scalingSvg(figures, { cores: availableParallelism(), title: `${STORES} stores × ${series.length.toLocaleString('en')} SKUs = ${Math.round(figures[0].perSec * figures[0].seconds).toLocaleString('en')} series (PostgreSQL)` }));
    console.log(`speed-up curve written to ${process.env.BENCH_SVG}`);
  }

  const services = createServices(database);
  const rx = await startReceiver(SECRET, { failRate: 0.2 });
  await integrationsOf(services).webhooks.subscribe(SYSTEM, { url: rx.url, events: ['stock.changed'], secret: SECRET });
  const skus = series.map((x) => `OR-${x.id}`);
  let next = 0;
  const tw = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < SALES) {
        const i = next++;
        await services.inventory.recordSale(SYSTEM, { location: locs[i % locs.length].code, lines: [{ sku: skus[(i * 7919) % skus.length], qty: 1 }] });
      }
    }),
  );
  const ws = (performance.now() - tw) / 1000;
  console.log(`ledger: ${SALES} sales (one movement + one outbox event each) by 8 writers in ${ws.toFixed(1)} s = ${(SALES / ws).toFixed(0)} movements/s`);

  // ————— 3. webhook delivery: 20 % failures, one worker killed mid-run —————
  // A 5 s lease: the killed worker's claimed jobs are picked up again 5 s later (default 30 s).
  const wargs = ['--concurrency', '8', '--poll', '50', '--lease', '5'];
  const a = worker(wargs);
  const b = worker(wargs);
  await Promise.all([a.ready, b.ready]);
  const th = performance.now();
  const unique = () => new Set(rx.accepted.map((x) => x.eventId)).size;
  while (unique() < SALES / 3) await sleep(50);
  a.kill('SIGKILL');
  console.log(`webhooks: killed a worker (SIGKILL) after ${unique()} events delivered; starting another`);
  worker(wargs);
  const deadline = Date.now() + 15 * 60_000;
  while (unique() < SALES && Date.now() < deadline) await sleep(100);
  const hs = (performance.now() - th) / 1000;
  await stopAll();
  const log = (await sql<{ delivered: number; failed: number; attempts: number }>`select count(*) filter (where status = 'delivered')::int as delivered, count(*) filter (where status = 'failed')::int as failed, sum(attempts)::int as attempts from webhook_deliveries`.execute(db)).rows[0];
  const lost = SALES - unique();
  const dup = rx.accepted.length - unique();
  console.log(`webhooks: ${unique()}/${SALES} events accepted in ${hs.toFixed(1)} s = ${(unique() / hs).toFixed(0)} webhooks/s; ${log.attempts} delivery jobs run = ${(log.attempts / hs).toFixed(0)} jobs/s`);
  console.log(`webhooks: receiver refused ${rx.rejected.injected} (20 % injected), bad signatures ${rx.rejected.badSignature}; lost ${lost}; duplicates at the receiver ${dup}; log: ${log.delivered} delivered, ${log.failed} failed`);
  await rx.close();
  const floors = [
    [lost === 0, 'no webhook event lost'],
    [rx.rejected.badSignature === 0, 'every signature verified'],
    [WORKERS.length < 2 || figures[1].perSec / figures[0].perSec >= 1.3, '2 workers at least 1.3× one (2 cores, shared)'],
  ] as const;
  for (const [ok, what] of floors) console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  if (floors.some(([ok]) => !ok)) process.exitCode = 1;
} finally {
  await stopAll();
  await database.close();
  await dropSchema(URL_, schema);
}
