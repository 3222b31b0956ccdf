import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedRecommendStore } from '../helpers/recommend-data.ts';

describeEachDb('recommendations API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await seedRecommendStore(get());
  });

  const waitDone = async (id: number) => {
    for (let i = 0; i < 1500; i++) {
      const r = await h.call('GET', `/api/recommendations/models/${id}`, { role: 'staff' });
      if (r.body.status !== 'running') return r;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`training ${id} did not finish`);
  };

  test('roles: managers retrain, staff read customers, kiosks get demographic / item lists but no customer data', async () => {
    assert.equal((await h.call('POST', '/api/recommendations/models', { role: 'staff', body: {} })).status, 403);
    assert.equal((await h.call('GET', '/api/recommendations/customers/C0', { role: 'kiosk' })).status, 403);
    assert.equal((await h.call('GET', '/api/customers', { role: 'kiosk' })).status, 403);
    assert.equal((await h.call('PUT', '/api/recommendations/settings', { role: 'staff', body: { boostWeight: 0.5 } })).status, 403);
    const demo = await h.call('GET', '/api/recommendations/demographic?gender=female&ageGroup=adult&location=S1&limit=5', { role: 'kiosk' });
    assert.equal(demo.status, 200);
    assert.ok(demo.body.items.every((x: { gender: string | null }) => x.gender === null || ['women', 'unisex'].includes(x.gender)));
    assert.equal((await h.call('GET', '/api/recommendations/items/CANDLE', { role: 'kiosk' })).status, 200);
  });

  test('retrain on demand with progress, then a customer\'s list with reasons, and an item\'s', async () => {
    const start = await h.call('POST', '/api/recommendations/models', { role: 'manager', body: { evaluate: false } });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const again = await h.call('POST', '/api/recommendations/models', { role: 'manager', body: {} });
    assert.equal(again.status, 409);
    const run = await waitDone(start.body.id);
    assert.equal(run.body.status, 'done', JSON.stringify(run.body));
    assert.equal(run.body.progress, 1);
    assert.equal(run.body.metrics.customers, 12);
    const list = await h.call('GET', '/api/recommendations/models', { role: 'staff' });
    assert.equal(list.body.serving.id, start.body.id);
    assert.equal(list.body.items[0].id, start.body.id);

    const r = await h.call('GET', '/api/recommendations/customers/C1?location=S1&limit=4', { role: 'staff' });
    assert.equal(r.status, 200);
    assert.equal(r.body.model.id, start.body.id);
    assert.match(r.body.items[0].reason, /^buy again/);
    const m = r.body.items.find((x: { sku: string }) => x.sku === 'MATCHES');
    assert.ok(m, JSON.stringify(r.body.items));
    assert.match(m.reason, /^because you bought Item (CANDLE|HOLDER)$/);
    const byId = await h.call(`GET`, `/api/recommendations/customers/${r.body.customerId}?location=S1&limit=4`, { role: 'staff' });
    assert.deepEqual(byId.body.items, r.body.items);

    const it = await h.call('GET', '/api/recommendations/items/CANDLE?location=S2&limit=3&kind=together', { role: 'staff' });
    assert.equal(it.status, 200);
    assert.equal(it.body.items[0].sku, 'MATCHES');
    assert.ok(!it.body.items.some((x: { sku: string }) => x.sku === 'HOLDER'), 'out of stock at S2');
    const ex = await h.call('GET', '/api/recommendations/items/CANDLE?location=S1&limit=3&exclude=HOLDER,MUG', { role: 'staff' });
    assert.ok(!ex.body.items.some((x: { sku: string }) => x.sku === 'HOLDER' || x.sku === 'MUG'));
  });

  test('bad input: 400 with the field; unknown customer, product, location: 404', async () => {
    const a = await h.call('GET', '/api/recommendations/demographic?gender=robot&ageGroup=adult', { role: 'kiosk' });
    assert.equal(a.status, 400);
    assert.equal(a.body.field, 'gender');
    const b = await h.call('GET', '/api/recommendations/customers/C0?limit=500', { role: 'staff' });
    assert.equal(b.status, 400);
    assert.equal(b.body.field, 'limit');
    const c = await h.call('GET', '/api/recommendations/customers/NOBODY', { role: 'staff' });
    assert.equal(c.status, 404);
    assert.equal(c.body.field, 'customer');
    const d = await h.call('GET', '/api/recommendations/items/NOSUCH', { role: 'staff' });
    assert.equal(d.status, 404);
    const e = await h.call('GET', '/api/recommendations/customers/C0?location=MARS', { role: 'staff' });
    assert.equal(e.status, 404);
    assert.equal(e.body.field, 'location');
    const f = await h.call('PUT', '/api/recommendations/settings', { role: 'manager', body: { boostWeight: 3 } });
    assert.equal(f.status, 400);
    assert.equal(f.body.field, 'boostWeight');
    const g = await h.call('POST', '/api/recommendations/ratings', { role: 'staff', body: { customer: 'C1', sku: 'MUG', rating: 0 } });
    assert.equal(g.status, 400);
    assert.equal(g.body.field, 'rating');
  });

  test('ratings, settings and the kiosk\'s sale tag go through the API', async () => {
    const r = await h.call('POST', '/api/recommendations/ratings', { role: 'staff', body: { customer: 'C1', sku: 'MUG', rating: 4 } });
    assert.equal(r.status, 201);
    assert.equal(r.body.rating, 4);
    const s = await h.call('GET', '/api/recommendations/ratings/MUG?customer=C1', { role: 'kiosk' });
    assert.equal(s.status, 200);
    assert.equal(s.body.count, 1);
    assert.equal(s.body.average, 4);
    assert.equal(s.body.customer.rating, 4);
    const put = await h.call('PUT', '/api/recommendations/settings', { role: 'manager', body: { boostWeight: 0.3 } });
    assert.equal(put.status, 200);
    assert.equal(put.body.boostWeight, 0.3);
    assert.equal((await h.call('GET', '/api/recommendations/settings', { role: 'staff' })).body.boostWeight, 0.3);
    const sale = await h.call('GET', '/api/sales?limit=1', { role: 'staff' });
    const tag = await h.call('PUT', `/api/recommendations/sales/${sale.body.items[0].id}/demographic`, { role: 'kiosk', body: { gender: 'male', ageGroup: null } });
    assert.equal(tag.status, 200);
    assert.deepEqual(tag.body, { saleId: Number(sale.body.items[0].id), gender: 'male', ageGroup: null });
    assert.equal((await h.call('PUT', '/api/recommendations/sales/999999/demographic', { role: 'kiosk', body: { gender: 'male', ageGroup: 'adult' } })).status, 404);
  });

  test('customers: keyset pages and search, one customer\'s history', async () => {
    const p1 = await h.call('GET', '/api/customers?limit=7', { role: 'staff' });
    assert.equal(p1.status, 200);
    assert.equal(p1.body.items.length, 7);
    const p2 = await h.call('GET', `/api/customers?limit=7&before=${p1.body.next}`, { role: 'staff' });
    assert.equal(p2.body.items.length, 5);
    assert.equal(p2.body.next, null);
    const q = await h.call('GET', '/api/customers?q=C1', { role: 'staff' });
    assert.deepEqual(q.body.items.map((c: { code: string }) => c.code).sort(), ['C1', 'C10', 'C11']);
    const one = await h.call('GET', '/api/customers/C8', { role: 'staff' });
    assert.equal(one.status, 200);
    assert.equal(one.body.orders, 3);
    assert.deepEqual(one.body.mostBought.map((b: { sku: string }) => b.sku).sort(), ['MUG', 'SPOON', 'TEA']);
    assert.equal((await h.call('GET', '/api/customers/NOPE', { role: 'staff' })).status, 404);
  });
});
