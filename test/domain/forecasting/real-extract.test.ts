import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MetricAccumulator } from '../../../src/domain/forecasting/backtest.ts';
import { alignProfile, forecastSeries, pooledProfileEndAligned } from '../../../src/domain/forecasting/forecast.ts';
import type { SeriesInput } from '../../../src/domain/forecasting/types.ts';

// 60 real products of UCI Online Retail (see the fixture's header): last 28 days held out.
const file = fileURLToPath(new URL('./fixtures/online-retail-60.csv', import.meta.url));
const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).slice(1);
const series = rows.map((l) => {
  const [sku, start, price, values] = l.split(',');
  return { sku, start, price: Number(price), values: Float64Array.from(values.split(' ').map(Number)) };
});

describe('Online Retail extract (60 products, daily, horizon 28)', () => {
  test('auto beats seasonal naive by ≥ 10 % weighted RMSSE and keeps P95 coverage honest', () => {
    const h = 28;
    const trains: SeriesInput[] = series.map((s) => ({ values: s.values.subarray(0, s.values.length - h), freq: 'D' }));
    const pooled = pooledProfileEndAligned(trains, 7)!;
    assert.ok(pooled[6] < 0.05, 'the shop does not trade on Saturdays (end-aligned position 6 = Saturday 2011-11-05)');
    const acc: Record<string, MetricAccumulator> = { auto: new MetricAccumulator(), snaive: new MetricAccumulator(), zero: new MetricAccumulator() };
    series.forEach((s, i) => {
      const train = trains[i];
      const actual = s.values.subarray(s.values.length - h);
      let w = 0;
      for (let t = train.values.length - h; t < train.values.length; t++) w += train.values[t] * s.price;
      for (const model of Object.keys(acc)) {
        const res = forecastSeries({ ...train, seasonalProfile: alignProfile(pooled, train.values.length) }, { horizon: h, model });
        acc[model].add(actual, res.mean, train.values, { 0.8: res.quantiles.p80, 0.95: res.quantiles.p95 }, w);
      }
    });
    const a = acc.auto.summary();
    const s = acc.snaive.summary();
    const z = acc.zero.summary();
    assert.ok(a.weightedRmsse < 0.9 * s.weightedRmsse, `auto ${a.weightedRmsse} vs snaive ${s.weightedRmsse}`);
    assert.ok(a.weightedRmsse < z.weightedRmsse, `auto ${a.weightedRmsse} vs zero ${z.weightedRmsse}`);
    assert.ok(a.coverage['0.95'] > 0.9 && a.coverage['0.95'] < 0.99, `P95 coverage ${a.coverage['0.95']}`);
    assert.ok(a.coverage['0.8'] > 0.72 && a.coverage['0.8'] < 0.92, `P80 coverage ${a.coverage['0.8']}`);
  });
});
