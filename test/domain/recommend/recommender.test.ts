import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boughtTogether, similarItems } from '../../../src/domain/recommend/item-recs.ts';
import { recommendForUser, trainRecommender } from '../../../src/domain/recommend/recommender.ts';
import { stockAwareRerank } from '../../../src/domain/recommend/rerank.ts';
import type { Interaction } from '../../../src/domain/recommend/types.ts';
import { DAY_MS } from '../../../src/domain/recommend/types.ts';

const T0 = Date.UTC(2024, 0, 1);

/** A small shop: customers 1..30 buy candles (200) and matches (201) together; 202 sells alone; customer 1
 *  re-buys tea (100) every week; customer 2 bought a candle once; 300 is the bestseller (also 40..59). */
function shop(): Interaction[] {
  const ev: Interaction[] = [];
  let basket = 0;
  for (let w = 0; w < 8; w++) ev.push({ user: 1, item: 100, weight: 1, time: T0 + w * 7 * DAY_MS, basket: basket++ });
  ev.push({ user: 1, item: 101, weight: 1, time: T0, basket: basket++ });
  ev.push({ user: 1, item: 102, weight: 1, time: T0 + 50 * DAY_MS, basket: basket++ });
  for (let u = 10; u < 40; u++) {
    const b = basket++;
    ev.push({ user: u, item: 200, weight: 1, time: T0 + u * DAY_MS, basket: b });
    ev.push({ user: u, item: 201, weight: 1, time: T0 + u * DAY_MS, basket: b });
    ev.push({ user: u, item: 300, weight: 1, time: T0 + (u + 5) * DAY_MS, basket: basket++ });
    if (u % 3 === 0) ev.push({ user: u, item: 202, weight: 1, time: T0 + (u + 9) * DAY_MS, basket: basket++ });
  }
  for (let u = 40; u < 60; u++) ev.push({ user: u, item: 300, weight: 1, time: T0 + u * DAY_MS, basket: basket++ });
  ev.push({ user: 2, item: 200, weight: 1, time: T0 + 3 * DAY_MS, basket: basket++ });
  return ev;
}

const names = new Map([
  [100, 'TEA'],
  [200, 'CANDLE'],
  [201, 'MATCHES'],
]);

describe('recommender (blend, reasons, stock)', () => {
  const model = trainRecommender(shop(), { itemNames: names, ease: { lambda: 5 }, ials: { factors: 4, iterations: 5 } });

  test('buy-again ranks the repeated item first, with its reason', () => {
    const recs = recommendForUser(model, 1, { n: 5 });
    assert.equal(recs[0].item, 100);
    assert.match(recs[0].reason, /^buy again: you bought it 8 times, last on 2024-02-19/);
    for (const c of ['buy-again', 'repeat-count'] as const) assert.equal(recommendForUser(model, 1, { n: 1, component: c })[0].item, 100);
  });

  test('collaborative pick explains itself with the item behind it', () => {
    const recs = recommendForUser(model, 2, { n: 5, newOnly: true });
    const matches = recs.findIndex((r) => r.item === 201);
    assert.ok(matches >= 0 && matches <= 1, `matches at ${matches}`);
    assert.equal(recs[matches].because, 200);
    assert.equal(recs[matches].reason, 'because you bought CANDLE');
    assert.equal(recommendForUser(model, 2, { n: 1, newOnly: true, component: 'ease' })[0].item, 201);
    assert.equal(recommendForUser(model, 2, { n: 1, newOnly: true, component: 'item-knn' })[0].item, 201);
    assert.ok(!recs.some((r) => r.item === 200), 'newOnly drops what the customer already bought');
  });

  test('never recommends out-of-stock items; exclude is honoured', () => {
    const recs = recommendForUser(model, 1, { n: 10, inStock: (i) => i !== 100, exclude: [101] });
    assert.ok(recs.length > 0);
    assert.ok(!recs.some((r) => r.item === 100 || r.item === 101));
  });

  test('an overstock boost lifts an item with the weight the manager sets', () => {
    const plain = recommendForUser(model, 1, { n: 10 });
    const before = plain.findIndex((r) => r.item === 202);
    const boosted = recommendForUser(model, 1, { n: 10, boost: new Map([[202, 1]]), boostWeight: 2 });
    assert.equal(boosted[0].item, 202);
    assert.ok(before !== 0);
    assert.match(boosted[0].reason, /on offer$/);
    const zero = recommendForUser(model, 1, { n: 10, boost: new Map([[202, 1]]), boostWeight: 0 });
    assert.deepEqual(zero.map((r) => r.item), plain.map((r) => r.item));
  });

  test('unknown customers get what sells now', () => {
    const recs = recommendForUser(model, 999, { n: 3 });
    assert.equal(recs[0].item, 300);
    assert.equal(recs[0].reason, 'popular right now');
  });

  test('bought together and similar items', () => {
    const fbt = boughtTogether(model, 200, { n: 3 });
    assert.equal(fbt[0].item, 201);
    assert.match(fbt[0].reason, /often bought together with CANDLE/);
    assert.ok(!fbt.some((r) => r.item === 200));
    assert.deepEqual(boughtTogether(model, 200, { n: 3, inStock: (i) => i !== 201 }).map((r) => r.item).includes(201), false);
    const sim = similarItems(model, 200, { n: 3 });
    assert.equal(sim[0].item, 201);
    assert.ok(!sim.some((r) => r.item === 200));
    const latent = similarItems(model, 200, { n: 3, source: 'latent' });
    assert.equal(latent.length, 3);
    assert.ok(!latent.some((r) => r.item === 200));
    assert.ok(latent[0].score >= latent[1].score && latent[0].score <= 1 + 1e-9);
  });

  test('stockAwareRerank drops out-of-stock and re-sorts boosted candidates', () => {
    const c = [
      { item: 1, score: 1, reason: 'a' },
      { item: 2, score: 0.9, reason: 'b' },
      { item: 3, score: 0.5, reason: 'c' },
    ];
    const r = stockAwareRerank(c, 2, { inStock: (i) => i !== 1, boost: new Map([[3, 1]]), boostWeight: 0.5 });
    assert.deepEqual(r.map((x) => x.item), [3, 2]);
    assert.equal(r[0].score, 1);
  });

  test('training reports progress to the end', () => {
    const seen: string[] = [];
    trainRecommender(shop(), { collaborative: 'item-knn', onProgress: (s, f) => seen.push(`${s}:${f}`) });
    assert.equal(seen[seen.length - 1], 'done:1');
    assert.throws(() => trainRecommender([]), /no interactions/);
  });
});
