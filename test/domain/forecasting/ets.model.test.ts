import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { autoEts, fitEts, forecastEts } from '../../../src/domain/forecasting/ets.model.ts';
import { gaussian, rng } from './helpers.ts';

describe('ETS', () => {
  test('SES recovers α on a simulated local-level series', () => {
    const g = gaussian(rng(1));
    for (const alpha of [0.15, 0.5]) {
      const y = new Float64Array(3000);
      let l = 50;
      for (let t = 0; t < y.length; t++) {
        const e = g();
        y[t] = l + e;
        l += alpha * e;
      }
      const fit = fitEts(y, 1, { trend: 'N', season: 'N' });
      assert.ok(fit);
      assert.ok(Math.abs(fit.alpha - alpha) < 0.05, `alpha ${fit.alpha} vs ${alpha}`);
      assert.ok(Math.abs(fit.sigma2 - 1) < 0.1, `sigma2 ${fit.sigma2}`);
    }
  });

  test('Holt recovers α and β on a simulated local-trend series', () => {
    const g = gaussian(rng(2));
    const alpha = 0.4;
    const beta = 0.1;
    const y = new Float64Array(3000);
    let l = 100;
    let b = 0.5;
    for (let t = 0; t < y.length; t++) {
      const e = g();
      y[t] = l + b + e;
      l = l + b + alpha * e;
      b = b + beta * e;
    }
    const fit = fitEts(y, 1, { trend: 'A', season: 'N' });
    assert.ok(fit);
    assert.ok(Math.abs(fit.alpha - alpha) < 0.07, `alpha ${fit.alpha}`);
    assert.ok(Math.abs(fit.beta - beta) < 0.05, `beta ${fit.beta}`);
  });

  test('AICc picks a seasonal form on a seasonal series and a non-seasonal one on white noise', () => {
    const g = gaussian(rng(3));
    const m = 7;
    const pattern = [10, 12, 11, 13, 15, 4, 0];
    const seasonal = new Float64Array(364);
    const noise = new Float64Array(364);
    for (let t = 0; t < seasonal.length; t++) {
      seasonal[t] = 50 + pattern[t % m] + g();
      noise[t] = 50 + 3 * g();
    }
    const s = autoEts(seasonal, m);
    assert.ok(s);
    assert.notEqual(s.form.season, 'N', `picked ${s.name}`);
    const f = forecastEts(s, 14);
    // The forecast keeps the weekly shape: period 364 is position 0, 369 is position 5 (the low day).
    assert.ok(f[0] - f[5] > 3, `shape lost: ${Array.from(f.slice(0, 7))}`);
    const n = autoEts(noise, m);
    assert.ok(n);
    assert.equal(n.form.season, 'N', `picked ${n.name} on white noise`);
    assert.equal(n.form.trend, 'N', `picked ${n.name} on white noise`);
  });

  test('trend models extrapolate a trend; missing values are skipped', () => {
    const y = new Float64Array(100);
    for (let t = 0; t < y.length; t++) y[t] = 10 + 2 * t + (t % 2 ? 0.5 : -0.5);
    for (const t of [20, 21, 22, 50]) y[t] = NaN;
    const fit = autoEts(y, 1);
    assert.ok(fit);
    assert.notEqual(fit.form.trend, 'N');
    const f = forecastEts(fit, 5);
    assert.ok(Math.abs(f[0] - (10 + 2 * 100)) < 3, `f[0] = ${f[0]}`);
    assert.ok(f[4] > f[0] + 5, 'trend continues');
    assert.equal(fit.n, 96);
  });

  test('multiplicative season is refused when there are zeros', () => {
    const y = new Float64Array(70).fill(5);
    y[3] = 0;
    assert.equal(fitEts(y, 7, { trend: 'N', season: 'M' }), null);
  });
});
