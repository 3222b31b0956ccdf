import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basketHoldout, basketMetrics, kFoldAssignment, rankingMetrics, rmse, temporalSplit } from '../../../src/domain/recommend/evaluate.ts';
import { DAY_MS } from '../../../src/domain/recommend/types.ts';

describe('evaluation', () => {
  test('NDCG / HR / recall / MAP on hand-computed lists', () => {
    const truth = new Map([
      [1, new Set([10, 30])],
      [2, new Set([99])],
    ]);
    const lists: Record<number, number[]> = { 1: [10, 20, 30], 2: [1, 2, 3] };
    const m = rankingMetrics(truth, (u) => lists[u], 10);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3);
    assert.ok(Math.abs(m['ndcg@10'] - dcg / idcg / 2) < 1e-12);
    assert.equal(m['hr@10'], 0.5);
    assert.equal(m['recall@10'], 0.5);
    assert.ok(Math.abs(m['map@12'] - (1 + 2 / 3) / 2 / 2) < 1e-12);
    assert.equal(m['coverage@10'], 0.6);
  });

  test('temporal split keeps only returning customers and separates new items', () => {
    const t0 = Date.UTC(2011, 0, 1);
    const ev = [
      { user: 1, item: 1, weight: 1, time: t0 },
      { user: 1, item: 1, weight: 1, time: t0 + 40 * DAY_MS },
      { user: 1, item: 2, weight: 1, time: t0 + 40 * DAY_MS },
      { user: 2, item: 3, weight: 1, time: t0 + 39 * DAY_MS },
    ];
    const s = temporalSplit(ev, 30);
    assert.equal(s.train.length, 1);
    assert.deepEqual([...s.truth.keys()], [1]);
    assert.deepEqual([...s.truth.get(1)!], [1, 2]);
    assert.deepEqual([...s.newItemsTruth.get(1)!], [2]);
  });

  test('basket hold-out hides one item of each multi-item basket', () => {
    const ev = [1, 2, 3].map((item) => ({ user: 1, item, weight: 1, time: 0, basket: 7 }));
    ev.push({ user: 2, item: 4, weight: 1, time: 0, basket: 8 });
    const cases = basketHoldout(ev);
    assert.equal(cases.length, 1);
    assert.equal(cases[0].rest.length, 2);
    assert.ok(!cases[0].rest.includes(cases[0].hidden));
    const r = basketMetrics(cases, () => [cases[0].hidden]);
    assert.equal(r['hr@10'], 1);
    assert.equal(r.mrr, 1);
  });

  test('k folds are balanced and rmse is right', () => {
    const f = kFoldAssignment(103, 5);
    const counts = [0, 0, 0, 0, 0];
    f.forEach((x) => counts[x]++);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1);
    assert.equal(rmse([1, 3], [2, 2]), 1);
  });
});
