import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import fc from 'fast-check';
import { parseNumberList } from '../../src/db/number-list.ts';
import { salesArrays } from '../../src/db/repositories/waste.repository.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { ImportService } from '../../src/services/import.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';
import { describeEachDb } from '../helpers/db.ts';

/** The summary as the trigger keeps it, and the same figures grouped from the raw ledger: they must agree. */
async function both(db: Kysely<DB>) {
  const deltas = await sql<{ k: string }>`
    select coalesce(a.k, b.k) as k from
      (select product_id || '/' || location_id || '/' || day || '/' || delta || '/' || sale_rows as k from ledger_daily where delta <> 0 or sale_rows <> 0) a
      full join (select product_id || '/' || location_id || '/' || (occurred_at at time zone 'UTC')::date || '/' || sum(qty) || '/' || count(*) filter (where kind in ('sale', 'return')) as k
        from stock_movements group by product_id, location_id, (occurred_at at time zone 'UTC')::date) b on a.k = b.k
    where a.k is null or b.k is null`.execute(db);
  assert.deepEqual(deltas.rows, [], 'on-hand change and sale rows per day agree with the ledger');
  const kept = await sql<{ k: string }>`
    select product_id || '/' || location_id || '/' || day || '/' || net || '/' || sold || '/' || revenue::numeric(16,2) as k
    from ledger_daily where sale_rows > 0 and (net <> 0 or sold <> 0 or revenue <> 0) order by 1`.execute(db);
  const raw = await sql<{ k: string }>`
    select product_id || '/' || location_id || '/' || d || '/' || net || '/' || sold || '/' || revenue::numeric(16,2) as k from (
      select product_id, location_id, (occurred_at at time zone 'UTC')::date as d, sum(-qty) as net,
        sum(case when kind = 'sale' then -qty else 0 end) as sold,
        sum(case when kind = 'sale' then -qty * coalesce(unit_price, 0) else 0 end) as revenue
      from stock_movements where kind in ('sale', 'return') group by 1, 2, 3) x
    where net <> 0 or sold <> 0 or revenue <> 0 order by 1`.execute(db);
  return { kept: kept.rows.map((r) => r.k), raw: raw.rows.map((r) => r.k) };
}

