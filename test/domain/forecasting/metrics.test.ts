import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage, mae, mase, naiveScale, pinball, quantileKey, rmse, rmsse, wape } from '../../../src/domain/forecasting/metrics.ts';
import { countQuantile, normalQuantile } from '../../../src/domain/forecasting/distribution.ts';
import { negbin, rng } from './helpers.ts';

const F = (a: number[]) => Float64Array.from(a);

describe('metrics', () => {
  test('hand-computed values', () => {
    const ins = F([1, 3, 2, 4]); // naive diffs 2, -1, 2 → mean sq 3, mean abs 5/3
    const act = F([2, NaN, 4]);
    const fc = F([3, 100, 2]); // errors 1, (skipped), -2
    assert.equal(naiveScale(ins), 3);
    assert.equal(mae(act, fc), 1.5);
    assert.equal(rmse(act, fc), Math.sqrt(2.5));
    assert.ok(Math.abs(rmsse(act, fc, ins) - Math.sqrt(2.5 / 3)) < 1e-12);
    assert.ok(Math.abs(mase(act, fc, ins) - 1.5 / (5 / 3)) < 1e-12);
    assert.equal(wape(act, fc), 3 / 6);
    assert.ok(Number.isNaN(rmsse(act, fc, F([2, 2, 2]))), 'zero scale → NaN');
    // pinball q=0.8: a=2,f=3 → 0.2·1; a=4,f=2 → 0.8·2
    assert.ok(Math.abs(pinball(act, fc, 0.8) - (0.2 + 1.6) / 2) < 1e-12);
    assert.equal(coverage(act, fc), 0.5);
    assert.equal(quantileKey(0.8), 'p80');
    assert.equal(quantileKey(0.975), 'p97.5');
  });

  test('all-zero forecast wins on MAE but not on RMSSE for an intermittent item', () => {
    const ins = F([0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 10]);
    const act = F([0, 0, 0, 10, 0, 0, 0, 10]);
    const zero = new Float64Array(8);
    const rate = new Float64Array(8).fill(2.5);
    assert.ok(mae(act, zero) < mae(act, rate));
    assert.ok(rmsse(act, rate, ins) < rmsse(act, zero, ins));
  });
});

describe('distributions', () => {
  test('normal and count quantiles', () => {
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
    assert.ok(Math.abs(normalQuantile(0.2) + 0.841621) < 1e-5);
    assert.equal(countQuantile(3, 3, 0.5), 3); // Poisson(3) median
    assert.equal(countQuantile(3, 3, 0.95), 6);
    assert.equal(countQuantile(0, 5, 0.95), 0);
    const q = [0.5, 0.8, 0.95].map((p) => countQuantile(4, 20, p));
    assert.ok(q[0] <= q[1] && q[1] <= q[2] && q[2] > 8, `${q}`);
  });

  test('negative binomial quantiles cover at their level on simulated draws', () => {
    const r = rng(7);
    for (const [mean, ratio] of [[2, 3], [15, 6], [0.4, 2]]) {
      const q80 = countQuantile(mean, mean * ratio, 0.8);
      const q95 = countQuantile(mean, mean * ratio, 0.95);
      let c80 = 0;
      let c95 = 0;
      const N = 20000;
      for (let i = 0; i < N; i++) {
        const x = negbin(r, mean, ratio);
        if (x <= q80) c80++;
        if (x <= q95) c95++;
      }
      // discrete: coverage is at least the level, and one step lower would be below it
      assert.ok(c80 / N >= 0.79, `mean ${mean}: P80 covers ${c80 / N}`);
      assert.ok(c95 / N >= 0.94, `mean ${mean}: P95 covers ${c95 / N}`);
      if (q80 > 0) {
        let below = 0;
        for (let i = 0; i < N; i++) if (negbin(r, mean, ratio) <= q80 - 1) below++;
        assert.ok(below / N < 0.81, `P80 not the smallest: ${below / N}`);
      }
    }
  });
});
