import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricAccumulator, holdoutBacktest } from '../../../src/domain/forecasting/backtest.ts';

const F = (a: number[]) => Float64Array.from(a);

describe('hold-out back-test (CLI contract metrics)', () => {
  test('RMSSE is the mean over series, zero-scale series are skipped and counted; WAPE and bias pool all errors', () => {
    const acc = new MetricAccumulator();
    // series 1: scale mean((2-1)², (1-2)²) = 1; errors 1, -1 → RMSSE 1
    acc.add(F([2, 2]), F([3, 1]), F([1, 2, 1]), { 0.8: F([3, 3]) }, 2);
    // series 2: scale mean(2², 2²) = 4; errors 2, 2 → RMSSE 1... make it 2: errors 4, 4 → sqrt(16/4) = 2
    acc.add(F([4, 4]), F([8, 8]), F([0, 2, 4]), { 0.8: F([0, 0]) }, 1);
    // series 3: constant history → scale 0 → skipped for RMSSE, still in WAPE
    acc.add(F([1, NaN]), F([0, 5]), F([3, 3, 3]), { 0.8: F([1, 1]) }, 5);
    const s = acc.summary();
    assert.equal(s.series, 3);
    assert.equal(s.skipped, 1);
    assert.equal(s.rmsse, 1.5);
    assert.ok(Math.abs(s.weightedRmsse - (2 * 1 + 1 * 2) / 3) < 1e-12);
    assert.equal(s.points, 5);
    assert.equal(s.wape, (1 + 1 + 4 + 4 + 1) / (2 + 2 + 4 + 4 + 1));
    assert.equal(s.bias, (1 - 1 + 4 + 4 - 1) / 13);
    assert.equal(s.coverage['0.8'], 3 / 5);
  });

  test('outer folds step back by the horizon and every model gets its own figures', () => {
    const v = new Float64Array(120);
    for (let t = 0; t < v.length; t++) v[t] = 10 + (t % 7 === 6 ? -8 : 0);
    const res = holdoutBacktest([{ values: v, freq: 'D' }, { values: v.map((x) => x * 3), freq: 'D' }], { horizon: 14, outerFolds: 2, models: ['snaive', 'naive', 'auto'] });
    assert.equal(res.overall.snaive.series, 4, '2 series × 2 folds');
    assert.equal(res.overall.snaive.points, 56);
    assert.equal(res.overall.snaive.wape, 0, 'a pure weekly pattern is exact for seasonal naive');
    assert.ok(res.overall.naive.wape > 0.1);
    assert.ok(res.overall.auto.rmsse < res.overall.naive.rmsse);
  });
});
