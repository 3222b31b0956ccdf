import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fifoAge, slowStockMetrics, slowStockReport } from '../../../src/domain/markdown/slow-stock.ts';
import type { MarkdownItem } from '../../../src/domain/markdown/types.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

describe('FIFO stock age', () => {
  const receipts = [
    { date: 10, qty: 20, unitCost: 2 },
    { date: 0, qty: 10, unitCost: 1 },
    { date: 30, qty: 5, unitCost: 3 },
    { date: 50, qty: 99, unitCost: 9 }, // after as-of: ignored
  ];
  test('partial consumption of the oldest remaining layer', () => {
    // 35 received, 20 sold → the day-0 layer is gone, 10 of the 20 from day 10 remain, all 5 from day 30.
    const f = fifoAge(receipts, 15, 40, 1.5);
    assert.deepEqual(
      f.layers.map((l) => [l.date, l.qty, l.ageDays]),
      [
        [10, 10, 30],
        [30, 5, 10],
      ],
    );
    close(f.avgAgeDays!, (10 * 30 + 5 * 10) / 15);
    assert.equal(f.oldestAgeDays, 30);
    close(f.value, 10 * 2 + 5 * 3);
    assert.equal(f.unknownAgeUnits, 0);
  });
  test('stock beyond the receipts given is unknown-age opening stock', () => {
    const f = fifoAge(receipts, 40, 40, 1.5);
    assert.equal(f.unknownAgeUnits, 5);
    assert.equal(f.layers[0].date, null);
    close(f.value, 5 * 1.5 + 10 * 1 + 20 * 2 + 5 * 3);
    assert.equal(f.oldestAgeDays, 40);
  });
});

describe('slow and dead stock metrics', () => {
  const sales = new Float64Array(200);
  sales[100] = 3;
  sales[105] = 2; // last sale 94 days before as-of (index 199)
  const dead: MarkdownItem = {
    sku: 'dead',
    category: 'c',
    price: 5,
    cost: 2,
    onHand: 30,
    dailySales: sales,
    startDay: 1000,
    receipts: [{ date: 1050, qty: 35, unitCost: 2 }],
  };
  const steady: MarkdownItem = { sku: 'steady', category: 'c', price: 5, cost: 2, onHand: 300, dailySales: new Float64Array(200).fill(2) };

  test('days since last sale, cover, sell-through, excess', () => {
    const r = slowStockMetrics(steady, { horizonDays: 90 });
    assert.equal(r.daysSinceLastSale, 0);
    close(r.dailyDemand, 2);
    close(r.daysOfCover, 150);
    close(r.sellThrough, 56 / (56 + 300));
    close(r.excessUnits, 300 - 180);
    close(r.tiedUpValue, 120 * 2);
    assert.equal(r.status, 'slow'); // cover 150 > 120
    // a forecast overrides the history rate
    const f = slowStockMetrics({ ...steady, forecastDaily: 4 }, { horizonDays: 90 });
    assert.equal(f.excessUnits, 0);
    assert.equal(f.status, 'ok');
  });
  test('dead stock and the new-dead rule', () => {
    const r = slowStockMetrics(dead);
    assert.equal(r.daysSinceLastSale, 94);
    assert.equal(r.status, 'dead');
    assert.equal(r.newDead, true); // 94 − 7 < 90: crossed the line within the last review interval
    assert.equal(r.daysOfCover, Infinity);
    assert.equal(r.avgAgeDays, 1199 - 1050);
    const older = slowStockMetrics(dead, { reviewIntervalDays: 3 });
    assert.equal(older.newDead, false); // 94 − 3 ≥ 90: already dead at the previous review
    assert.equal(slowStockMetrics(dead, { previouslyDead: new Set(['other']) }).newDead, true);
    assert.equal(slowStockMetrics(dead, { previouslyDead: new Set(['dead']) }).newDead, false);
    // 50 days after the last sale it is not dead yet, but no sale in the last 28 days → infinite cover → slow
    const earlier = slowStockMetrics(dead, { asOfIndex: 155 });
    assert.equal(earlier.daysSinceLastSale, 50);
    assert.equal(earlier.status, 'slow');
  });
  test('ranked report by tied-up value', () => {
    const rep = slowStockReport([steady, dead]);
    assert.deepEqual(rep.ranked.map((r) => r.sku), ['steady', 'dead']); // 240 excess value vs 60 dead stock
    assert.deepEqual(rep.newDeadAlerts.map((r) => r.sku), ['dead']);
    assert.equal(rep.totals.dead, 1);
    close(rep.totals.tiedUpValue, 240 + 60);
  });
});
