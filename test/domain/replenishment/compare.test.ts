import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { comparePolicies, type Forecaster } from '../../../src/domain/replenishment/compare.ts';
import { fillStockSvg } from '../../../src/domain/replenishment/plot.ts';
import { mulberry32, samplePoisson } from '../../../src/domain/replenishment/rng.ts';

// Moving average of the last 4 weeks with a Poisson-ish spread: a stand-in forecaster for the tests.
const movingAverage: Forecaster = (h, horizon) => {
  const w = h.subarray(Math.max(0, h.length - 28));
  let m = 0;
  for (const x of w) m += x;
  m /= Math.max(w.length, 1);
  return { mean: new Float64Array(horizon).fill(m), dispersion: { varianceToMean: 1.5 } };
};

describe('policy comparison (replenish simulate)', () => {
  const rng = mulberry32(21);
  // 20 series, 240 days, demand level doubles on day 170: the adaptive forecast should need less stock than min/max.
  const series = Array.from({ length: 20 }, (_, i) => ({
    id: `s${i}`,
    unitCost: 2,
    demand: Float64Array.from({ length: 240 }, (_, t) => samplePoisson(rng, (2 + i / 4) * (t >= 170 ? 2 : 1))),
  }));
  test('min/max is tuned to the same fill rate and the JSON has the issue keys', () => {
    const r = comparePolicies({
      series,
      leadTime: 7,
      review: 7,
      service: { kind: 'csl', level: 0.95 },
      forecaster: movingAverage,
      orderingCost: 10,
      minmax: { tolerance: 0.005 },
    });
    assert.equal(r.series, 20);
    assert.equal(r.periods, 120);
    const { auto, minmax } = r.policies;
    assert.ok(Math.abs(auto.fill_rate - minmax.fill_rate) <= 0.005, `${auto.fill_rate} vs ${minmax.fill_rate}`);
    for (const k of ['fill_rate', 'cycle_service', 'avg_on_hand', 'stockout_periods', 'orders', 'holding_cost', 'ordering_cost'] as const) {
      assert.equal(typeof auto[k], 'number');
      assert.equal(typeof minmax[k], 'number');
    }
    assert.equal(auto.ordering_cost, auto.orders * 10);
    assert.ok(auto.fill_rate > 0.9 && auto.fill_rate < 1);
    assert.equal(r.stock_ratio, auto.avg_on_hand / minmax.avg_on_hand);
    assert.ok(minmax.scale > 0);
  });
});

describe('fill vs stock plot', () => {
  test('one path and one marker per point for each line, text escaped', () => {
    const svg = fillStockSvg(
      [
        { name: 'auto <R,S>', points: [{ fill: 0.8, stock: 100 }, { fill: 0.9, stock: 150 }, { fill: 0.95, stock: 220 }] },
        { name: 'min/max', points: [{ fill: 0.8, stock: 110 }, { fill: 0.9, stock: 170 }] },
      ],
      { title: 'a & b' },
    );
    assert.ok(svg.startsWith('<svg'));
    assert.equal(svg.match(/<path /g)?.length, 2);
    assert.equal(svg.match(/<circle /g)?.length, 5);
    assert.ok(svg.includes('auto &lt;R,S&gt;') && svg.includes('a &amp; b'));
    assert.ok(!svg.includes('NaN'));
  });
});
