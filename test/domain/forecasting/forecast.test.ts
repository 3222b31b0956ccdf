import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate } from '../../../src/domain/forecasting/aggregate.ts';
import { forecastBatch, forecastSeries } from '../../../src/domain/forecasting/forecast.ts';
import { gaussian, negbin, rng } from './helpers.ts';

describe('forecastSeries', () => {
  test('returns mean, ordered P50/P80/P95, model, reason, back-test and class', () => {
    const r = rng(11);
    const y = new Float64Array(200);
    for (let t = 0; t < y.length; t++) y[t] = negbin(r, t % 7 === 6 ? 0.2 : 3, 2);
    const res = forecastSeries({ values: y, freq: 'D' }, { horizon: 14 });
    assert.equal(res.mean.length, 14);
    assert.deepEqual(Object.keys(res.quantiles).sort(), ['p50', 'p80', 'p95']);
    for (let i = 0; i < 14; i++) {
      assert.ok(res.quantiles.p50[i] <= res.quantiles.p80[i] && res.quantiles.p80[i] <= res.quantiles.p95[i]);
      assert.ok(Number.isInteger(res.quantiles.p95[i]), 'unit counts get integer quantiles');
      assert.ok(res.mean[i] >= 0);
    }
    assert.ok(res.backtest && res.backtest.folds === 3 && res.backtest.points === 42);
    assert.ok(res.backtest.coverage.p95 >= res.backtest.coverage.p80);
    assert.ok(res.reason.includes(res.demandClass));
    assert.ok(['negbin', 'poisson'].includes(res.distribution));
    assert.ok(Object.keys(res.backtest.candidates).length >= 3);
  });

  test('P80 / P95 coverage is near nominal on simulated smooth series (held-out data)', () => {
    const g = gaussian(rng(12));
    let c80 = 0;
    let c95 = 0;
    let n = 0;
    for (let s = 0; s < 60; s++) {
      const y = new Float64Array(196);
      let level = 100;
      for (let t = 0; t < y.length; t++) {
        level += 0.5 * g();
        y[t] = level + [5, 3, 0, -2, 8, -6, -8][t % 7] + 4 * g() + 0.37; // non-integer: normal errors
      }
      const train = y.subarray(0, 168);
      const res = forecastSeries({ values: train, freq: 'D' }, { horizon: 28, folds: 3 });
      for (let i = 0; i < 28; i++) {
        if (y[168 + i] <= res.quantiles.p80[i]) c80++;
        if (y[168 + i] <= res.quantiles.p95[i]) c95++;
        n++;
      }
    }
    assert.ok(c80 / n > 0.72 && c80 / n < 0.88, `P80 coverage ${c80 / n}`);
    assert.ok(c95 / n > 0.89 && c95 / n < 0.99, `P95 coverage ${c95 / n}`);
  });

  test('out-of-stock periods are masked: the forecast does not learn zero demand from them', () => {
    const r = rng(13);
    const y = new Float64Array(140);
    const oos = new Uint8Array(140);
    for (let t = 0; t < y.length; t++) y[t] = negbin(r, 10, 1.5);
    for (let t = 100; t < 140; t++) if (t % 3 !== 0) { y[t] = 0; oos[t] = 1; } // stock-outs: sales 0
    const naive = forecastSeries({ values: y, freq: 'D', seasonLength: 1 }, { horizon: 7 });
    const masked = forecastSeries({ values: y, outOfStock: oos, freq: 'D', seasonLength: 1 }, { horizon: 7 });
    assert.ok(masked.mean[0] > 8 && masked.mean[0] < 12, `masked ${masked.mean[0]}`);
    assert.ok(masked.mean[0] > naive.mean[0] + 2, `masked ${masked.mean[0]} vs unmasked ${naive.mean[0]}`);
  });

  test('intermittent items: an intermittent method with a positive rate, never the all-zero forecast', () => {
    const r = rng(14);
    const y = new Float64Array(300);
    for (let t = 0; t < y.length; t++) y[t] = r() < 0.15 ? 1 + Math.floor(r() * 6) : 0;
    const res = forecastSeries({ values: y, freq: 'D', seasonLength: 1 }, { horizon: 28 });
    assert.ok(res.demandClass === 'intermittent' || res.demandClass === 'lumpy');
    assert.notEqual(res.model, 'zero');
    const mean = res.mean.reduce((a, b) => a + b, 0) / 28;
    assert.ok(mean > 0.25 && mean < 0.9, `rate ${mean} (true 0.525)`);
    assert.equal(res.quantiles.p50[0], 0, 'median day has no sale');
    assert.ok(res.quantiles.p95[0] >= 2);
  });

  test('a forced model, an ensemble spec, short and empty histories, and bad input', () => {
    const y = Float64Array.from([4, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5, 4, 5]);
    const f = forecastSeries({ values: y, freq: 'D', seasonLength: 4 }, { horizon: 4, model: 'snaive' });
    assert.equal(f.model, 'snaive');
    assert.deepEqual(Array.from(f.mean), [6, 5, 4, 5]);
    const e = forecastSeries({ values: y, freq: 'D', seasonLength: 4 }, { horizon: 4, model: 'snaive+naive' });
    assert.deepEqual(Array.from(e.mean), [5.5, 5, 4.5, 5]);
    const short = forecastSeries({ values: Float64Array.from([3, 0, 2]), freq: 'D' }, { horizon: 3 });
    assert.equal(short.backtest, null);
    assert.ok(short.reason.includes('too short'));
    const empty = forecastSeries({ values: new Float64Array(30), freq: 'D' }, { horizon: 5 });
    assert.equal(empty.model, 'zero');
    assert.throws(() => forecastSeries({ values: y, freq: 'D' }, { horizon: 0 }), /horizon/);
    assert.throws(() => forecastSeries({ values: y, freq: 'D' }, { horizon: 2, model: 'lstm' }), /unknown model/);
    assert.throws(() => forecastSeries({ values: y, outOfStock: new Uint8Array(2), freq: 'D' }, { horizon: 2 }), /outOfStock/);
  });

  test('batch helper reports progress and keeps order', () => {
    const inputs = [1, 5, 20].map((lv) => ({ values: new Float64Array(60).fill(lv), freq: 'D' as const }));
    const seen: string[] = [];
    const out = forecastBatch(inputs, { horizon: 7, pooledProfile: true }, (d, t) => seen.push(`${d}/${t}`));
    assert.deepEqual(seen, ['1/3', '2/3', '3/3']);
    assert.deepEqual(out.map((r) => Math.round(r.mean[0])), [1, 5, 20]);
  });
});

describe('aggregate', () => {
  test('daily → ISO weeks and months, with out-of-stock days scaled up', () => {
    // 2024-01-01 is a Monday; 10 days of 1 unit, day 2 out of stock
    const d = new Float64Array(10).fill(1);
    const oos = new Uint8Array(10);
    oos[2] = 1;
    const w = aggregate(d, 'W', '2024-01-01', { outOfStock: oos });
    assert.deepEqual(w.starts, ['2024-01-01', '2024-01-08']);
    assert.deepEqual(Array.from(w.values), [7, 3]);
    assert.deepEqual(Array.from(w.days), [7, 3]);
    const m = aggregate(new Float64Array(62).fill(2), 'M', '2024-01-15');
    assert.deepEqual(m.starts, ['2024-01-01', '2024-02-01', '2024-03-01']);
    assert.deepEqual(Array.from(m.values), [34, 58, 32]);
    const allOut = aggregate(Float64Array.from([0, 0]), 'W', '2024-01-01', { outOfStock: Uint8Array.from([1, 1]) });
    assert.equal(allOut.outOfStock[0], 1);
  });
});
