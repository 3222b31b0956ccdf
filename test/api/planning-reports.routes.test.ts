// /api/reports/forecast-vs-actual, replenishment-vs-forecast, stockouts and category-trend?by=store over the real
// app and database. Historical sales (Oct-Nov 2011) while the clock says now: "today" is the latest sale's day.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { forecastServiceOf } from '../../src/services/forecast.service.ts';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedReplenishment, writeForecasts } from '../helpers/replenishment-data.ts';

const close = (a: number, b: number, eps = 1e-3) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

describeEachDb('planning reports API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  // A at S1: 33 received 1 Oct; sells 3 a day 1-10 Nov (6 on 3 Nov) → out at the end of 10 Nov; 30 more on
  // 20 Nov, 3 sold on 21 Nov. B at S2: 2 a day 1-21 Nov, never out.
  const aSales = Array.from({ length: 10 }, (_, i) => ({ day: `2011-11-${String(i + 1).padStart(2, '0')}`, qty: i === 2 ? 6 : 3 }));
  before(async () => {
    h = await apiHarness(get());
    const ok = async (method: string, path: string, body: unknown) => {
      const r = await h.call(method, path, { role: 'admin', body });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await ok('POST', '/api/locations', { code: 'S1', name: 'Store', kind: 'store' });
    await ok('POST', '/api/locations', { code: 'S2', name: 'Second', kind: 'store' });
    await ok('POST', '/api/products', { sku: 'A', name: 'Pot', category: 'Kitchen', price: 10, cost: 4 });
    await ok('POST', '/api/products', { sku: 'B', name: 'Spade', category: 'Garden', price: 8, cost: 3 });
    await ok('POST', '/api/movements', { occurredAt: '2011-10-01T09:00:00Z', lines: [{ sku: 'A', location: 'S1', kind: 'receipt', qty: 33 }, { sku: 'B', location: 'S2', kind: 'receipt', qty: 100 }] });
    for (const s of aSales) await ok('POST', '/api/sales', { location: 'S1', occurredAt: `${s.day}T10:00:00Z`, lines: [{ sku: 'A', qty: s.qty }] });
    for (let d = 1; d <= 21; d++) await ok('POST', '/api/sales', { location: 'S2', occurredAt: `2011-11-${String(d).padStart(2, '0')}T11:00:00Z`, lines: [{ sku: 'B', qty: 2 }] });
    await ok('POST', '/api/movements', { occurredAt: '2011-11-20T08:00:00Z', lines: [{ sku: 'A', location: 'S1', kind: 'receipt', qty: 30 }] });
    await ok('POST', '/api/sales', { location: 'S1', occurredAt: '2011-11-21T10:00:00Z', lines: [{ sku: 'A', qty: 3 }] });
    // A stored forecast made on 31 Oct: 4 a day (P50 4, P80 4.8) for A at S1.
    await writeForecasts(get(), 'S1', { A: 4 }, '2011-11-01');
  });

  test('forecast vs actual: the stored forecast against the units sold, per week and per item', async () => {
    const r = await h.call('GET', '/api/reports/forecast-vs-actual?from=2011-11-01&to=2011-11-13', { role: 'staff' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.anchor.today, '2011-11-21');
    assert.equal(r.body.runs.length, 1);
    // 13 days of A: sold 3 × 9 + 6 = 33 over 1-10 Nov, then 0 (out of stock); forecast 4 a day.
    const a: number[] = Array.from({ length: 13 }, (_, i) => (i < 10 ? (i === 2 ? 6 : 3) : 0));
    const abs = a.reduce((s, x) => s + Math.abs(x - 4), 0);
    assert.equal(r.body.items.length, 1);
    const it = r.body.items[0];
    assert.deepEqual([it.sku, it.location, it.days, it.actual, it.forecast], ['A', 'S1', 13, 33, 52]);
    close(it.mae, abs / 13);
    close(it.bias, (52 - 33) / 13);
    close(it.wmape, abs / 33);
    close(it.coverage80, 12 / 13); // the 6 on 3 Nov is above P80 4.8
    // Weeks from Monday: 31 Oct (1-6 Nov: 6 days), 7 Nov (7 days).
    assert.deepEqual(r.body.weeks.map((w: any) => [w.weekStart, w.days, w.actual, w.forecast]), [['2011-10-31', 6, 21, 24], ['2011-11-07', 7, 12, 28]]);
    close(r.body.weeks[0].p80, 6 * 4.8);
    assert.equal(r.body.totals.items, 1);
    // B sold every day but has no forecast: not scored.
    const csv = await h.call('GET', '/api/reports/forecast-vs-actual?from=2011-11-01&to=2011-11-13&format=csv', { role: 'staff' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type')!, /text\/csv/);
    assert.match(csv.body.split('\r\n')[0], /^sku,name,location,days,actual,forecast,p50,abs_error,mae,bias,wmape,coverage_p80$/);
    assert.match(csv.body.split('\r\n')[1], /^A,Pot,S1,13,33,52,52,/);
  });

  test('forecast vs actual with a real back-dated run, and the default window (8 weeks to "today")', async () => {
    const run = await forecastServiceOf(h.services).run({ freq: 'D', horizon: 14, skus: ['B'], asOf: '2011-11-10' });
    assert.equal(run.asOf, '2011-11-10');
    const r = await h.call('GET', '/api/reports/forecast-vs-actual?location=S2', { role: 'staff' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.from, '2011-10-03'); // Monday 7 weeks before the week of Mon 21 Nov
    assert.equal(r.body.to, '2011-11-21');
    assert.deepEqual(r.body.runs.map((x: any) => x.id), [run.id]);
    const b = r.body.items[0];
    // Scored from the day after as_of to "today": 11-21 Nov, 2 sold each day.
    assert.deepEqual([b.sku, b.days, b.actual], ['B', 11, 22]);
    assert.ok(b.forecast > 10 && b.forecast < 40, `forecast ${b.forecast}`);
  });

  test('stockouts: days at 0 while normally sold, lost sales at the recent rate × price', async () => {
    const r = await h.call('GET', '/api/reports/stockouts?from=2011-11-01&to=2011-11-21', { role: 'staff' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.items.length, 1);
    const it = r.body.items[0];
    // Out 11-19 Nov; the rate: 33 sold over the 28 in-stock days before the run (14 Oct - 10 Nov).
    assert.deepEqual([it.sku, it.location, it.stockoutDays, it.runs, it.outAtEnd, it.onHand, it.price], ['A', 'S1', 9, 1, false, 27, 10]);
    close(it.dailyDemand, 33 / 28);
    close(it.lostUnits, (9 * 33) / 28, 0.01);
    close(it.lostValue, (90 * 33) / 28, 0.01);
    assert.deepEqual(r.body.weeks.map((w: any) => [w.weekStart, w.stockoutDays]), [['2011-10-31', 0], ['2011-11-07', 3], ['2011-11-14', 6], ['2011-11-21', 0]]);
    const s2 = await h.call('GET', '/api/reports/stockouts?from=2011-11-01&to=2011-11-21&location=S2', { role: 'staff' });
    assert.equal(s2.body.items.length, 0);
    const x = await h.call('GET', '/api/reports/stockouts?from=2011-11-01&to=2011-11-21&format=xlsx', { role: 'staff' });
    assert.equal(x.status, 200);
    const res = await h.app.request('/api/reports/stockouts?from=2011-11-01&to=2011-11-21&format=xlsx', { headers: { authorization: `Bearer ${h.tokens.staff}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['items', 'weeks']);
    assert.equal(wb.getWorksheet('items')!.getRow(2).getCell(1).value, 'A');
    assert.equal(wb.getWorksheet('items')!.getRow(2).getCell(6).value, 9);
  });

  test('the weekly digest lists the last 7 days\' stockouts and the forecast accuracy', async () => {
    const d = await h.call('GET', '/api/waste/digest', { role: 'staff' });
    assert.equal(d.status, 200);
    // 15-21 Nov: A out 15-19 Nov.
    assert.match(d.body, /Stockouts \(last 7 days\)/);
    assert.match(d.body, /<td[^>]*>A<\/td><td[^>]*>Pot<\/td><td[^>]*>5<\/td>/);
    assert.match(d.body, /Forecast vs actual \(last 4 weeks\)<\/h2><p>\d+ items: sold/);
  });

  test('category trend by store: one series per location', async () => {
    const r = await h.call('GET', '/api/reports/category-trend?weeks=4&by=store', { role: 'staff' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.by, 'store');
    const by = Object.fromEntries(r.body.categories.map((c: any) => [c.category, c.qty]));
    // Weeks of 31 Oct, 7, 14 and 21 Nov.
    assert.deepEqual(by.S1, [21, 12, 0, 3]);
    assert.deepEqual(by.S2, [12, 14, 14, 2]);
    const csv = await h.call('GET', '/api/reports/category-trend?weeks=4&by=store&format=csv', { role: 'staff' });
    assert.match(csv.body, /^week_start,store,qty,revenue\r\n/);
  });

  test('bad input names the field; kiosks may not read reports', async () => {
    const bad = await h.call('GET', '/api/reports/stockouts?from=2011-13-45', { role: 'staff' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'from');
    const order = await h.call('GET', '/api/reports/forecast-vs-actual?from=2011-11-10&to=2011-11-01', { role: 'staff' });
    assert.equal(order.status, 400);
    assert.equal(order.body.field, 'from');
    assert.equal((await h.call('GET', '/api/reports/forecast-vs-actual?format=pdf', { role: 'staff' })).body.field, 'format');
    assert.equal((await h.call('GET', '/api/reports/category-trend?by=brand', { role: 'staff' })).body.field, 'by');
    assert.equal((await h.call('GET', '/api/reports/stockouts?location=NOPE', { role: 'staff' })).status, 404);
    assert.equal((await h.call('GET', '/api/reports/stockouts', { role: 'kiosk' })).status, 403);
  });
});

describeEachDb('replenishment vs forecast report and forecast retention', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await seedReplenishment(get());
  });

  test('ROP, EOQ and order-up-to next to the forecast daily and lead-time demand', async () => {
    const run = await h.call('POST', '/api/replenishment/runs', { role: 'manager', body: {} });
    assert.equal(run.status, 201, JSON.stringify(run.body));
    const r = await h.call('GET', '/api/reports/replenishment-vs-forecast?location=S1', { role: 'staff' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.runId, run.body.id);
    // Highest demand first: FAST and FULL (10 a day), then SLOW (1 a day); lead time 7 days.
    assert.deepEqual(r.body.items.map((i: any) => i.sku), ['FAST', 'FULL', 'SLOW']);
    const fast = r.body.items[0];
    assert.equal(fast.dailyDemand, 10);
    assert.equal(fast.leadTimeDemand, 70);
    assert.equal(fast.leadTimeDays, 7);
    assert.equal(fast.onHand, 20);
    assert.equal(fast.daysOfCover, 2);
    assert.equal(fast.belowReorderPoint, true);
    assert.ok(fast.reorderPoint >= 70, `ROP ${fast.reorderPoint} covers the lead-time demand`);
    close(fast.ropMargin, fast.reorderPoint - 70);
    const plan = await h.call('GET', '/api/replenishment/items/FAST?location=S1', { role: 'staff' });
    assert.equal(fast.reorderPoint, plan.body.explain.reorderPoint.value);
    assert.equal(fast.orderUpTo, plan.body.explain.orderUpTo.value);
    assert.equal(r.body.items.find((i: any) => i.sku === 'FULL').belowReorderPoint, false);
    assert.equal(r.body.totals.belowReorderPoint, 2);
    const csv = await h.call('GET', '/api/reports/replenishment-vs-forecast?format=csv&limit=1', { role: 'staff' });
    assert.equal(csv.body.trim().split('\r\n').length, 2);
  });

  test('retention: after 14 days only the last forecast of each week is kept (for a year); the latest always', async () => {
    const { db } = get();
    const old = async (asOf: string, daysAgo: number) => {
      const before = await db.selectFrom('forecast_runs').select((e) => e.fn.max('id').as('m')).executeTakeFirst();
      await writeForecasts(get(), 'S1', { SLOW: 1 }, asOf);
      const id = (await db.selectFrom('forecast_runs').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow()).m as number;
      assert.ok(id > Number(before?.m ?? 0));
      await db.updateTable('forecast_runs').set({ as_of: asOf, finished_at: new Date(Date.now() - daysAgo * 86_400_000) }).where('id', '=', id).execute();
      return id;
    };
    const gone = await old('2010-06-02', 400); // older than a year
    const monday = await old('2026-01-05', 30); // superseded by Wednesday's forecast of the same week
    const wednesday = await old('2026-01-07', 30); // the last of its week
    const recent = await old('2026-01-06', 3); // within 14 days: kept whatever
    await forecastServiceOf(h.services).run({ freq: 'D', skus: ['SLOW'] }); // any finished run prunes
    const left = await sql<{ run_id: number }>`select f.run_id from forecasts f join products p on p.id = f.product_id where p.sku = 'SLOW'`.execute(db);
    const ids = new Set(left.rows.map((x) => x.run_id));
    assert.equal(ids.has(gone), false);
    assert.equal(ids.has(monday), false);
    assert.equal(ids.has(wednesday), true);
    assert.equal(ids.has(recent), true);
  });
});
