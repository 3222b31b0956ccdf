import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedWasteStore } from '../helpers/waste-data.ts';

describeEachDb('waste API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    await seedWasteStore(get());
    h = await apiHarness(get());
  });

  test('classification, slow stock (JSON and CSV), elasticities and offers for staff; kiosk is refused', async () => {
    const c = await h.call('GET', '/api/waste/classification?abc=C', { role: 'staff' });
    assert.equal(c.status, 200);
    assert.equal(c.body.matrix.length, 9);
    assert.deepEqual(c.body.items.map((i: { sku: string }) => i.sku).sort(), ['DEAD', 'NEVER']);
    assert.equal((await h.call('GET', '/api/waste/classification', { role: 'kiosk' })).status, 403);
    const bad = await h.call('GET', '/api/waste/classification?abc=Q', { role: 'staff' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'abc');
    const s = await h.call('GET', '/api/waste/slow-stock?status=dead', { role: 'staff' });
    assert.deepEqual(s.body.items.map((i: { sku: string }) => i.sku), ['DEAD', 'NEVER']);
    const csv = await h.call('GET', '/api/waste/slow-stock?format=csv', { role: 'staff' });
    assert.match(csv.headers.get('content-type')!, /text\/csv/);
    assert.match(csv.body, /^sku,name,category,location,abc,xyz,status,/);
    assert.match(csv.body, /\r\nOVER,Item OVER,candles,S1,A,X,slow,/);
    const d = await h.call('GET', '/api/waste/digest', { role: 'staff' });
    assert.match(d.headers.get('content-type')!, /text\/html/);
    assert.match(d.body, /Top 5 sellers this week/);
    assert.match(d.body, /<td[^>]*>1<\/td><td[^>]*>FAST<\/td>/);
    assert.match(d.body, /2 dead and 2 slow items/);
    const e = await h.call('GET', '/api/waste/elasticities', { role: 'staff' });
    assert.equal(e.body.withOwnEstimate, 1);
    const o = await h.call('GET', '/api/waste/offers?days=56', { role: 'staff' });
    assert.equal(o.status, 200);
    assert.equal(o.body.offers[0].sku, 'OVER');
    const u = await h.call('GET', '/api/waste/offers?until=2001-01-01', { role: 'staff' });
    assert.equal(u.status, 400);
    assert.equal(u.body.field, 'until');
  });

  test('a manager accepts an offer → promotion listed, kiosk sees the effective price; staff may not accept', async () => {
    assert.equal((await h.call('POST', '/api/waste/offers/accept', { role: 'staff', body: { sku: 'OVER' } })).status, 403);
    const v = await h.call('POST', '/api/waste/offers/accept', { role: 'manager', body: { sku: 'OVER', depth: 2 } });
    assert.equal(v.status, 400);
    assert.equal(v.body.field, 'depth');
    const a = await h.call('POST', '/api/waste/offers/accept', { role: 'manager', body: { sku: 'OVER', location: 'S1', days: 28 } });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.sku, 'OVER');
    assert.match(a.body.acceptedBy, /^manager-/);
    const again = await h.call('POST', '/api/waste/offers/accept', { role: 'manager', body: { sku: 'OVER', days: 28 } });
    assert.equal(again.status, 409);
    const list = await h.call('GET', '/api/promotions?status=running', { role: 'staff' });
    assert.equal(list.body.items[0].id, a.body.id);
    const price = await h.call('GET', '/api/prices?sku=OVER&sku=FAST', { role: 'kiosk' });
    const by = Object.fromEntries(price.body.items.map((p: { sku: string; price: number }) => [p.sku, p.price]));
    assert.equal(by.OVER, Math.round(12 * (1 - a.body.value / 100) * 100) / 100);
    assert.equal(by.FAST, 10);
    const m = await h.call('POST', '/api/promotions', { role: 'manager', body: { category: 'gifts', kind: 'percent', value: 5, endsOn: '2001-01-01' } });
    assert.equal(m.status, 400);
    assert.equal(m.body.field, 'endsOn');
    const x = await h.call('POST', `/api/promotions/${a.body.id}/cancel`, { role: 'manager' });
    assert.equal(x.body.status, 'cancelled');
    assert.equal((await h.call('GET', '/api/prices?sku=OVER', { role: 'kiosk' })).body.items[0].price, 12);
  });

  test('dead-stock check raises alerts once per dead spell (manager)', async () => {
    assert.equal((await h.call('POST', '/api/waste/dead-stock/check', { role: 'staff' })).status, 403);
    const first = await h.call('POST', '/api/waste/dead-stock/check', { role: 'manager' });
    assert.equal(first.body.alerted, 0, 'both have been dead for weeks: not new since the first check (7 days)');
    assert.equal(first.body.dead, 2);
    const r = await h.call('POST', '/api/waste/dead-stock/check', { role: 'manager', body: { all: true } });
    assert.equal(r.body.alerted, 2);
    const alerts = await h.call('GET', '/api/alerts?open=true', { role: 'staff' });
    assert.equal(alerts.body.items.filter((a: { kind: string }) => a.kind === 'dead_stock').length, 2);
    assert.equal((await h.call('POST', '/api/waste/dead-stock/check', { role: 'manager', body: { all: true } })).body.alerted, 0);
  });
});
