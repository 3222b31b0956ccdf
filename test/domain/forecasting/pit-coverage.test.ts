import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countCdf, countQuantile, normalCdf, pitCoverage } from '../../../src/domain/forecasting/distribution.ts';
import { MetricAccumulator } from '../../../src/domain/forecasting/backtest.ts';
import { negbin, rng } from './helpers.ts';

describe('PIT coverage of count forecasts', () => {
  test('countCdf agrees with countQuantile and with hand values', () => {
    // Poisson(2): P(0) = e^-2 = 0.1353, P(≤1) = 3e^-2 = 0.4060
    assert.ok(Math.abs(countCdf(2, 2, 0) - Math.exp(-2)) < 1e-12);
    assert.ok(Math.abs(countCdf(2, 2, 1) - 3 * Math.exp(-2)) < 1e-12);
    assert.equal(countCdf(2, 2, -1), 0);
    for (const [m, v] of [[0.3, 0.3], [3, 3], [3, 12], [0.2, 2], [50, 400]]) {
      for (const p of [0.5, 0.8, 0.95]) {
        const q = countQuantile(m, v, p);
        assert.ok(countCdf(m, v, q) >= p - 1e-9, `F(q) ≥ p for mean ${m} var ${v} p ${p}`);
        if (q > 0) assert.ok(countCdf(m, v, q - 1) < p, `F(q-1) < p for mean ${m} var ${v} p ${p}`);
      }
    }
    assert.ok(Math.abs(normalCdf(1.6448536) - 0.95) < 1e-6);
  });

  test('ties split: P(0) = 0.9 and y = 0 counts 0.8 / 0.9 at P80; beyond the quantile counts 0', () => {
    const mean = 0.1053605; // Poisson with e^-mean = 0.9
    assert.ok(Math.abs(pitCoverage(mean, mean, 0, 0.8) - 0.8 / 0.9) < 1e-5);
    assert.equal(pitCoverage(mean, mean, 3, 0.8), 0);
    assert.equal(pitCoverage(5, 5, 0, 0.8), 1); // F(0) = 0.0067 ≤ 0.8
  });

  test('a calibrated intermittent forecast: literal P80 coverage over-covers, PIT coverage is 0.8', () => {
    const r = rng(11);
    const acc = new MetricAccumulator();
    for (let s = 0; s < 400; s++) {
      const mean = 0.05 + 0.5 * r(); // mostly P(0) > 0.8, as Online Retail's intermittent items
      const ratio = 2;
      const n = 28;
      const actual = new Float64Array(n);
      for (let i = 0; i < n; i++) actual[i] = negbin(r, mean, ratio);
      const m = new Float64Array(n).fill(mean);
      const q80 = new Float64Array(n).fill(countQuantile(mean, mean * ratio, 0.8));
      acc.add(actual, m, Float64Array.from([0, 1, 0, 2]), { 0.8: q80 }, 1, { distribution: 'negbin', ratio });
    }
    const s = acc.summary();
    assert.ok(s.coverage['0.8'] > 0.86, `literal ${s.coverage['0.8']}`);
    assert.ok(Math.abs(s.pitCoverage['0.8'] - 0.8) < 0.015, `PIT ${s.pitCoverage['0.8']}`);
  });

  test('continuous forecasts: PIT coverage equals the literal coverage', () => {
    const acc = new MetricAccumulator();
    acc.add(Float64Array.from([1.5, 2.5, 9]), Float64Array.from([2, 2, 2]), Float64Array.from([1, 2, 3]), { 0.8: Float64Array.from([3, 3, 3]) }, 1, { distribution: 'normal' });
    const s = acc.summary();
    assert.equal(s.coverage['0.8'], 2 / 3);
    assert.equal(s.pitCoverage['0.8'], 2 / 3);
  });
});
