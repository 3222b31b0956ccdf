import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boughtTogether } from '../../../src/domain/recommend/item-recs.ts';
import { decodeModel, decodeValue, encodeModel, encodeValue } from '../../../src/domain/recommend/model-codec.ts';
import { recommendForUser, trainRecommender } from '../../../src/domain/recommend/recommender.ts';
import { rng } from '../../../src/domain/recommend/evaluate.ts';
import { DAY_MS } from '../../../src/domain/recommend/types.ts';

describe('model codec', () => {
  test('round-trips typed arrays, maps and non-finite numbers', () => {
    const v = { a: Float32Array.from([1.5, -2]), b: new Map([[3, 'x']]), c: [Int32Array.from([7]), Infinity], d: 'ok' };
    const back = decodeValue(encodeValue(v)) as typeof v;
    assert.deepEqual([...back.a], [1.5, -2]);
    assert.ok(back.a instanceof Float32Array);
    assert.equal(back.b.get(3), 'x');
    assert.deepEqual([...(back.c[0] as Int32Array)], [7]);
    assert.equal(back.c[1], Infinity);
    assert.throws(() => decodeModel(new Uint8Array(16)), /not a Shelfwise model/);
  });

  test('a decoded model serves exactly the same recommendations', () => {
    const r = rng(9);
    const events = Array.from({ length: 3000 }, (_, k) => ({
      user: Math.floor(r() * 120),
      item: Math.floor(r() * r() * 200),
      weight: 1,
      time: Date.UTC(2024, 0, 1) + Math.floor(r() * 200) * DAY_MS,
      basket: Math.floor(k / 4),
    }));
    const m = trainRecommender(events, { itemNames: new Map([[0, 'first']]), ials: { iterations: 3, factors: 8 } });
    const bytes = encodeModel(m);
    const back = decodeModel(bytes);
    for (const user of [0, 5, 17, 999]) assert.deepEqual(recommendForUser(back, user, { n: 10 }), recommendForUser(m, user, { n: 10 }));
    assert.deepEqual(boughtTogether(back, 0, { n: 5 }), boughtTogether(m, 0, { n: 5 }));
  });
});
