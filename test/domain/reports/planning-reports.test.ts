import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toEpochDay } from '../../../src/domain/reports/dates.ts';
import { forecastVsActual } from '../../../src/domain/reports/forecast-accuracy.ts';
import { leadTimeDemand, planVsForecast } from '../../../src/domain/reports/replenishment-vs-forecast.ts';
import { stockouts } from '../../../src/domain/reports/stockouts.ts';

const close = (a: number | null, b: number, eps = 1e-9) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} ≠ ${b}`);
const D = (s: string) => toEpochDay(s);

describe('forecast vs actual', () => {
  // Mon 2011-11-28 … Sun 2011-12-04, then Mon 2011-12-05.
  const from = D('2011-11-28');
  const to = D('2011-12-05');
  const old = { key: 'a', startDay: D('2011-11-28'), order: 1, mean: [2, 2, 2, 2, 2, 2, 2, 2], p50: [2, 2, 2, 2, 2, 2, 2, 2], p80: [3, 3, 3, 3, 3, 3, 3, 3] };
  // A later forecast takes over from its first day; where it does not reach, the earlier one stays in force.
  const newer = { key: 'a', startDay: D('2011-12-01'), order: 2, mean: [4, 4], p50: [4, 4], p80: [5, 5] };
  const sold = [
    { key: 'a', day: D('2011-11-28'), qty: 2 },
    { key: 'a', day: D('2011-11-29'), qty: 5 }, // above P80 3
    { key: 'a', day: D('2011-12-01'), qty: 4 },
    { key: 'a', day: D('2011-12-05'), qty: 1 },
    { key: 'b', day: D('2011-11-29'), qty: 9 }, // no forecast for b: not scored
  ];

  test('the latest forecast made before each day is in force; metrics per item and per week', () => {
    const r = forecastVsActual([newer, old], sold, from, to);
    // Forecast by day: 2,2,2 (old), 4,4 (newer, 1st-2nd Dec), 2,2,2 (old again, 3rd-5th).
    // Actual by day:   2,5,0,4,0,0,0,1.
    const f = [2, 2, 2, 4, 4, 2, 2, 2];
    const a = [2, 5, 0, 4, 0, 0, 0, 1];
    const abs = f.reduce((s, x, i) => s + Math.abs(x - a[i]), 0);
    assert.equal(r.items.length, 1);
    const it = r.items[0];
    assert.equal(it.days, 8);
    assert.equal(it.actual, 12);
    assert.equal(it.forecast, 20);
    close(it.absError, abs);
    close(it.mae, abs / 8);
    close(it.bias, (20 - 12) / 8);
    close(it.wmape!, abs / 12);
    close(it.coverage80, 7 / 8); // only the 5 on 29 Nov is above P80
    assert.deepEqual(r.weeks.map((w) => [w.weekStart, w.days, w.actual, w.forecast, w.p80]), [
      ['2011-11-28', 7, 11, 18, 3 * 5 + 5 * 2],
      ['2011-12-05', 1, 1, 2, 3],
    ]);
    assert.equal(r.totals.items, 1);
    close(r.totals.wmape!, abs / 12);
    assert.equal(r.unscoredSalesDays, 1); // b's sale
  });

  test('a window before any forecast scores nothing', () => {
    const r = forecastVsActual([old], sold, D('2011-11-01'), D('2011-11-27'));
    assert.equal(r.items.length, 0);
    assert.equal(r.totals.mae, null);
    assert.equal(r.totals.coverage80, null);
  });

  test('worst items first by absolute error', () => {
    const c = { ...old, key: 'c', mean: old.mean.map(() => 10) };
    const r = forecastVsActual([old, c], sold, from, to);
    assert.deepEqual(r.items.map((i) => i.key), ['c', 'a']);
  });
});

describe('stockouts', () => {
  // Sells 2 a day from 1 Nov with stock 20 received on 1 Nov, runs out on 10 Nov, refilled on 20 Nov.
  const days: number[] = [];
  const sold: number[] = [];
  const delta: number[] = [];
  const start = D('2011-11-01');
  days.push(start), sold.push(2), delta.push(20 - 2);
  for (let d = start + 1; d <= D('2011-11-10'); d++) days.push(d), sold.push(2), delta.push(-2); // 18 … 0 at the end of 10 Nov
  days.push(D('2011-11-20')), sold.push(0), delta.push(30); // refill, nothing sold that day (it had been out at its start only)
  days.push(D('2011-11-21')), sold.push(3), delta.push(-3);
  const onHand = 27;
  const item = { key: 'x', price: 5, onHand, days, sold, delta };

  test('days with nothing sold and no stock all day, at the rate of the days it was in stock', () => {
    const r = stockouts([item], D('2011-11-01'), D('2011-11-30'));
    assert.equal(r.items.length, 1);
    const it = r.items[0];
    // Out 11 … 19 Nov (9 days); 20 Nov starts at 0 but ends at 30: not out.
    assert.equal(it.stockoutDays, 9);
    assert.equal(it.runs, 1);
    close(it.dailyDemand, 2); // 20 units over its 10 in-stock days
    close(it.lostUnits, 18);
    close(it.lostValue, 90);
    assert.equal(it.outAtEnd, false);
    // Fri 11 … Sun 13 Nov in the week of 7 Nov, Mon 14 … Sat 19 in the next.
    assert.deepEqual(r.weeks.map((w) => [w.weekStart, w.stockoutDays, w.items]), [
      ['2011-10-31', 0, 0],
      ['2011-11-07', 3, 1],
      ['2011-11-14', 6, 1],
      ['2011-11-21', 0, 0],
      ['2011-11-28', 0, 0],
    ]);
    assert.equal(r.totals.stockoutDays, 9);
  });

  test('an item that was never sold in the lookback is not out of stock, it is not stocked', () => {
    const idle = { key: 'y', price: 1, onHand: 0, days: [D('2011-09-01')], sold: [1], delta: [-1] };
    const r = stockouts([idle], D('2011-11-01'), D('2011-11-30'));
    assert.equal(r.items.length, 0);
  });

  test('a window inside the run counts only its days; a given forecast rate replaces the recent average', () => {
    const r = stockouts([{ ...item, dailyDemand: 3 }], D('2011-11-15'), D('2011-11-16'));
    assert.equal(r.items[0].stockoutDays, 2);
    close(r.items[0].lostValue, 2 * 3 * 5);
    assert.equal(r.items[0].outAtEnd, true);
  });
});

describe('replenishment vs forecast', () => {
  test('lead-time demand sums the daily means over the lead time (fractions and beyond the horizon at the daily rate)', () => {
    close(leadTimeDemand([1, 2, 3, 4], 2.5, 0), 1 + 2 + 1.5);
    close(leadTimeDemand([1, 1], 4, 2), 1 + 1 + 2 + 2);
    const [p] = planVsForecast([{ key: 'k', mean: [2, 2, 2, 2, 2, 2, 2], leadTimeDays: 3, reorderPoint: 10, orderUpTo: 20, eoq: 14, safetyStock: 4, onHand: 8, inventoryPosition: 8 }]);
    close(p.dailyDemand, 2);
    close(p.leadTimeDemand, 6);
    close(p.ropMargin, 4);
    close(p.daysOfCover!, 4);
    close(p.eoqDays!, 7);
    assert.equal(p.belowReorderPoint, true);
    const [z] = planVsForecast([{ key: 'z', mean: [], leadTimeDays: 7, reorderPoint: 0, orderUpTo: 0, eoq: null, safetyStock: 0, onHand: 5, inventoryPosition: 5 }]);
    assert.equal(z.daysOfCover, null);
    assert.equal(z.belowReorderPoint, false);
  });
});
