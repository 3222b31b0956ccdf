/**
 * Recommendations on the demo store (issue 7): training from the ledger (Online Retail: 4,300 customers,
 * 3,700 products, ~400k order lines) through the service, the restart path (load the stored version), then the
 * latency of recommendation requests through the HTTP API of a real server process (p50 / p99 per kind).
 *
 *   npx tsx bench/recommend-api.bench.ts [--db DIR] [--requests N] [--skip-train]
 *
 * --db DIR reuses (or fills, when empty) a PGlite folder, so repeated runs skip the 1-3 minute demo load.
 * The model-only serving time (no HTTP, no database) is in bench/recommend.bench.ts.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { dataDir } from '../src/config/data-dir.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { demoAvailable, loadDemo } from '../src/demo/demo.ts';
import { log } from '../src/log.ts';
import { SYSTEM } from '../src/services/actor.ts';
import { createServices } from '../src/services/index.ts';
import { RecommendService } from '../src/services/recommend.service.ts';
import { fmt, percentile, startServer } from './helpers.ts';

const { values: a } = parseArgs({ options: { db: { type: 'string' }, requests: { type: 'string', default: '300' }, 'skip-train': { type: 'boolean' } } });
const data = dataDir();
if (!demoAvailable(data)) {
  console.log(`skipped: the demo data sets are not in ${data} (set SHELFWISE_DATA)`);
  process.exit(0);
}
log.setLevel('warn');
const dir = a.db ?? mkdtempSync(join(tmpdir(), 'shelfwise-recommend-bench-'));
const N = Number(a.requests);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on 2 cores (shared machine: wall times are pessimistic)`);

let database = await openDatabase({ dir });
await migrateToLatest(database);
if ((await database.db.selectFrom('products').select('id').limit(1).execute()).length === 0) {
  const t0 = performance.now();
  const r = await loadDemo(createServices(database), data);
  console.log(`demo loaded into ${dir} in ${fmt((performance.now() - t0) / 1000, 1)} s: ${r.summary}`);
} else console.log(`reusing the store in ${dir}`);

if (!a['skip-train']) {
  const svc = new RecommendService(database.db);
  const c0 = cpu();
  const t0 = performance.now();
  const { finished } = await svc.train({ actor: SYSTEM });
  const s = await finished;
  const m = s.metrics!;
  console.log(`\ntraining from the ledger (worker thread): ${m.customers} customers × ${m.items} products, ${m.interactions} order lines, ${m.collaborative}`);
  console.log(`  read ${m.seconds.read} s, train ${m.seconds.train} s (in the worker), encode ${m.seconds.encode} s, write ${m.seconds.write} s; total ${m.seconds.total} s wall (${fmt((performance.now() - t0) / 1000, 1)} s here), CPU ${fmt(cpu() - c0, 1)} s (this process: main + worker thread); model ${fmt(m.bytes / 1e6, 1)} MB`);
  console.log(`  floor: training on the full Online Retail history ≤ 30 s → train ${m.seconds.train} s ${m.seconds.train <= 30 ? 'ok' : 'OVER (under load?)'}`);
  // a restart: a fresh service loads the stored version instead of retraining
  const fresh = new RecommendService(database.db);
  const t1 = performance.now();
  await fresh.model();
  console.log(`  restart: loading the stored version took ${fmt(performance.now() - t1, 0)} ms (version ${fresh.serving()?.id})`);
}
const customers = (await sql<{ id: number }>`select id from customers where exists (select 1 from sales s where s.customer_id = customers.id) order by md5(id::text) limit ${N}`.execute(database.db)).rows.map((r) => r.id);
const skus = (await sql<{ sku: string }>`select p.sku from products p join stock_levels l on l.product_id = p.id join locations x on x.id = l.location_id and x.code = 'UKR'
  where l.last_sale_at is not null order by md5(p.sku) limit ${N}`.execute(database.db)).rows.map((r) => r.sku);
await database.close();

const srv = await startServer({ SHELFWISE_DB_DIR: join(dir, ''), DATABASE_URL: '' });
try {
  const t0 = performance.now();
  await srv.call('GET', `/api/recommendations/customers/${customers[0]}?location=UKR`);
  console.log(`\nserver: first request (loads the stored model) ${fmt(performance.now() - t0, 0)} ms`);
  const ages = ['child', 'teen', 'adult', 'senior'];
  const shapes: [string, (i: number) => string][] = [
    ['customer (blend + reasons), UKR', (i) => `/api/recommendations/customers/${customers[i % customers.length]}?location=UKR&limit=10`],
    ['item (bought together + similar), UKR', (i) => `/api/recommendations/items/${encodeURIComponent(skus[i % skus.length])}?location=UKR&limit=10`],
    ['demographic (kiosk), FASH1', (i) => `/api/recommendations/demographic?gender=${i % 2 ? 'female' : 'male'}&ageGroup=${ages[i % 4]}&location=FASH1&limit=10`],
  ];
  console.log(`| request | n | p50 ms | p99 ms |`);
  console.log(`|---|---|---|---|`);
  for (const [label, path] of shapes) {
    for (let i = 0; i < 10; i++) await srv.call('GET', path(i)); // warm-up (and the demographic cache)
    const t: number[] = [];
    for (let i = 0; i < N; i++) {
      const s = performance.now();
      await srv.call('GET', path(i));
      t.push(performance.now() - s);
    }
    t.sort((x, y) => x - y);
    console.log(`| ${label} | ${N} | ${fmt(percentile(t, 50), 1)} | ${fmt(percentile(t, 99), 1)} |`);
  }
} finally {
  await srv.stop();
}
database = undefined as never;
