import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { projectStock } from '../../../src/domain/replenishment/projection.ts';

const forecast = (perDay: number, days = 20) => ({ mean: new Float64Array(days).fill(perDay) });

describe('projected stock and days until stockout', () => {
  test('10 on hand, 3/day: runs out during day 3, before a 7-day lead time', () => {
    const p = projectStock({ stock: { onHand: 10, reserved: 0, openOrders: [] }, forecast: forecast(3), leadTimeDays: 7, horizonDays: 10 });
    assert.deepEqual([...p.curve], [7, 4, 1, -2, -5, -8, -11, -14, -17, -20]);
    assert.equal(p.stockoutDay, 3);
    assert.ok(Math.abs(p.daysUntilStockout! - 10 / 3) < 1e-12);
    assert.equal(p.alert, true);
    assert.match(p.why, /projected stockout on day 3 .*before an order placed today could arrive/);
  });
  test('an open PO arriving on day 3 pushes the stockout to day 8; no alert with a 5-day lead time', () => {
    const p = projectStock({
      stock: { onHand: 10, reserved: 1, openOrders: [{ qty: 15, expectedDay: 3 }] },
      forecast: forecast(3),
      leadTimeDays: 5,
    });
    // available 9 + 15 = 24 → 24/3 = 8 days
    assert.equal(p.stockoutDay, 8);
    assert.equal(p.daysUntilStockout, 8);
    assert.equal(p.receipts[3], 15);
    assert.equal(p.alert, false);
    assert.match(p.why, /order placed within 3 days still arrives in time/);
  });
  test('overdue POs count as arriving today unless ignored; no stockout within the horizon', () => {
    const stock = { onHand: 0, reserved: 0, openOrders: [{ qty: 100, expectedDay: -2 }] };
    const p = projectStock({ stock, forecast: forecast(2), leadTimeDays: 3 });
    assert.equal(p.stockoutDay, null);
    assert.equal(p.alert, false);
    assert.equal(p.curve[19], 60);
    assert.equal(p.overdueQty, 100);
    assert.match(p.why, /100 units on overdue POs counted as arriving today/);
    const q = projectStock({ stock, forecast: forecast(2), leadTimeDays: 3, ignoreOverdue: true });
    assert.equal(q.stockoutDay, 0);
    assert.equal(q.alert, true);
  });
  test('time-varying forecast', () => {
    const mean = Float64Array.from([1, 1, 10, 10, 10]);
    const p = projectStock({ stock: { onHand: 12, reserved: 0, openOrders: [] }, forecast: { mean }, leadTimeDays: 2 });
    assert.equal(p.stockoutDay, 3);
    assert.equal(p.daysUntilStockout, 3); // ends day 2 with 0 exactly, first negative on day 3
    assert.equal(p.alert, false);
  });
});
