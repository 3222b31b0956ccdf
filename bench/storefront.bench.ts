/**
 * Storefront floors (issue 10):
 *  - product listing API (GET /api/shop/products) p99 ≤ 50 ms over the 44k-product fashion catalog;
 *  - 200 concurrent checkouts of the last 50 units sell exactly 50 (and checkouts per second under that contention),
 *    plus checkouts per second when stock is plentiful.
 * Runs on PGlite, and on PostgreSQL too when DATABASE_URL is set (its own schema, dropped afterwards).
 * Listing requests go through the real Hono app in process (validation, SQL, pricing, JSON), not over a socket.
 * Run: npx tsx bench/storefront.bench.ts   (needs SHELFWISE_DATA with catalog/fashion_styles.csv)
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/api/app.ts';
import { dataDir } from '../src/config/data-dir.ts';
import { dropSchema, openDatabase, type Database } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { FASHION_FILE } from '../src/demo/demo.ts';
import { readFashionCatalog } from '../src/demo/fashion-catalog.ts';
import { AppError } from '../src/errors.ts';
import { SYSTEM } from '../src/services/actor.ts';
import { createServices } from '../src/services/index.ts';
import { createStorefront } from '../src/services/storefront.service.ts';
import { fmt, percentile } from './helpers.ts';

const REPS = Number(process.env.BENCH_REPS ?? 200);
const file = join(dataDir(), ...FASHION_FILE);
if (!existsSync(file)) {
  console.log(`skipped: ${file} is missing (set SHELFWISE_DATA)`);
  process.exit(0);
}
const catalog = await readFashionCatalog(file);

const shapes: [string, string][] = [
  ['first page (relevance)', '/api/shop/products?pageSize=24'],
  ['search "shirt"', '/api/shop/products?q=shirt&pageSize=24'],
  ['women + Apparel + in stock', '/api/shop/products?gender=women&category=Apparel&inStock=true&pageSize=24'],
  ['colour Black, price asc', '/api/shop/products?colour=Black&sort=price_asc&pageSize=24'],
  ['price 20-40, price desc', '/api/shop/products?minPrice=20&maxPrice=40&sort=price_desc&pageSize=24'],
  ['deep page (page 100)', '/api/shop/products?page=100&pageSize=24'],
  ['product page', '/api/shop/products/FP-15970'],
];

async function seed(database: Database) {
  const { db } = database;
  const col = <K extends keyof (typeof catalog)[number]>(k: K) => catalog.map((p) => p[k]);
  await sql`insert into locations (code, name, kind) values ('WEB', 'Web warehouse', 'warehouse')`.execute(db);
  await sql`
    insert into products (sku, name, category, subcategory, article_type, gender, age_group, colour, season, usage, price, cost)
    select * from unnest(${col('sku')}::text[], ${col('name')}::text[], ${col('category')}::text[], ${col('subcategory')}::text[], ${col('articleType')}::text[],
      ${col('gender')}::text[], ${col('ageGroup')}::text[], ${col('colour')}::text[], ${col('season')}::text[], ${col('usage')}::text[],
      ${col('price')}::numeric[], ${col('cost')}::numeric[])`.execute(db);
  const stocked = catalog.filter((p) => p.openingQty > 0);
  // Opening stock as the demo loader has it (about three quarters stocked); set-based, the ledger is not the subject here.
  await sql`
    insert into stock_levels (product_id, location_id, on_hand)
    select p.id, (select id from locations where code = 'WEB'), u.q from unnest(${stocked.map((p) => p.sku)}::text[], ${stocked.map((p) => p.openingQty)}::int[]) as u(sku, q)
    join products p on p.sku = u.sku`.execute(db);
  await sql`analyze`.execute(db);
  return stocked.length;
}

async function run(kind: string, database: Database) {
  const t0 = performance.now();
  const stocked = await seed(database);
  const services = createServices(database);
  const shop = createStorefront(services, { location: 'WEB' });
  const app = buildApp(services);
  console.log(`${kind}: ${fmt(catalog.length)} products (${fmt(stocked)} in stock) seeded in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  for (const [label, path] of shapes) {
    for (let i = 0; i < 10; i++) await app.request(path);
    const t: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const s = performance.now();
      const r = await app.request(path);
      await r.text();
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b);
    const p99 = percentile(t, 99);
    console.log(`  ${label.padEnd(28)} p50 ${fmt(percentile(t, 50), 1)} ms  p99 ${fmt(p99, 1)} ms  ${p99 <= 50 ? 'ok' : 'OVER 50 ms'}`);
  }

  // The last 50 units, 200 shoppers at once.
  await services.catalog.createProduct(SYSTEM, { sku: 'LAST-50', name: 'Last fifty', price: 30, cost: 10 });
  await services.inventory.postMovements(SYSTEM, [{ sku: 'LAST-50', location: 'WEB', kind: 'receipt', qty: 50 }]);
  let s = performance.now();
  const res = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => shop.checkout.checkout({ email: `s${i}@example.com`, name: 'S', provider: 'in_store', lines: [{ sku: 'LAST-50', qty: 1 }] })));
  let ms = performance.now() - s;
  const sold = res.filter((r) => r.status === 'fulfilled').length;
  const refused = res.filter((r) => r.status === 'rejected' && r.reason instanceof AppError && r.reason.kind === 'insufficient_stock').length;
  const lv = await database.db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').select(['s.on_hand', 's.reserved']).where('p.sku', '=', 'LAST-50').executeTakeFirstOrThrow();
  console.log(`  200 concurrent checkouts of the last 50: sold ${sold}, refused ${refused} (insufficient stock), on hand ${lv.on_hand}, reserved ${lv.reserved} — ${sold === 50 && lv.on_hand === 0 && lv.reserved === 0 ? 'ok' : 'WRONG'}; ${fmt(ms)} ms, ${fmt(200 / (ms / 1000), 0)} attempts/s`);

  // Plenty of stock: 200 concurrent checkouts of 2 lines each over different products.
  const skus = (await sql<{ sku: string }>`select p.sku from products p join stock_levels s on s.product_id = p.id where s.on_hand - s.reserved >= 2 order by p.id limit 400`.execute(database.db)).rows.map((r) => r.sku);
  s = performance.now();
  const ok = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => shop.checkout.checkout({ email: `p${i}@example.com`, name: 'P', provider: 'in_store', lines: [{ sku: skus[2 * i], qty: 1 }, { sku: skus[2 * i + 1], qty: 1 }] })));
  ms = performance.now() - s;
  const done = ok.filter((r) => r.status === 'fulfilled').length;
  console.log(`  200 concurrent 2-line checkouts, ample stock: ${done} confirmed in ${fmt(ms)} ms = ${fmt(done / (ms / 1000), 0)} checkouts/s (reserve, sale movements, order)`);
}

{
  const database = await openDatabase({});
  await migrateToLatest(database);
  await run('PGlite', database);
  await database.close();
}
if (process.env.DATABASE_URL) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ url: process.env.DATABASE_URL, schema, poolSize: 20 });
  try {
    await migrateToLatest(database);
    await run('PostgreSQL', database);
  } finally {
    await database.close();
    await dropSchema(process.env.DATABASE_URL, schema);
  }
}