describeEachDb('ledger_daily summary kept by the ledger trigger', (get) => {
  let inv: InventoryService;
  before(async () => {
    const { db } = get();
    inv = new InventoryService(db);
    const cat = new CatalogService(db);
    await cat.createLocation(SYSTEM, { code: 'S1', name: 'Store 1', kind: 'store' });
    await cat.createLocation(SYSTEM, { code: 'S2', name: 'Store 2', kind: 'store' });
    for (const sku of ['A', 'B', 'HOT']) await cat.createProduct(SYSTEM, { sku, name: `Item ${sku}`, price: 10, cost: 4 });
    await inv.postMovements(SYSTEM, [
      { sku: 'A', location: 'S1', kind: 'receipt', qty: 50 },
      { sku: 'B', location: 'S1', kind: 'receipt', qty: 50 },
      { sku: 'A', location: 'S2', kind: 'receipt', qty: 50 },
      { sku: 'HOT', location: 'S1', kind: 'receipt', qty: 40 },
    ]);
  });

  test('sales, returns and receipts: only sales and returns count, at the price paid, per UTC day', async () => {
    const { db } = get();
    const s = await inv.recordSale(SYSTEM, { location: 'S1', occurredAt: new Date('2026-03-02T23:30:00Z'), lines: [{ sku: 'A', qty: 3, unitPrice: 8 }, { sku: 'B', qty: 2 }, { sku: 'A', qty: 1 }] });
    await inv.recordSale(SYSTEM, { location: 'S2', occurredAt: new Date('2026-03-03T00:10:00Z'), lines: [{ sku: 'A', qty: 5, unitPrice: 9.5 }] });
    await inv.recordReturn(SYSTEM, s.result.id, { lines: [{ sku: 'A', qty: 2 }] });
    const rows = await db.selectFrom('ledger_daily as d').innerJoin('products as p', 'p.id', 'd.product_id').innerJoin('locations as l', 'l.id', 'd.location_id')
      .select(['p.sku', 'l.code', 'd.day', 'd.net', 'd.sold', 'd.revenue']).where('d.day', '<', '2026-03-04').orderBy('p.sku').orderBy('l.code').orderBy('d.day').execute();
    assert.deepEqual(rows.map((r) => [r.sku, r.code, r.day, r.net, r.sold, Number(r.revenue)]), [
      ['A', 'S1', '2026-03-02', 4, 4, 34],
      ['A', 'S2', '2026-03-03', 5, 5, 47.5],
      ['B', 'S1', '2026-03-02', 2, 2, 20],
    ]);
    const all = await both(db);
    assert.deepEqual(all.kept, all.raw);
    assert.ok(all.kept.some((k) => k.includes('/-2/0/')), 'the return is on its own day with net −2, nothing sold');
  });

  test('an imported sales history (bulk path) is summarised too', async () => {
    const { db } = get();
    const dir = mkdtempSync(join(tmpdir(), 'sw-sd-'));
    const f = join(dir, 'sales.csv');
    writeFileSync(f, 'date,sku,qty,store,price,order\n2026-02-01,B,3,S1,7,O-1\n2026-02-01,B,1,S1,7.5,O-2\n2026-02-02,A,2,S2,9,O-3\n2026-02-03,B,-1,S1,7,R-1\n');
    const r = await new ImportService(db).importFile(SYSTEM, 'sales', f);
    assert.equal(r.bad.length, 0, JSON.stringify(r.bad));
    const b = await db.selectFrom('ledger_daily as d').innerJoin('products as p', 'p.id', 'd.product_id').select(['d.day', 'd.net', 'd.revenue']).where('p.sku', '=', 'B').where('d.day', '<', '2026-03-01').orderBy('d.day').execute();
    assert.deepEqual(b.map((x) => [x.day, x.net, Number(x.revenue)]), [['2026-02-01', 4, 28.5], ['2026-02-03', -1, 0]]);
    const all = await both(db);
    assert.deepEqual(all.kept, all.raw);
  });

  test('40 concurrent one-unit sales of one item on one day lose no unit in the summary', async () => {
    const { db } = get();
    const res = await Promise.allSettled(Array.from({ length: 40 }, () => inv.recordSale(SYSTEM, { location: 'S1', occurredAt: new Date('2026-03-05T12:00:00Z'), lines: [{ sku: 'HOT', qty: 1 }, { sku: 'B', qty: 1 }] })));
    const ok = res.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 40, JSON.stringify(res.find((r) => r.status === 'rejected')));
    const hot = await db.selectFrom('ledger_daily as d').innerJoin('products as p', 'p.id', 'd.product_id').select(['d.net', 'd.sold']).where('p.sku', '=', 'HOT').where('d.day', '=', '2026-03-05').executeTakeFirstOrThrow();
    assert.deepEqual([hot.net, hot.sold], [40, 40]);
    const all = await both(db);
    assert.deepEqual(all.kept, all.raw);
  });

  test('the waste read returns the summary per item, days as epoch days', async () => {
    const { db } = get();
    const out = await salesArrays(db, null, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-04T00:00:00Z'));
    const a = await db.selectFrom('products').select('id').where('sku', '=', 'A').executeTakeFirstOrThrow();
    const aS1 = out.filter((x) => x.product_id === a.id).map((x) => [x.days, x.net, x.sold, x.revenue]);
    const day = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
    // Sale on 2 March, the return booked today (outside the window), A at S2 on 3 March.
    assert.deepEqual(aS1, [[[day('2026-03-02')], [4], [4], [34]], [[day('2026-03-03')], [5], [5], [47.5]]]);
  });

  test('a deleted or edited movement is folded back out; truncating the ledger empties the summary', async () => {
    const { db } = get();
    // The ledger is append-only in the app; this checks the trigger stays right if someone edits it by hand.
    await sql`update stock_movements set occurred_at = occurred_at + interval '1 day' where kind = 'sale' and qty = -5`.execute(db);
    await sql`delete from stock_movements where kind = 'return'`.execute(db);
    const all = await both(db);
    assert.deepEqual(all.kept, all.raw);
    await sql`truncate stock_movements`.execute(db);
    const n = await db.selectFrom('ledger_daily').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 0);
  });
});

describe('parseNumberList (the hand parser of the waste read)', () => {
  test('reads the same numbers as Number(), in order', () => {
    assert.deepEqual([...parseNumberList('17 3 15000 -2 0 0.00,18 3 15001 4 4 -12.5')], [17, 3, 15000, -2, 0, 0, 18, 3, 15001, 4, 4, -12.5]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), fc.boolean()), { minLength: 1, maxLength: 50 }), (xs) => {
        const texts = xs.map(([i, f, dec]) => (dec ? `${i < 0 || Object.is(i, -0) ? '-' : ''}${Math.abs(i)}.${String(f).padStart(2, '0')}` : String(i)));
        const got = [...parseNumberList(texts.join(' '))];
        assert.deepEqual(got, texts.map(Number));
      }),
    );
  });
  test('float8 text: exponents, long mantissas, NaN and infinities read as Number() reads them', () => {
    const xs = ['1e-05', '-2.5E+20', '0.1234567890123456789', '12345678901234567', 'NaN', 'Infinity', '-Infinity', '3'];
    assert.deepEqual([...parseNumberList(xs.join(' '))], xs.map(Number));
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 50 }), (ds) => {
        const texts = ds.map((d) => String(d));
        assert.deepEqual([...parseNumberList(texts.join(','))], texts.map(Number));
      }),
    );
  });
  test('refuses what is not a number list', () => {
    assert.throws(() => parseNumberList('1 2 x'), /unexpected number "x"/);
    assert.throws(() => parseNumberList('1 2-3'), /unexpected number "2-3"/);
  });
});
