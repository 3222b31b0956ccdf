/**
 * Waste reports over the full Online Retail history, server side (floor: each ≤ 2 s): the demo store loaded into
 * a database, then the services the API calls, timed cold (a new service: no cache) — median of 3.
 *
 *   npx tsx bench/waste.bench.ts                  # embedded PGlite in $BENCH_DB_DIR (default /tmp/shelfwise-waste-bench)
 *   DATABASE_URL=postgres://… npx tsx bench/waste.bench.ts
 *
 * The demo is loaded once (kept in the folder/schema for reruns).
 */
import { formatMatrix } from '../src/domain/markdown/index.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { dataDir } from '../src/config/data-dir.ts';
import { demoAvailable, loadDemo } from '../src/demo/demo.ts';
import { SYSTEM } from '../src/services/actor.ts';
import { createServices } from '../src/services/index.ts';
import { effectivePrices, PromotionsService } from '../src/services/promotions.service.ts';
import { WasteService } from '../src/services/waste.service.ts';

const FLOOR_MS = 2000;
const url = process.env.DATABASE_URL || undefined;
const database = await openDatabase(url ? { url, schema: process.env.BENCH_SCHEMA ?? 'waste_bench' } : { dir: process.env.BENCH_DB_DIR ?? '/tmp/shelfwise-waste-bench' });
await migrateToLatest(database);
const services = createServices(database);
const sales = await database.db.selectFrom('sales').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
if (Number(sales.n) === 0) {
  if (!demoAvailable(dataDir())) {
    console.log(`skipped: the demo data sets are not in ${dataDir()}`);
    process.exit(0);
  }
  const t = performance.now();
  await loadDemo(services, dataDir(), (p) => process.stderr.write(`\rdemo: ${JSON.stringify(p).slice(0, 100)}   `));
  console.error(`\ndemo loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const db = database.db;
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

const cold = () => new WasteService(db);
for (const location of [undefined, 'UKR']) {
  const tag = location ? ` (${location})` : ' (all locations)';
  const cls = await timed(`ABC/XYZ matrix${tag}`, () => cold().classification({ location }));
  const slow = await timed(`slow/dead ranking${tag}`, () => cold().slowStock({ location }));
  const offers = await timed(`markdown offers, all excess items${tag}`, () => cold().offers({ location, limit: 100_000 }));
  const el = await timed(`elasticities${tag}`, () => cold().elasticities({ location }));
  console.log(`\n== ${tag.trim()}: as of ${cls.anchor.today}, ${cls.matrix.reduce((s, c) => s + c.count, 0)} items, analysis ${cls.total ? '' : '(empty) '}`);
  console.log(formatMatrix(cls.matrix));
  const t = slow.totals;
  console.log(`slow/dead: ${t.dead} dead, ${t.slow} slow, ${Math.round(t.excessUnits)} excess units, tied up ${t.tiedUpValue.toFixed(0)} of ${t.stockValue.toFixed(0)}`);
  const clear = offers.offers.filter((o) => !o.cannotClear).length;
  const rev = offers.offers.reduce((s, o) => s + o.revenue, 0);
  const base = offers.offers.reduce((s, o) => s + o.baseline.revenue, 0);
  const src = offers.offers.reduce((m, o) => m.set(o.elasticitySource, (m.get(o.elasticitySource) ?? 0) + 1), new Map<string, number>());
  console.log(`offers: ${offers.total} excess items with demand (${clear} clear by ${offers.targetDate}), ${offers.noDemand.count} without demand; expected revenue ${rev.toFixed(0)} vs ${base.toFixed(0)} without markdown; elasticity sources ${JSON.stringify(Object.fromEntries(src))}`);
  console.log(`elasticities: ${el.items} items (${el.withOwnEstimate} own), pooled ${el.pooled}, mean ${el.mean}, quantiles ${JSON.stringify(el.quantiles)}`);
  if (offers.offers[0]) await timed(`bundles for the top offer${tag}`, () => cold().bundles(offers.offers[0].sku, { location: offers.offers[0].location }), 1);
}
const w = new WasteService(db);
await timed('cached analysis (second request)', () => w.classification({}), 3);
await timed('dead-stock check (alerts)', () => w.checkDeadStock(SYSTEM), 1);
const ids = (await db.selectFrom('products').select('id').limit(1000).execute()).map((r) => r.id);
await timed('effectivePrices for 1,000 products', () => effectivePrices(db, ids));
await timed('promotions list with results', () => new PromotionsService(db, w).list());

console.log(`\n${'report (server side)'.padEnd(52)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)}  floor ${FLOOR_MS} ms`);
for (const r of rows) console.log(`${r.what.padEnd(52)} ${r.wall.toFixed(0).padStart(8)} ${r.cpu.toFixed(0).padStart(8)}  ${r.wall <= FLOOR_MS ? 'ok' : 'OVER'}`);
await database.close();
