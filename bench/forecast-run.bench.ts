/**
 * A full forecast run on the demo store: the Online Retail history loaded into a temporary on-disk PGlite by the
 * demo loader, then one daily run (horizon 28) for every SKU × location with sales, timed by phase.
 *
 *   npx tsx bench/forecast-run.bench.ts [--db DIR] [--freq D|W|M] [--horizon N] [--runs N]
 *
 * --db DIR reuses (or fills, when empty) a PGlite folder, so repeated runs skip the 1-3 minute load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir } from '../src/config/data-dir.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { demoAvailable, loadDemo } from '../src/demo/demo.ts';
import { log } from '../src/log.ts';
import { createServices } from '../src/services/index.ts';
import { ForecastService, type RunProgress } from '../src/services/forecast.service.ts';

const { values: a } = parseArgs({ options: { db: { type: 'string' }, freq: { type: 'string', default: 'D' }, horizon: { type: 'string' }, runs: { type: 'string', default: '1' } } });
const data = dataDir();
if (!demoAvailable(data)) {
  console.log(`skipped: the demo data sets are not in ${data} (set SHELFWISE_DATA)`);
  process.exit(0);
}
log.setLevel('warn');
const dir = a.db ?? mkdtempSync(join(tmpdir(), 'shelfwise-forecast-bench-'));
const database = await openDatabase({ dir });
await migrateToLatest(database);
const services = createServices(database);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const fmt = (x: number, d = 1) => x.toFixed(d);

const has = (await database.db.selectFrom('products').select('id').limit(1).execute()).length > 0;
if (!has) {
  const t0 = performance.now();
  let last = 0;
  const r = await loadDemo(services, data, (p) => {
    if (performance.now() - last > 10_000) { last = performance.now(); console.error(`  ${p.message}`); }
  });
  console.log(`demo loaded into ${dir} in ${fmt((performance.now() - t0) / 1000)} s: ${r.summary}`);
} else console.log(`reusing the store in ${dir}`);
const movements = await database.db.selectFrom('stock_movements').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', 'in', ['sale', 'return']).executeTakeFirstOrThrow();

const svc = new ForecastService(database);
const freq = a.freq as 'D' | 'W' | 'M';
const horizon = a.horizon ? Number(a.horizon) : { D: 28, W: 13, M: 6 }[freq];
console.log(`\nforecast run: freq ${freq}, horizon ${horizon}, ${movements.n.toLocaleString()} sale/return movements in the ledger; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on 2 cores`);
console.log('| run | series | read s | forecast s | write s | total s | series/s (wall) | CPU s | series/CPU-s |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (let k = 1; k <= Number(a.runs); k++) {
  const c0 = cpu();
  const t0 = performance.now();
  let lastPhase = '';
  const r = await svc.run({ freq, horizon, onProgress: (p: RunProgress) => { if (p.phase !== lastPhase) { lastPhase = p.phase; console.error(`  ${p.phase} … ${((performance.now() - t0) / 1000).toFixed(1)} s`); } } });
  const wall = (performance.now() - t0) / 1000;
  const c = cpu() - c0;
  console.log(`| ${k} | ${r.series} | ${fmt(r.seconds.read, 2)} | ${fmt(r.seconds.forecast, 2)} | ${fmt(r.seconds.write, 2)} | ${fmt(wall, 2)} | ${fmt(r.series / wall, 0)} | ${fmt(c, 1)} | ${fmt(r.series / c, 0)} |`);
}

// Reads: the latest forecast of one SKU × location (the product page), 200 times over varied SKUs.
const skus = (await database.db.selectFrom('forecasts').innerJoin('products', 'products.id', 'forecasts.product_id').select('products.sku').distinct().limit(200).execute()).map((x) => x.sku);
const times: number[] = [];
for (const sku of skus) {
  const t = performance.now();
  await svc.latest(sku, 'UKR', freq);
  times.push(performance.now() - t);
}
times.sort((x, y) => x - y);
const rows = await database.db.selectFrom('forecasts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`\nlatest(sku, location) over ${times.length} SKUs: p50 ${fmt(times[Math.floor(times.length / 2)], 2)} ms, p99 ${fmt(times[Math.floor(times.length * 0.99)], 2)} ms; forecasts rows stored: ${rows.n}`);
await database.close();
if (!a.db) rmSync(dir, { recursive: true, force: true });
