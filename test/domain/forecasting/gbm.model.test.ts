import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { predictGbm, trainGbm } from '../../../src/domain/forecasting/gbm.model.ts';
import { forecastGlobal, trainGlobal } from '../../../src/domain/forecasting/global.model.ts';
import { forecastBatch } from '../../../src/domain/forecasting/forecast.ts';
import { gaussian, poisson, rng } from './helpers.ts';

describe('histogram GBM', () => {
  test('a single split finds the step of a step function (to within one quantile bin)', () => {
    const n = 1000;
    const X = new Float64Array(n * 2);
    const y = new Float64Array(n);
    const r = rng(21);
    for (let i = 0; i < n; i++) {
      X[i * 2] = r() * 10;
      X[i * 2 + 1] = r(); // noise feature
      y[i] = X[i * 2] > 6 ? 5 : 1;
    }
    const model = trainGbm(X, y, 2, { trees: 1, depth: 1, learningRate: 1, lambda: 0, minLeaf: 5 });
    assert.equal(model.trees[0].feat[0], 0, 'splits on the informative feature');
    const thr = model.trees[0].thr[0];
    // 64 quantile bins over [0, 10): the best edge is the last one below 6 (bin width ≈ 0.16)
    assert.ok(thr > 5.8 && thr <= 6, `threshold ${thr}`);
    assert.ok(Math.abs(predictGbm(model, Float64Array.from([2, 0.5])) - 1) < 1e-9, 'left leaf is pure');
    assert.ok(Math.abs(predictGbm(model, Float64Array.from([9, 0.5])) - 5) < 0.1, 'right leaf is nearly pure');
  });

  test('boosting fits a smooth interaction far better than the mean', () => {
    const n = 20000;
    const X = new Float64Array(n * 3);
    const y = new Float64Array(n);
    const r = rng(22);
    const g = gaussian(r);
    for (let i = 0; i < n; i++) {
      const a = r() * 4 - 2;
      const b = r() * 4 - 2;
      X[i * 3] = a;
      X[i * 3 + 1] = b;
      X[i * 3 + 2] = Number.NaN; // missing everywhere: must not break anything
      y[i] = Math.sin(a) * 2 + a * b + 0.1 * g();
    }
    const model = trainGbm(X, y, 3, { trees: 120, depth: 5, learningRate: 0.2 });
    let se = 0;
    let sv = 0;
    const mean = y.reduce((s, v) => s + v, 0) / n;
    const x = new Float64Array(3);
    const r2 = rng(23);
    for (let i = 0; i < 2000; i++) {
      x[0] = r2() * 4 - 2;
      x[1] = r2() * 4 - 2;
      x[2] = NaN;
      const truth = Math.sin(x[0]) * 2 + x[0] * x[1];
      se += (predictGbm(model, x) - truth) ** 2;
      sv += (mean - truth) ** 2;
    }
    assert.ok(se / sv < 0.03, `relative MSE ${se / sv}`);
  });
});

describe('global model', () => {
  test('learns a shared weekly shape and per-series scale across series', () => {
    const r = rng(24);
    const shape = [1.4, 1.2, 1.1, 1, 1.3, 1, 0];
    const series = Array.from({ length: 150 }, (_, s) => {
      const level = 1 + (s % 10) * 2;
      const v = new Float64Array(224);
      for (let t = 0; t < v.length; t++) v[t] = poisson(r, level * shape[t % 7]);
      return { values: v.subarray(0, 196), full: v, level };
    });
    const profile = Float64Array.from(shape);
    const gs = series.map((s) => ({ values: s.values, profile }));
    const model = trainGlobal(gs, { horizon: 28, m: 7, trees: 40, depth: 5, learningRate: 0.15 });
    let se = 0;
    let seFlat = 0;
    for (let i = 0; i < series.length; i++) {
      const f = forecastGlobal(model, gs[i], 196, 28);
      for (let k = 0; k < 28; k++) {
        const truth = series[i].level * shape[(196 + k) % 7];
        se += (f[k] - truth) ** 2;
        seFlat += (series[i].level - truth) ** 2;
      }
      // t = 202 → 202 % 7 = 6: the closed day stays (near) zero
      assert.ok(f[202 - 196] < 0.15 * series[i].level + 0.2, `closed day ${f[6]} at level ${series[i].level}`);
    }
    assert.ok(se < 0.25 * seFlat, `global ${se} vs flat-level ${seFlat}`);
  });

  test('forecastBatch offers the global model as candidates when asked', () => {
    const r = rng(25);
    const inputs = Array.from({ length: 40 }, (_, s) => {
      const v = new Float64Array(200);
      for (let t = 0; t < v.length; t++) v[t] = poisson(r, (1 + (s % 4)) * (t % 7 === 6 ? 0.1 : 1.2));
      return { values: v, freq: 'D' as const };
    });
    const out = forecastBatch(inputs, { horizon: 14, globalModel: true, pooledProfile: true });
    assert.equal(out.length, 40);
    for (const res of out) {
      assert.ok(res.backtest && 'gbm' in res.backtest.candidates, 'gbm was back-tested');
      assert.ok(res.mean.every((v) => v >= 0));
    }
  });
});

describe('global model covariates', () => {
  test('a known promotion flag (SeriesInput.covariates) is learned and lowers the back-test error', async () => {
    const { holdoutBacktest } = await import('../../../src/domain/forecasting/backtest.ts');
    const r = rng(5);
    const n = 200;
    const h = 14;
    const inputs = Array.from({ length: 60 }, () => {
      const base = 2 + 6 * r();
      const promo = new Float64Array(n);
      for (let t = 0; t < n; t++) promo[t] = r() < 0.15 ? 1 : 0;
      const values = new Float64Array(n);
      for (let t = 0; t < n; t++) values[t] = poisson(r, base * (promo[t] ? 3 : 1));
      return { values, freq: 'D' as const, seasonLength: 1, covariates: [promo] };
    });
    const opts = { horizon: h, models: ['gbm' as const], folds: 2, outerFolds: 1, globalModel: true };
    const withCov = holdoutBacktest(inputs, opts).overall.gbm;
    const without = holdoutBacktest(inputs.map(({ covariates: _c, ...rest }) => rest), opts).overall.gbm;
    assert.ok(withCov.rmsse < 0.8 * without.rmsse, `with promo ${withCov.rmsse.toFixed(3)} vs without ${without.rmsse.toFixed(3)}`);
  });
});
