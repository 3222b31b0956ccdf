/**
 * Floor (issue 2): GET /api/inventory (paged, filtered, sorted) p99 ≤ 50 ms with 50,000 SKU × location rows.
 * Seeds 25,000 products × 2 locations through the bulk import path, then times each query shape over HTTP.
 * Run: npx tsx bench/inventory-query.bench.ts   (with DATABASE_URL set, PostgreSQL too)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.ts';
import { dropSchema } from '../src/db/connection.ts';
import { fmt, percentile, startServer } from './helpers.ts';

const N = 25_000;
const REPS = Number(process.env.BENCH_REPS ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'sw-bench-inv-'));
const cats = ['Tops', 'Bottoms', 'Shoes', 'Bags', 'Accessories', 'Dresses', 'Outerwear', 'Kids'];
writeFileSync(join(dir, 'products.csv'), 'sku,name,category,price,cost\n' + Array.from({ length: N }, (_, i) => `P${String(i).padStart(6, '0')},Product ${i} ${cats[i % 8].toLowerCase()} item,${cats[i % 8]},${(i % 90) + 9.99},${(i % 40) + 3}`).join('\n') + '\n');
for (const loc of ['A1', 'A2']) writeFileSync(join(dir, `stock-${loc}.csv`), 'sku,qty,low_threshold\n' + Array.from({ length: N }, (_, i) => `P${String(i).padStart(6, '0')},${(i * 37 + loc.length) % 60},${i % 7}`).join('\n') + '\n');

const shapes: [string, string][] = [
  ['first page, sku order', '/api/inventory?page=1&pageSize=50'],
  ['sort by available desc', '/api/inventory?sort=-available&pageSize=50'],
  ['filter category + location', '/api/inventory?category=Shoes&location=A2&pageSize=50'],
  ['search text (222 matches)', '/api/inventory?q=product%2012&pageSize=50'],
  ['search text (no match)', '/api/inventory?q=nothing%20like%20this&pageSize=50'],
  ['low-stock alert filter', '/api/inventory?alert=low&sort=available&pageSize=50'],
  ['deep page (page 400)', '/api/inventory?page=400&pageSize=50'],
];

async function run(name: string, env: Record<string, string>) {
  for (const args of [['location', 'add', 'A1', '--name', 'A1'], ['location', 'add', 'A2', '--name', 'A2'], ['import', 'products', join(dir, 'products.csv')], ['import', 'stock', join(dir, 'stock-A1.csv'), '--location', 'A1'], ['import', 'stock', join(dir, 'stock-A2.csv'), '--location', 'A2']]) {
    const r = await runCli(args, env);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const srv = await startServer(env);
  const total = (await srv.call('GET', '/api/inventory?pageSize=1')).total;
  console.log(`${name}: ${fmt(total)} SKU × location rows`);
  for (const [label, path] of shapes) {
    for (let i = 0; i < 10; i++) await srv.call('GET', path); // warm-up
    const t: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      await srv.call('GET', path);
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    const p99 = percentile(t, 99);
    console.log(`  ${label.padEnd(28)} p50 ${fmt(percentile(t, 50), 1)} ms  p99 ${fmt(p99, 1)} ms  ${p99 <= 50 ? 'ok' : 'OVER 50 ms'}`);
  }
  await srv.stop();
}

await run('PGlite', { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '' });
if (process.env.DATABASE_URL) {
  const schema = `bench_inv_${Date.now()}`;
  await run('PostgreSQL', { DATABASE_SCHEMA: schema });
  await dropSchema(process.env.DATABASE_URL, schema);
}
