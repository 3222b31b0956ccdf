import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { SYSTEM } from '../../src/services/actor.ts';
import { CustomersService } from '../../src/services/customers.service.ts';
import { createServices } from '../../src/services/index.ts';
import { promotionsServiceOf } from '../../src/services/promotions.service.ts';
import { setRecommendSettings } from '../../src/services/recommend-models.service.ts';
import { RatingsService } from '../../src/services/recommend-ratings.service.ts';
import { RecommendService } from '../../src/services/recommend.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedRecommendStore } from '../helpers/recommend-data.ts';

describeEachDb('recommendations service', (get) => {
  let svc: RecommendService;
  const cid = async (code: string) => (await get().db.selectFrom('customers').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  before(async () => {
    await seedRecommendStore(get());
    svc = new RecommendService(get().db);
  });

  test('before any training: popularity in stock, no model serving', async () => {
    const r = await svc.forCustomer(await cid('C0'), { location: 'S2', limit: 5 });
    assert.equal(svc.serving(), null);
    assert.ok(r.length > 0);
    assert.ok(r.every((x) => x.reason === 'popular lately' && x.available > 0));
    assert.ok(!r.some((x) => x.sku === 'HOLDER'), 'HOLDER is out of stock at S2');
    assert.deepEqual(await svc.forCustomer(await cid('C0'), { location: 'NOPE' }), []);
  });

  test('training in a worker stores a version with metrics; a second run at the same time is a conflict', async () => {
    const events: string[] = [];
    const run = await svc.train({ actor: SYSTEM, evaluate: true, testDays: 20, onProgress: (p) => events.push(p.phase) });
    await assert.rejects(svc.train({ actor: SYSTEM }), (e: Error & { kind?: string }) => e.kind === 'conflict');
    const s = await run.finished;
    assert.equal(s.status, 'done');
    assert.equal(s.metrics!.customers, 12);
    assert.equal(s.metrics!.items, 7, 'the seven gifts (SLOW included); clothes sold without a customer');
    assert.equal(s.metrics!.collaborative, 'ease');
    assert.ok(s.metrics!.evaluation && 'ndcg10' in s.metrics!.evaluation, JSON.stringify(s.metrics!.evaluation));
    assert.ok(s.bytes! > 1000);
    assert.ok(events.includes('read') && events.includes('write'), events.join(','));
    assert.deepEqual(svc.serving()?.id, s.id);
  });

  test('a known customer: buy-again first, then "because you bought X"; never out of stock at the location', async () => {
    const r = await svc.forCustomer(await cid('C0'), { location: 'S1', limit: 5 });
    assert.deepEqual(r.slice(0, 2).map((x) => x.sku).sort(), ['CANDLE', 'HOLDER']);
    assert.match(r[0].reason, /^buy again: you bought it 3 times, last on \d{4}-\d{2}-\d{2}$/);
    assert.equal(r[0].source, 'buy-again');
    const m = r.find((x) => x.sku === 'MATCHES');
    assert.ok(m, JSON.stringify(r));
    assert.match(m.reason, /^because you bought Item (CANDLE|HOLDER)$/);
    assert.ok(m.because && ['CANDLE', 'HOLDER'].includes(m.because.sku));
    const all = await svc.forCustomer(await cid('C0'), { location: 'S1', limit: 8 });
    for (const x of all.filter((y) => y.because)) {
      // the claim holds in the data: some customer bought both
      const both = await sql<{ n: number }>`select count(distinct s.customer_id)::int as n from sales s
        join stock_movements a on a.sale_id = s.id and a.product_id = ${x.productId}
        where s.customer_id in (select s2.customer_id from sales s2 join stock_movements b on b.sale_id = s2.id and b.product_id = ${x.because!.productId})`.execute(get().db);
      assert.ok(Number(both.rows[0].n) > 0, `${x.sku}: ${x.reason}`);
    }
    const s2 = await svc.forCustomer(await cid('C0'), { location: 'S2', limit: 10 });
    assert.ok(!s2.some((x) => x.sku === 'HOLDER'), JSON.stringify(s2.map((x) => x.sku)));
    assert.equal(s2[0].sku, 'CANDLE');
    assert.ok(s2.every((x) => x.available > 0));
    const ex = await svc.forCustomer(await cid('C0'), { location: 'S1', limit: 3, exclude: ['CANDLE'] });
    assert.ok(!ex.some((x) => x.sku === 'CANDLE'));
  });

  test('a restart loads the stored version instead of retraining, and serves the same list', async () => {
    const before = await svc.forCustomer(await cid('C7'), { location: 'S1', limit: 6 });
    const fresh = new RecommendService(get().db);
    const after = await fresh.forCustomer(await cid('C7'), { location: 'S1', limit: 6 });
    assert.equal(fresh.serving()?.id, svc.serving()?.id);
    assert.deepEqual(after, before);
    assert.equal((await get().db.selectFrom('recommend_models').select('id').execute()).length, 1);
  });

  test('an item: frequently bought together first, then similar; stock-aware; attributes for items without sales', async () => {
    const r = await svc.forItem('CANDLE', { location: 'S1', limit: 4 });
    assert.deepEqual(r.slice(0, 2).map((x) => x.sku).sort(), ['HOLDER', 'MATCHES']);
    assert.match(r[0].reason, /^often bought together with Item CANDLE/);
    assert.equal(r[0].source, 'together');
    assert.ok(!r.some((x) => x.sku === 'CANDLE'));
    const s2 = await svc.forItem('CANDLE', { location: 'S2', limit: 4 });
    assert.equal(s2[0].sku, 'MATCHES');
    assert.ok(!s2.some((x) => x.sku === 'HOLDER'));
    const tee = await svc.forItem('MTEE', { location: 'S1', limit: 3, kind: 'similar' });
    assert.ok(tee.length > 0);
    assert.ok(tee.every((x) => x.source === 'similar' && /^similar: Tshirts/.test(x.reason)), JSON.stringify(tee));
    assert.ok(tee.every((x) => x.gender === 'men'), 'same gender only');
    assert.deepEqual(await svc.forItem('NOSUCH', {}), []);
  });

  test('a demographic: the hard filter holds, and tagged sales are stored and audited', async () => {
    const men = await svc.forDemographic({ gender: 'male', ageGroup: 'adult', location: 'S1', limit: 20 });
    assert.ok(men.length > 0);
    assert.ok(men.every((x) => x.gender === null || ['men', 'unisex'].includes(x.gender)), JSON.stringify(men.map((x) => [x.sku, x.gender])));
    const girls = await svc.forDemographic({ gender: 'female', ageGroup: 'child', location: 'S1', limit: 20 });
    assert.ok(girls.some((x) => x.sku === 'GTEE'));
    assert.ok(girls.every((x) => x.gender === null || ['girls', 'unisex'].includes(x.gender)));
    const sale = await get().db.selectFrom('sales').select('id').where('customer_id', 'is', null).orderBy('id').executeTakeFirstOrThrow();
    const ratings = new RatingsService(get().db, svc);
    const t = await ratings.tagSale(SYSTEM, Number(sale.id), { gender: 'female', ageGroup: 'teen' });
    assert.deepEqual(t, { saleId: Number(sale.id), gender: 'female', ageGroup: 'teen' });
    const row = await get().db.selectFrom('sales').select(['shopper_gender', 'shopper_age_group']).where('id', '=', sale.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { shopper_gender: 'female', shopper_age_group: 'teen' });
    const a = await get().db.selectFrom('audit_log').select('action').where('entity', '=', 'sale').where('entity_id', '=', String(sale.id)).execute();
    assert.deepEqual(a.map((x) => x.action), ['sale.demographic']);
    await assert.rejects(get().db.updateTable('sales').set({ shopper_gender: 'robot' }).where('id', '=', sale.id).execute(), 'the check constraint refuses other values');
  });

  test('the overstock / slow-mover boost lifts SLOW when the manager sets a weight, and says why', async () => {
    const unknown = 999_999; // a customer the model never saw: what sells now
    const off = await svc.forCustomer(unknown, { location: 'S1', limit: 3 });
    assert.ok(!off.some((x) => x.sku === 'SLOW'));
    await setRecommendSettings(get().db, SYSTEM, { boostWeight: 1 });
    svc.settingsChanged();
    const on = await svc.forCustomer(unknown, { location: 'S1', limit: 3 });
    const slow = on.find((x) => x.sku === 'SLOW');
    assert.ok(slow, JSON.stringify(on));
    assert.match(slow.reason, / · plenty in stock$/);
    await setRecommendSettings(get().db, SYSTEM, { boostWeight: 0 });
    svc.settingsChanged();
    await assert.rejects(setRecommendSettings(get().db, SYSTEM, { boostWeight: 2 }), (e: Error & { field?: string }) => e.field === 'boostWeight');
    const audited = await get().db.selectFrom('audit_log').select('action').where('action', '=', 'recommend.settings').execute();
    assert.equal(audited.length, 2);
  });

  test('active promotions (issue 6) boost an item and say so', async () => {
    const promos = promotionsServiceOf(createServices(get()));
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const promo = await promos.create(SYSTEM, { sku: 'SPOON', kind: 'percent', value: 20, endsOn: tomorrow });
    await setRecommendSettings(get().db, SYSTEM, { promotionWeight: 1 });
    svc.settingsChanged();
    const r = await new RecommendService(get().db).forCustomer(await cid('C0'), { location: 'S1', limit: 3 });
    const s = r.find((x) => x.sku === 'SPOON');
    assert.ok(s, JSON.stringify(r.map((x) => x.sku)));
    assert.match(s.reason, / · on offer$/);
    await promos.cancel(SYSTEM, promo.id);
    const after = await new RecommendService(get().db).forCustomer(await cid('C0'), { location: 'S1', limit: 3 });
    assert.ok(!after.some((x) => / · on offer$/.test(x.reason)), 'no offer once the promotion is cancelled');
    await setRecommendSettings(get().db, SYSTEM, { promotionWeight: 0.1 });
    svc.settingsChanged();
  });

  test('ratings: recorded, replaced, validated; Funk-SVD predicts after the next training', async () => {
    const ratings = new RatingsService(get().db, svc);
    await assert.rejects(ratings.rate(SYSTEM, { customer: 'C1', sku: 'MUG', rating: 6 }), (e: Error & { field?: string }) => e.field === 'rating');
    await assert.rejects(ratings.rate(SYSTEM, { customer: 'C1', sku: 'NOSUCH', rating: 3 }), (e: Error & { kind?: string }) => e.kind === 'not_found');
    for (let k = 0; k < 12; k++) {
      await ratings.rate(SYSTEM, { customer: `C${k}`, sku: 'CANDLE', rating: 5 });
      await ratings.rate(SYSTEM, { customer: `C${k}`, sku: 'MUG', rating: k % 2 ? 2 : 1 });
    }
    const again = await ratings.rate(SYSTEM, { customer: 'C0', sku: 'MUG', rating: 2 });
    assert.equal(again.rating, 2);
    let s = await ratings.summary('CANDLE');
    assert.equal(s.count, 12);
    assert.equal(s.average, 5);
    assert.equal(s.predicted, null, 'no model with ratings yet');
    const run = await svc.train({ actor: SYSTEM });
    const done = await run.finished;
    assert.equal(done.metrics!.ratings, 24);
    s = await ratings.summary('CANDLE', 'C3');
    assert.ok(s.predicted! > 4, JSON.stringify(s));
    const mug = await ratings.summary('MUG', 'C3');
    assert.ok(mug.predicted! < 2.5, JSON.stringify(mug));
    assert.equal(mug.customer!.rating, 2);
    assert.ok(mug.customer!.predicted! >= 1 && mug.customer!.predicted! <= 5);
  });

  test('customers: keyset pages, search, one customer with history', async () => {
    const cs = new CustomersService(get().db);
    const p1 = await cs.list({ limit: 5 });
    assert.equal(p1.items.length, 5);
    const p2 = await cs.list({ limit: 5, before: p1.next! });
    const p3 = await cs.list({ limit: 5, before: p2.next! });
    const all = [...p1.items, ...p2.items, ...p3.items].map((c) => c.code);
    assert.equal(new Set(all).size, 12);
    assert.equal(p3.next, null);
    const hit = await cs.list({ q: 'c11', limit: 10 });
    assert.deepEqual(hit.items.map((c) => c.code), ['C11']);
    assert.equal(hit.items[0].orders, 3);
    const one = await cs.get('C7');
    assert.equal(one.orders, 6);
    assert.equal(one.recentOrders.length, 6);
    assert.deepEqual(one.mostBought.map((b) => b.sku).sort(), ['CANDLE', 'HOLDER', 'MATCHES', 'MUG', 'SPOON', 'TEA']);
    assert.equal((await cs.get(String(one.id))).code, 'C7');
    await assert.rejects(cs.get('NOPE'), (e: Error & { kind?: string }) => e.kind === 'not_found');
  });
});
