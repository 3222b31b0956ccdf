import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { ImportService } from '../../src/services/import.service.ts';
import { exportRows } from '../../src/services/export.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';
import { describeEachDb } from '../helpers/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'sw-import-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describeEachDb('import', (get) => {
  let imp: ImportService;
  const count = async (t: 'products' | 'stock_movements' | 'sales') => {
    const { db } = get();
    return Number((await db.selectFrom(t).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  };
  before(async () => {
    imp = new ImportService(get().db);
    await new CatalogService(get().db).createLocation(SYSTEM, { code: 'S1', name: 'Store', kind: 'store' });
  });

  test('bad product rows are reported with line numbers and nothing is written', async () => {
    const f = file('bad.csv', 'sku,name,price,gender\nA1,Alpha,3.50,women\nA 2,Bad sku,1,men\nA3,,2,men\nA4,Delta,-1,men\nA5,Echo,x,men\nA1,Again,1,men\nA6,Foxtrot,1,martian\nA7,"Quoted, name",2.5,unisex\n');
    const r = await imp.importFile(SYSTEM, 'products', f);
    assert.equal(r.written, 0);
    assert.equal(await count('products'), 0);
    assert.deepEqual(
      r.bad.map((b) => [b.line, b.field]),
      [[3, 'sku'], [4, 'name'], [5, 'price'], [6, 'price'], [7, 'sku'], [8, 'gender']],
    );
    assert.match(r.bad[2].reason, /price must not be negative \(got "-1"\)/);
  });

  test('--skip-bad writes the good rows; duplicates within the file are bad rows', async () => {
    const f = file('mixed.csv', 'sku,name,price,cost,category,colour\nA1,Alpha,3.50,1.2,Tops,Navy\nA2,Beta,x,1,Tops,Red\nA1,Dup,1,1,Tops,Red\nA3,"Gamma, with comma",4,2,Bottoms,Black\n');
    const r = await imp.importFile(SYSTEM, 'products', f, { skipBad: true });
    assert.equal(r.written, 2);
    assert.deepEqual(r.bad.map((b) => b.line), [3, 4]);
    assert.match(r.bad[1].reason, /appears twice \(first on line 2\)/);
    const p = await new CatalogService(get().db).getProduct('A3');
    assert.equal(p.name, 'Gamma, with comma');
    assert.equal(p.colour, 'Black');
  });

  test('XLSX products import', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('p');
    ws.addRow(['SKU', 'Name', 'Price', 'Gender']);
    ws.addRow(['X1', 'Xlsx one', 9.99, 'Men']);
    ws.addRow(['X2', 'Xlsx two', 19.5, 'girls']);
    const p = join(dir, 'p.xlsx');
    await wb.xlsx.writeFile(p);
    const r = await imp.importFile(SYSTEM, 'products', p);
    assert.equal(r.bad.length, 0, JSON.stringify(r.bad));
    assert.equal(r.written, 2);
    const x2 = await new CatalogService(get().db).getProduct('X2');
    assert.deepEqual([x2.price, x2.gender], [19.5, 'girls']);
  });

  test('stock counts set on-hand through stocktake movements; sales history with a return', async () => {
    const s = await imp.importFile(SYSTEM, 'stock', file('stock.csv', 'sku,qty,low_threshold\nA1,10,2\nA3,5,\n'), { location: 'S1' });
    assert.equal(s.written, 2, JSON.stringify(s.bad));
    const sales = file(
      'sales.csv',
      'date,sku,qty,store,price,customer,order\n2026-01-05,A1,3,S1,3.5,C1,O-1\n2026-01-05T10:00:00Z,A3,1,S1,4,C1,O-1\n2026-01-06,A1,-1,S1,3.5,C1,R-1\n2026-01-07,A1,2,S1,,,\n',
    );
    const r = await imp.importFile(SYSTEM, 'sales', sales);
    assert.equal(r.bad.length, 0, JSON.stringify(r.bad));
    assert.equal(r.written, 4);
    const lvls = await get().db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').select(['p.sku', 's.on_hand', 's.low_threshold']).orderBy('p.sku').execute();
    assert.deepEqual(lvls.map((l) => [l.sku, l.on_hand, l.low_threshold]), [['A1', 6, 2], ['A3', 4, null]]);
    assert.equal(await count('sales'), 3, 'O-1, R-1 and the order-less row');
    assert.deepEqual(await new InventoryService(get().db).checkLedger(), []);
    // The same orders again: refused as already imported, nothing written.
    const again = await imp.importFile(SYSTEM, 'sales', sales);
    assert.equal(again.written, 0);
    assert.match(again.bad[0].reason, /order O-1 was already imported/);
  });

  test('export pages through every stock row exactly once (keyset, tiny pages)', async () => {
    const { db } = get();
    const rows: Record<string, unknown>[] = [];
    for await (const r of exportRows(db, 'stock', 1)) rows.push(r);
    const levels = await db.selectFrom('stock_levels').select(['sku', 'location_code']).orderBy('product_id').orderBy('location_id').execute();
    assert.ok(levels.length >= 2);
    assert.deepEqual(rows.map((r) => `${r.sku}@${r.location}`), levels.map((l) => `${l.sku}@${l.location_code}`));
  });

  test('sales that would take stock below zero are bad rows unless --allow-negative', async () => {
    const f = file('neg.csv', 'date,sku,qty,store\n2026-02-01,A3,3,S1\n2026-02-02,A3,5,S1\nbad-date,A3,1,S1\n2026-02-03,NOPE,1,S1\n');
    const before = await count('stock_movements');
    const r = await imp.importFile(SYSTEM, 'sales', f);
    assert.deepEqual(r.bad.map((b) => [b.line, b.field]), [[4, 'date'], [5, 'sku']]);
    assert.equal(await count('stock_movements'), before);
    const r2 = await imp.importFile(SYSTEM, 'sales', file('neg2.csv', 'date,sku,qty,store\n2026-02-01,A3,3,S1\n2026-02-02,A3,5,S1\n'));
    assert.deepEqual(r2.bad.map((b) => b.line), [3]);
    assert.match(r2.bad[0].reason, /below zero \(1 available\)/);
    assert.equal(await count('stock_movements'), before);
    const r3 = await imp.importFile(SYSTEM, 'sales', file('neg3.csv', 'date,sku,qty,store\n2026-02-01,A3,3,S1\n2026-02-02,A3,5,S1\n'), { allowNegative: true });
    assert.equal(r3.written, 2);
  });

  test('a row with a wrong number of fields and an empty file', async () => {
    const r = await imp.importFile(SYSTEM, 'products', file('fields.csv', 'sku,name\nZ1,Zed,extra\n'));
    assert.match(r.bad[0].reason, /has 3 fields, the header has 2/);
    await assert.rejects(imp.importFile(SYSTEM, 'products', file('empty.csv', '')), /empty: a header row is needed/);
    await assert.rejects(imp.importFile(SYSTEM, 'products', file('x.json', '{}')), /use .csv or .xlsx/);
  });
});
