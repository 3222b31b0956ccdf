// /api/reports/* over the real app and database, in-process. Historical sales (late 2011) while the clock says
// now, so "this week" is the week of the latest sale (Mon 2011-12-05 … Fri 2011-12-09), as on the overview.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';

describeEachDb('reports API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    const ok = async (method: string, path: string, body: unknown) => {
      const r = await h.call(method, path, { role: 'admin', body });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await ok('POST', '/api/locations', { code: 'S1', name: 'Store', kind: 'store' });
    await ok('POST', '/api/locations', { code: 'S2', name: 'Second', kind: 'store' });
    await ok('POST', '/api/products', { sku: 'A', name: 'Pot, large', category: 'Kitchen', price: 10, cost: 2 });
    await ok('POST', '/api/products', { sku: 'B', name: 'Cup', category: 'Kitchen', price: 5, cost: 1 });
    await ok('POST', '/api/products', { sku: 'C', name: 'Spade', category: 'Garden', price: 8, cost: 3 });
    await ok('POST', '/api/products', { sku: 'D', name: 'Seeds', category: 'Garden', price: 1, cost: 1 });
    await ok('POST', '/api/movements', {
      occurredAt: '2011-11-01T09:00:00Z',
      lines: [
        ...['A', 'B', 'C', 'D'].map((sku) => ({ sku, location: 'S1', kind: 'receipt', qty: 100 })),
        { sku: 'C', location: 'S2', kind: 'receipt', qty: 20 },
      ],
    });
    const sale = (location: string, occurredAt: string, lines: { sku: string; qty: number }[]) => ok('POST', '/api/sales', { location, occurredAt, lines });
    // Week of 2011-11-28.
    await sale('S1', '2011-11-29T10:00:00Z', [{ sku: 'A', qty: 5 }, { sku: 'B', qty: 3 }]);
    await sale('S2', '2011-11-29T11:00:00Z', [{ sku: 'C', qty: 2 }]);
    // Week of 2011-12-05: C 1 + 4 = 5, A 4, B 4 − 1 returned = 3, D 3 (tied with B).
    const s = await sale('S1', '2011-12-06T10:00:00Z', [{ sku: 'A', qty: 4 }, { sku: 'B', qty: 4 }, { sku: 'C', qty: 1 }]);
    await sale('S2', '2011-12-09T10:00:00Z', [{ sku: 'C', qty: 4 }]);
    await sale('S1', '2011-12-09T12:00:00Z', [{ sku: 'D', qty: 3 }]);
    const ret = await ok('POST', `/api/sales/${s.id}/returns`, { lines: [{ sku: 'B', qty: 1 }] });
    // Returns are booked "now"; move this one back to 2011-12-07 so it falls in the historical week.
    await get().db.updateTable('stock_movements').set({ occurred_at: new Date('2011-12-07T10:00:00Z') }).where('id', '=', ret.movements[0].id).execute();
  });

  test('top sellers: weekly top-N by net units, ties at the N-th place included, current on-hand', async () => {
    const r = await h.call('GET', '/api/reports/top-sellers?weeks=2&n=3', { role: 'staff' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.anchor.today, '2011-12-09');
    assert.equal(r.body.anchor.historical, true);
    assert.deepEqual(r.body.weeks.map((w: any) => w.weekStart), ['2011-11-28', '2011-12-05']);
    const [w1, w2] = r.body.weeks;
    assert.deepEqual(w1.top.map((t: any) => [t.rank, t.sku, t.qty]), [[1, 'A', 5], [2, 'B', 3], [3, 'C', 2]]);
    assert.equal(w1.totalQty, 10);
    assert.deepEqual(w2.top.map((t: any) => [t.rank, t.sku, t.qty, t.revenue]), [[1, 'C', 5, 40], [2, 'A', 4, 40], [3, 'B', 3, 15], [3, 'D', 3, 3]]);
    assert.equal(w2.totalQty, 15);
    assert.equal(w2.totalRevenue, 98);
    assert.equal(w2.moreTied, 0);
    // Current stock over all locations: C 100 − 1 at S1 + 20 − 6 at S2; B 100 − 7 + 1 returned.
    assert.deepEqual(Object.fromEntries(w2.top.map((t: any) => [t.sku, t.onHand])), { C: 113, A: 91, B: 94, D: 97 });
    assert.deepEqual(w2.top[1], { rank: 2, sku: 'A', name: 'Pot, large', category: 'Kitchen', qty: 4, revenue: 40, onHand: 91 });
    const one = await h.call('GET', '/api/reports/top-sellers?weeks=1&n=1', { role: 'staff' });
    assert.deepEqual(one.body.weeks.map((w: any) => w.top.map((t: any) => t.sku)), [['C']]);
  });

  test('top sellers by location: sales and stock of that location only', async () => {
    const r = await h.call('GET', '/api/reports/top-sellers?weeks=1&n=2&location=S1', { role: 'staff' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.weeks[0].top.map((t: any) => [t.rank, t.sku, t.qty, t.onHand]), [[1, 'A', 4, 91], [2, 'B', 3, 94], [2, 'D', 3, 97]]);
    const s2 = await h.call('GET', '/api/reports/top-sellers?weeks=1&location=S2', { role: 'staff' });
    assert.deepEqual(s2.body.weeks[0].top.map((t: any) => [t.sku, t.qty, t.onHand]), [['C', 4, 14]]);
  });

  test('category trend: net units and revenue per category per week', async () => {
    const r = await h.call('GET', '/api/reports/category-trend?weeks=2', { role: 'staff' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.periods, ['2011-11-28', '2011-12-05']);
    const by = Object.fromEntries(r.body.categories.map((c: any) => [c.category, c]));
    assert.deepEqual(by.Kitchen.qty, [8, 7]);
    assert.deepEqual(by.Kitchen.revenue, [65, 55]);
    assert.deepEqual(by.Garden.qty, [2, 8]);
    assert.deepEqual(by.Garden.revenue, [16, 43]);
    assert.equal(by.Kitchen.totalRevenue, 120);
    assert.deepEqual(r.body.categories.map((c: any) => c.category), ['Kitchen', 'Garden'], 'largest revenue first');
    const s2 = await h.call('GET', '/api/reports/category-trend?weeks=3&location=S2', { role: 'staff' });
    assert.deepEqual(s2.body.periods, ['2011-11-21', '2011-11-28', '2011-12-05']);
    assert.deepEqual(s2.body.categories.map((c: any) => [c.category, c.qty]), [['Garden', [0, 2, 4]]]);
  });

  test('inventory value: units and value at cost at the end of each day, ending at the stock value KPI', async () => {
    const r = await h.call('GET', '/api/reports/inventory-value?days=10', { role: 'staff' });
    assert.equal(r.status, 200);
    assert.equal(r.body.days.length, 10);
    assert.deepEqual([r.body.days[0], r.body.days.at(-1)], ['2011-11-30', '2011-12-09']);
    const at = (d: string) => {
      const i = r.body.days.indexOf(d);
      return [r.body.units[i], r.body.value[i]];
    };
    assert.deepEqual(at('2011-11-30'), [410, 741]);
    assert.deepEqual(at('2011-12-05'), [410, 741]);
    assert.deepEqual(at('2011-12-06'), [401, 726]);
    assert.deepEqual(at('2011-12-07'), [402, 727]);
    assert.deepEqual(at('2011-12-09'), [395, 712]);
    const kpi = await h.call('GET', '/api/summary', { role: 'staff' });
    assert.equal(kpi.body.stockValue, r.body.value.at(-1));
    const s2 = await h.call('GET', '/api/reports/inventory-value?days=12&location=S2', { role: 'staff' });
    assert.deepEqual(s2.body.units, [20, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 14]);
    assert.equal(s2.body.value.at(-1), 42);
  });

  test('?format=csv: text/csv with a header row, one line per row, quoted where needed', async () => {
    const top = await h.call('GET', '/api/reports/top-sellers?weeks=1&n=2&format=csv', { role: 'staff' });
    assert.equal(top.status, 200);
    assert.match(top.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(top.headers.get('content-disposition') ?? '', /top-sellers\.csv/);
    assert.deepEqual(String(top.body).trimEnd().split('\r\n'), ['week_start,rank,sku,name,category,qty,revenue,on_hand', '2011-12-05,1,C,Spade,Garden,5,40,113', '2011-12-05,2,A,"Pot, large",Kitchen,4,40,91']);
    const trend = await h.call('GET', '/api/reports/category-trend?weeks=2&format=csv', { role: 'staff' });
    assert.deepEqual(String(trend.body).trimEnd().split('\r\n'), [
      'week_start,category,qty,revenue',
      '2011-11-28,Kitchen,8,65',
      '2011-11-28,Garden,2,16',
      '2011-12-05,Kitchen,7,55',
      '2011-12-05,Garden,8,43',
    ]);
    const inv = await h.call('GET', '/api/reports/inventory-value?days=2&format=csv', { role: 'staff' });
    assert.deepEqual(String(inv.body).trimEnd().split('\r\n'), ['date,units,value', '2011-12-08,402,727', '2011-12-09,395,712']);
  });

  test('bad parameters are 400 naming the field; unknown location 404; kiosk 403; anonymous 401', async () => {
    for (const [path, field] of [
      ['/api/reports/top-sellers?weeks=0', 'weeks'],
      ['/api/reports/top-sellers?n=abc', 'n'],
      ['/api/reports/top-sellers?n=51', 'n'],
      ['/api/reports/category-trend?weeks=1', 'weeks'],
      ['/api/reports/inventory-value?days=9999', 'days'],
      ['/api/reports/inventory-value?format=xml', 'format'],
      ['/api/reports/top-sellers?location=has%20space', 'location'],
    ]) {
      const r = await h.call('GET', path, { role: 'staff' });
      assert.equal(r.status, 400, path);
      assert.equal(r.body.field, field, path);
    }
    const missing = await h.call('GET', '/api/reports/category-trend?location=NOPE', { role: 'staff' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.field, 'location');
    for (const p of ['top-sellers', 'category-trend', 'inventory-value']) {
      assert.equal((await h.call('GET', `/api/reports/${p}`, { role: 'kiosk' })).status, 403, p);
      assert.equal((await h.call('GET', `/api/reports/${p}?format=csv`)).status, 401, p);
    }
  });
});
