import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { simulatePolicy, forecastPolicyRule, trailingMinMaxRule, type OrderRule } from '../../../src/domain/replenishment/simulator.ts';
import { mulberry32, samplePoisson } from '../../../src/domain/replenishment/rng.ts';

// Hand-checked: order up to 10 every 2 days, lead time 2, start with 5.
const demand = [3, 4, 2, 6, 1, 5, 0, 7, 3, 2];
const upTo10: OrderRule = (s) => 10 - s.position;
const base = { demand, startDay: 0, reviewDays: 2, leadTimeDays: 2, initialOnHand: 5, rule: upTo10, holdingCostPerUnitDay: 0.5, orderingCost: 4 };

describe('policy simulator', () => {
  test('lost sales, 10-day series worked by hand', () => {
    // day: 0  1  2  3  4  5  6  7  8  9
    // in:  .  .  5  .  5  .  5  .  5  .     (each review orders 10 − 5 = 5)
    // sold 3  2  2  3  1  4  0  5  3  2  = 25 of 33; lost 2, 3, 1, 2 on days 1, 3, 5, 7
    // EOD  2  0  3  0  4  0  5  0  2  0  = 16
    const r = simulatePolicy({ ...base, mode: 'lost_sales' });
    assert.equal(r.demand, 33);
    assert.equal(r.served, 25);
    assert.equal(r.fillRate, 25 / 33);
    assert.deepEqual([...r.onHandCurve], [2, 0, 3, 0, 4, 0, 5, 0, 2, 0]);
    assert.equal(r.avgOnHand, 1.6);
    assert.equal(r.stockoutDays, 4);
    assert.equal(r.cycles, 5);
    assert.equal(r.cycleService, 0.2); // only the last cycle (days 8-9) has no lost sale
    assert.equal(r.orders, 5);
    assert.equal(r.unitsOrdered, 25);
    assert.equal(r.holdingCost, 8);
    assert.equal(r.orderingCost, 20);
  });

  test('backorders, same series', () => {
    // orders 5, 7, 8, 6, 7 (position counts the backlog); served from stock 3 2 2 1 1 1 0 4 3 0 = 17
    const r = simulatePolicy({ ...base, mode: 'backorders' });
    assert.equal(r.served, 17);
    assert.deepEqual([...r.onHandCurve], [2, 0, 1, 0, 1, 0, 4, 0, 0, 0]);
    assert.equal(r.unitsOrdered, 5 + 7 + 8 + 6 + 7);
    assert.equal(r.stockoutDays, 5);
    assert.equal(r.cycleService, 0);
  });

  test('the rule only sees the past', () => {
    const seen: number[] = [];
    simulatePolicy({ ...base, mode: 'lost_sales', startDay: 4, rule: (s) => (seen.push(s.history.length), 0) });
    assert.deepEqual(seen, [4, 6, 8]);
  });

  test('forecast-driven order-up-to on Poisson demand: more service costs more stock', () => {
    const rng = mulberry32(5);
    const d = Array.from({ length: 400 }, () => samplePoisson(rng, 6));
    const meanForecaster = (h: Float64Array, horizon: number) => {
      const w = h.subarray(Math.max(0, h.length - 56));
      const m = w.reduce((a, b) => a + b, 0) / w.length;
      return { mean: new Float64Array(horizon).fill(m), dispersion: { varianceToMean: 1 } };
    };
    const run = (level: number) =>
      simulatePolicy({
        demand: d,
        startDay: 100,
        reviewDays: 7,
        leadTimeDays: 7,
        mode: 'lost_sales',
        initialOnHand: 84,
        rule: forecastPolicyRule({ forecaster: meanForecaster, service: { kind: 'csl', level }, reviewDays: 7, leadTimeDays: 7 }),
      });
    const lo = run(0.8);
    const hi = run(0.98);
    assert.ok(hi.fillRate > lo.fillRate, `${hi.fillRate} > ${lo.fillRate}`);
    assert.ok(hi.avgOnHand > lo.avgOnHand);
    assert.ok(hi.fillRate > 0.97, `fill ${hi.fillRate}`);
    assert.ok(hi.cycleService > 0.9, `cycle service ${hi.cycleService}`);
    assert.equal(hi.orders, Math.ceil(300 / 7)); // one order per weekly review
  });

  test('trailing min/max: bigger scale, more stock and fill', () => {
    const rng = mulberry32(8);
    const d = Array.from({ length: 300 }, () => samplePoisson(rng, 4));
    const run = (scale: number) =>
      simulatePolicy({
        demand: d, startDay: 100, reviewDays: 7, leadTimeDays: 7, mode: 'lost_sales', initialOnHand: 40,
        rule: trailingMinMaxRule({ windowDays: 56, leadTimeDays: 7, reviewDays: 7, z: 1.65, scale }),
      });
    const a = run(1);
    const b = run(1.5);
    assert.ok(b.avgOnHand > a.avgOnHand && b.fillRate >= a.fillRate);
  });

  test('random lead times are seeded and reproducible', () => {
    const rng = mulberry32(2);
    const d = Array.from({ length: 200 }, () => samplePoisson(rng, 5));
    const go = (seed: number) =>
      simulatePolicy({ demand: d, startDay: 50, reviewDays: 7, leadTimeDays: 7, leadTimeSdDays: 2, seed, mode: 'lost_sales', initialOnHand: 70, rule: (s) => 90 - s.position });
    assert.deepEqual(go(3), go(3));
    assert.notDeepEqual(go(3).onHandCurve, go(4).onHandCurve);
  });
});
