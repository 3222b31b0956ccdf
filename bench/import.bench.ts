/**
 * Floor (issue 2): import the 541,909 UCI Online Retail lines into PGlite on disk in ≤ 60 s.
 * Measures the demo's Online Retail load (parse → products, customers, invoices, ledger with weekly receipts)
 * on a fresh on-disk PGlite, and the user-facing `import sales` path on the same lines converted to the
 * documented sales CSV format. With DATABASE_URL set, the same on PostgreSQL.
 * Run: npx tsx bench/import.bench.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { dataFile } from '../src/config/data-dir.ts';
import { dropSchema, openDatabase, type Database } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { appendMovements, ensureCustomers, insertSales, reserveIds } from '../src/db/repositories/bulk.repository.ts';
import { planOnlineRetail, readOnlineRetail } from '../src/demo/online-retail.ts';
import { SYSTEM } from '../src/services/actor.ts';
import { CatalogService } from '../src/services/catalog.service.ts';
import { ImportService } from '../src/services/import.service.ts';
import { inTransaction } from '../src/services/transaction.ts';
import { fmt } from './helpers.ts';

const file = dataFile('retail', 'online_retail_2010_2011.csv');
if (!file) {
  console.log('skipped: retail/online_retail_2010_2011.csv not found under SHELFWISE_DATA');
  process.exit(0);
}

async function onlineRetailLoad(database: Database) {
  const t0 = performance.now();
  const { lines, excluded } = await readOnlineRetail(file!);
  const tParse = performance.now();
  const plan = planOnlineRetail(lines);
  await inTransaction(database.db, async (trx) => {
    const loc = await trx.insertInto('locations').values({ code: 'UKR', name: 'UK', kind: 'store' }).returning('id').executeTakeFirstOrThrow();
    const pid = new Map<string, number>();
    for (let i = 0; i < plan.products.length; i += 5000) {
      const b = plan.products.slice(i, i + 5000);
      const r = await sql<{ id: number; sku: string }>`insert into products (sku, name, category, price, cost)
        select * from unnest(${b.map((p) => p.sku)}::text[], ${b.map((p) => p.name)}::text[], ${b.map((p) => p.category)}::text[], ${b.map((p) => p.price)}::numeric[], ${b.map((p) => p.cost)}::numeric[]) returning id, sku`.execute(trx);
      for (const x of r.rows) pid.set(x.sku, x.id);
    }
    const cust = await ensureCustomers(trx, plan.customers);
    const ids = await reserveIds(trx, 'sales_id_seq', plan.invoices.length);
    const saleOf = new Map(plan.invoices.map((inv, i) => [inv.invoice, ids[i]]));
    await insertSales(trx, plan.invoices.map((inv, i) => ({ id: ids[i], locationId: loc.id, customerId: inv.customer ? cust.get(inv.customer)! : null, orderRef: inv.invoice, channel: 'online', occurredAt: inv.at, total: 0 })), null);
    await appendMovements(
      trx,
      plan.movements.map((m) => ({ productId: pid.get(m.sku)!, locationId: loc.id, kind: m.kind, qty: m.qty, unitCost: null, unitPrice: m.price, reason: m.reason, saleId: m.invoice ? saleOf.get(m.invoice)! : null, occurredAt: m.at })),
      { id: null, label: 'bench' },
    );
  });
  const t1 = performance.now();
  return { lines: lines.length + excluded, movements: plan.movements.length, parseS: (tParse - t0) / 1000, totalS: (t1 - t0) / 1000 };
}

async function salesCsvImport(database: Database, dir: string) {
  // The same lines in the documented sales CSV format (date,sku,qty,store,price,customer,order).
  const { lines } = await readOnlineRetail(file!);
  const csv = join(dir, 'sales.csv');
  const products = join(dir, 'products.csv');
  const skus = [...new Set(lines.map((l) => l.sku))];
  writeFileSync(products, 'sku,name\n' + skus.map((s) => `${s},item ${s}`).join('\n') + '\n');
  writeFileSync(csv, 'date,sku,qty,store,price,customer,order\n' + lines.filter((l) => l.qty !== 0).map((l) => `${l.at.toISOString()},${l.sku},${l.qty},S1,${Math.max(0, l.price)},${l.customer ?? ''},${l.invoice}`).join('\n') + '\n');
  await new CatalogService(database.db).createLocation(SYSTEM, { code: 'S1', name: 'S1', kind: 'store' });
  const imp = new ImportService(database.db);
  await imp.importFile(SYSTEM, 'products', products);
  const t0 = performance.now();
  const r = await imp.importFile(SYSTEM, 'sales', csv, { allowNegative: true });
  return { rows: r.written, bad: r.bad.length, s: (performance.now() - t0) / 1000 };
}

const targets: { name: string; open: () => Promise<{ database: Database; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'PGlite (on disk)',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sw-bench-'));
      const database = await openDatabase({ dir: join(dir, 'db') });
      await migrateToLatest(database);
      return { database, cleanup: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
];
if (process.env.DATABASE_URL) {
  const url = process.env.DATABASE_URL;
  targets.push({
    name: 'PostgreSQL',
    open: async () => {
      const schema = `bench_${Date.now()}`;
      const database = await openDatabase({ url, schema });
      await migrateToLatest(database);
      return { database, cleanup: async () => { await database.close(); await dropSchema(url, schema); } };
    },
  });
}

console.log('import benchmark: UCI Online Retail, 541,909 lines');
for (const t of targets) {
  let { database, cleanup } = await t.open();
  const a = await onlineRetailLoad(database);
  await cleanup();
  console.log(`${t.name}  demo load: ${fmt(a.lines)} lines → ${fmt(a.movements)} movements in ${fmt(a.totalS, 1)} s (parse ${fmt(a.parseS, 1)} s) = ${fmt(a.lines / a.totalS)} lines/s  [floor ≤ 60 s: ${a.totalS <= 60 ? 'met' : 'NOT met'}]`);
  ({ database, cleanup } = await t.open());
  const b = await salesCsvImport(database, mkdtempSync(join(tmpdir(), 'sw-bench-csv-')));
  await cleanup();
  console.log(`${t.name}  import sales CSV: ${fmt(b.rows)} rows in ${fmt(b.s, 1)} s = ${fmt(b.rows / b.s)} rows/s (bad rows: ${b.bad})`);
}
