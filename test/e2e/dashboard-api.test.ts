// The dashboard's read models (/api/dashboard/…) over the real app and database, in-process (no browser).
// Historical data: sales in December 2011 while the clock says 2026, as with the Online Retail demo store.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';

describeEachDb('dashboard API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    const ok = async (method: string, path: string, body: unknown, role: 'admin' | 'manager' | 'staff' = 'admin') => {
      const r = await h.call(method, path, { role, body });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await ok('POST', '/api/locations', { code: 'S1', name: 'Store', kind: 'store' });
    await ok('POST', '/api/products', { sku: 'CUP-1', name: 'Cup', category: 'Kitchen', price: 4, cost: 1.5 });
    await ok('POST', '/api/products', { sku: 'EQ-1', name: '=HYPERLINK("x")', category: 'Odd', price: 1, cost: 1 });
    await ok('POST', '/api/movements', { occurredAt: '2011-11-01T09:00:00Z', lines: [{ sku: 'CUP-1', location: 'S1', kind: 'receipt', qty: 100 }, { sku: 'EQ-1', location: 'S1', kind: 'receipt', qty: 5 }] });
    // 2011-12-02 (a Friday): 3 cups; 2011-12-09 (the next Friday, the latest sale): 2 + 5 cups in two sales.
    await ok('POST', '/api/sales', { location: 'S1', occurredAt: '2011-12-02T10:00:00Z', lines: [{ sku: 'CUP-1', qty: 3 }] });
    await ok('POST', '/api/sales', { location: 'S1', occurredAt: '2011-12-09T10:00:00Z', lines: [{ sku: 'CUP-1', qty: 2 }] });
    await ok('POST', '/api/sales', { location: 'S1', occurredAt: '2011-12-09T15:00:00Z', lines: [{ sku: 'CUP-1', qty: 5, unitPrice: 3 }] });
  });

  test('overview: "today" is the latest sale date when the data is historical; sales and stock value per day', async () => {
    const r = await h.call('GET', '/api/dashboard/overview?days=14', { role: 'staff' });
    assert.equal(r.status, 200);
    const o = r.body;
    assert.equal(o.anchor.historical, true);
    assert.equal(o.anchor.today, '2011-12-09');
    assert.equal(o.days.length, 14);
    assert.equal(o.days.at(-1), '2011-12-09');
    assert.deepEqual(o.today, { orders: 2, revenue: 2 * 4 + 5 * 3 });
    assert.deepEqual(o.sameWeekdayLastWeek, { orders: 1, revenue: 12 });
    assert.equal(o.units.at(-1), 7);
    // Stock value at cost: 90 cups × 1.5 + 5 × 1 now; 93 cups before the last day's sales.
    assert.equal(o.stockValue.at(-1), 90 * 1.5 + 5);
    assert.equal(o.stockValue.at(-2), 97 * 1.5 + 5);
    assert.equal(o.stockValue[0], 100 * 1.5 + 5);
    const s = await h.call('GET', '/api/summary', { role: 'staff' });
    assert.equal(s.body.stockValue, o.stockValue.at(-1), 'the chart ends at the KPI');
  });

  test('sparklines: units sold per week, oldest first, per SKU@LOCATION', async () => {
    const r = await h.call('GET', '/api/dashboard/sparklines?items=CUP-1@S1,EQ-1@S1&weeks=2', { role: 'staff' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.series, { 'CUP-1@S1': [3, 7], 'EQ-1@S1': [0, 0] });
    const bad = await h.call('GET', '/api/dashboard/sparklines?items=CUP-1', { role: 'staff' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.field, /^items/);
  });

  test('product sales history: daily and weekly buckets; unknown SKU is a 404 naming the field', async () => {
    const d = await h.call('GET', '/api/dashboard/products/CUP-1/sales?bucket=day&days=8', { role: 'staff' });
    assert.equal(d.status, 200);
    assert.equal(d.body.periods.at(-1), '2011-12-09');
    assert.deepEqual(d.body.units, [3, 0, 0, 0, 0, 0, 0, 7]);
    assert.equal(d.body.revenue.at(-1), 23);
    const w = await h.call('GET', '/api/dashboard/products/CUP-1/sales?bucket=week&days=14', { role: 'staff' });
    assert.deepEqual(w.body.units, [3, 7]);
    const missing = await h.call('GET', '/api/dashboard/products/NOPE/sales', { role: 'staff' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.field, 'sku');
  });

  test('inventory CSV: the filtered, sorted view; text that looks like a formula is neutralised', async () => {
    const all = await h.call('GET', '/api/dashboard/inventory.csv?sort=-on_hand', { role: 'staff' });
    assert.equal(all.status, 200);
    assert.match(all.headers.get('content-type') ?? '', /text\/csv/);
    const lines = String(all.body).trim().split('\r\n');
    assert.equal(lines[0], 'sku,name,category,status,location,on_hand,reserved,available,low_threshold,last_movement_at,last_sale_at');
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^CUP-1,Cup,Kitchen,active,S1,90,0,90,,2011-12-09T15:00:00.000Z,2011-12-09T15:00:00.000Z$/);
    assert.match(lines[2], /^EQ-1,"'=HYPERLINK\(""x""\)",Odd,/);
    const one = await h.call('GET', '/api/dashboard/inventory.csv?q=cup', { role: 'staff' });
    assert.equal(String(one.body).trim().split('\r\n').length, 2);
    assert.equal(one.headers.get('x-total-rows'), '1');
  });

  test('inventory XLSX: the same view as a workbook with typed cells', async () => {
    const res = await h.app.request('/api/dashboard/inventory.xlsx?sort=-on_hand', { headers: { authorization: `Bearer ${h.tokens.staff}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('Inventory')!;
    assert.equal(ws.rowCount, 3);
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1, 6), ['SKU', 'Name', 'Category', 'Status', 'Location']);
    assert.deepEqual((ws.getRow(2).values as unknown[]).slice(1, 9), ['CUP-1', 'Cup', 'Kitchen', 'active', 'S1', 90, 0, 90]);
    assert.equal(ws.getRow(3).getCell(2).value, '=HYPERLINK("x")', 'a string cell, not a formula');
  });

  test('live: the events stream sends the version, then a new one after a sale', async () => {
    const res = await h.app.request('/api/dashboard/events', { headers: { authorization: `Bearer ${h.tokens.staff}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const nextVersion = async () => {
      for (;;) {
        const m = /event: version\ndata: (\S+)\n/.exec(buf);
        if (m) {
          buf = buf.slice(m.index + m[0].length);
          return m[1];
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buf += decoder.decode(value);
      }
    };
    const v1 = await nextVersion();
    const sale = await h.call('POST', '/api/sales', { role: 'staff', body: { location: 'S1', occurredAt: '2011-12-09T16:00:00Z', lines: [{ sku: 'CUP-1', qty: 1 }] } });
    assert.equal(sale.status, 201);
    const t0 = Date.now();
    const v2 = await nextVersion();
    assert.notEqual(v2, v1);
    assert.ok(Date.now() - t0 < 2500, `the change arrived after ${Date.now() - t0} ms`);
    await reader.cancel();
    await h.call('POST', `/api/sales/${sale.body.id}/returns`, { role: 'staff', body: { lines: [{ sku: 'CUP-1', qty: 1 }] } });
  });

  test('session probe answers 200 signed in or not; store settings are read by staff and changed by admins', async () => {
    const anon = await h.call('GET', '/api/dashboard/session');
    assert.equal(anon.status, 200);
    assert.equal(anon.body.user, null);
    const me = await h.call('GET', '/api/dashboard/session', { role: 'manager' });
    assert.equal(me.body.user.role, 'manager');
    const def = await h.call('GET', '/api/dashboard/settings', { role: 'staff' });
    assert.deepEqual(def.body, { storeName: 'Shelfwise', currency: 'GBP', defaultLowThreshold: null });
    const denied = await h.call('PUT', '/api/dashboard/settings', { role: 'manager', body: { storeName: 'X' } });
    assert.equal(denied.status, 403);
    const bad = await h.call('PUT', '/api/dashboard/settings', { role: 'admin', body: { currency: 'euro' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'currency');
    const put = await h.call('PUT', '/api/dashboard/settings', { role: 'admin', body: { storeName: 'Corner Shop', currency: 'eur', defaultLowThreshold: 5 } });
    assert.deepEqual(put.body, { storeName: 'Corner Shop', currency: 'EUR', defaultLowThreshold: 5 });
    const after = await h.call('GET', '/api/dashboard/settings', { role: 'staff' });
    assert.equal(after.body.storeName, 'Corner Shop');
    const cats = await h.call('GET', '/api/dashboard/categories', { role: 'staff' });
    assert.deepEqual(cats.body.items, [{ category: 'Kitchen', products: 1 }, { category: 'Odd', products: 1 }]);
  });
});
