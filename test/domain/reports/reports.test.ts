import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { weeklyTopSellers } from '../../../src/domain/reports/top-sellers.ts';
import { categoryTrends } from '../../../src/domain/reports/category-trends.ts';
import { inventoryValueOverTime } from '../../../src/domain/reports/inventory-value.ts';
import { fromEpochDay, monthStart, toEpochDay, weekStart } from '../../../src/domain/reports/dates.ts';
import type { SalesRow } from '../../../src/domain/reports/types.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

test('dates: ISO weeks start on Monday, months on the 1st', () => {
  assert.equal(fromEpochDay(weekStart(toEpochDay('2011-12-04'))), '2011-11-28'); // a Sunday
  assert.equal(fromEpochDay(weekStart(toEpochDay('2011-11-28'))), '2011-11-28'); // a Monday
  assert.equal(fromEpochDay(weekStart(toEpochDay('1969-12-31'))), '1969-12-29');
  assert.equal(fromEpochDay(monthStart(toEpochDay('2011-02-28 17:30:00'))), '2011-02-01');
  assert.throws(() => toEpochDay('2011/02/28'), /bad date/);
});

describe('weekly top N best sellers', () => {
  const rows: SalesRow[] = [
    // week of 2011-11-28
    { date: '2011-11-28', sku: 'a', qty: 10, revenue: 10 },
    { date: '2011-12-02', sku: 'b', qty: 7, revenue: 70 },
    { date: '2011-12-03', sku: 'c', qty: 7, revenue: 14 },
    { date: '2011-12-04', sku: 'd', qty: 7, revenue: 7 },
    { date: '2011-11-29', sku: 'e', qty: 3, revenue: 30 },
    { date: '2011-11-29', sku: 'a', qty: -2, revenue: -2 }, // a return nets out
    { date: '2011-11-30', sku: 'f', qty: -1, revenue: -1 }, // only returns: never a best seller
    // next week
    { date: '2011-12-05', sku: 'e', qty: 1, price: 10 },
  ];
  const stock = new Map([
    ['a', 5],
    ['b', 0],
  ]);
  test('ties at the cut are included with competition ranks', () => {
    const w = weeklyTopSellers(rows, { n: 2, stock });
    assert.equal(w.length, 2);
    assert.equal(w[0].weekStart, '2011-11-28');
    assert.deepEqual(
      w[0].top.map((r) => [r.rank, r.sku, r.qty, r.onHand]),
      [
        [1, 'a', 8, 5],
        [2, 'b', 7, 0],
        [2, 'c', 7, null],
        [2, 'd', 7, null],
      ],
    );
    assert.equal(w[0].totalQty, 31);
    assert.deepEqual(w[1].top.map((r) => [r.sku, r.revenue]), [['e', 10]]);
  });
  test("ties 'cut', ranking by revenue, and a date range", () => {
    assert.deepEqual(weeklyTopSellers(rows, { n: 2, ties: 'cut' })[0].top.map((r) => r.sku), ['a', 'b']);
    assert.deepEqual(weeklyTopSellers(rows, { n: 3, by: 'revenue' })[0].top.map((r) => r.sku), ['b', 'e', 'c']);
    const only = weeklyTopSellers(rows, { from: '2011-12-03', to: '2011-12-05' });
    assert.deepEqual(only.map((w) => w.top.map((r) => r.sku)), [['c', 'd'], ['e']]);
  });
});

test('category trends: series, recent change and growth', () => {
  const rows: SalesRow[] = [];
  // 'up' doubles every week for 8 weeks; 'flat' sells 100 a week; from Monday 2011-01-03
  for (let w = 0; w < 8; w++) {
    const day = toEpochDay('2011-01-03') + 7 * w + 2;
    rows.push({ date: day, sku: 'u1', qty: 2 ** w, revenue: 2 ** w });
    rows.push({ date: day, sku: 'f1', qty: 50, revenue: 50 }, { date: day + 1, sku: 'f2', qty: 50, revenue: 50 });
  }
  const cat = new Map([
    ['u1', 'up'],
    ['f1', 'flat'],
    ['f2', 'flat'],
  ]);
  const t = categoryTrends(rows, { categoryOf: cat });
  assert.equal(t.periods.length, 8);
  assert.equal(t.periods[0], '2011-01-03');
  const up = t.categories.find((c) => c.category === 'up')!;
  const flat = t.categories.find((c) => c.category === 'flat')!;
  assert.deepEqual(Array.from(flat.revenue), Array(8).fill(100));
  close(up.growthPerPeriod, 1); // doubling
  close(flat.growthPerPeriod, 0);
  close(up.recentChange, (16 + 32 + 64 + 128) / (1 + 2 + 4 + 8) - 1);
  assert.equal(t.categories[0].category, 'flat'); // larger total first
  const monthly = categoryTrends(rows, { categoryOf: cat, period: 'month' });
  assert.deepEqual(monthly.periods, ['2011-01-01', '2011-02-01']);
  close(monthly.categories.find((c) => c.category === 'up')!.totalRevenue, 255);
  const byStore = categoryTrends(rows.map((r) => ({ ...r, store: r.sku === 'f2' ? 'leeds' : 'york' })), { groupBy: (r) => r.store! });
  assert.deepEqual(byStore.categories.map((c) => [c.category, c.totalRevenue]), [['york', 255 + 400], ['leeds', 400]]);
});

describe('inventory value over time', () => {
  const moves = [
    { date: '2011-01-03', sku: 'a', qty: 10, unitCost: 1 },
    { date: '2011-01-05', sku: 'a', qty: 10, unitCost: 2 },
    { date: '2011-01-12', sku: 'a', qty: -15 },
    { date: '2011-01-12', sku: 'b', qty: 4, unitCost: 5 }, // same day: receipts first
    { date: '2011-01-12', sku: 'b', qty: -4 },
    { date: '2011-01-19', sku: 'a', qty: 5, unitCost: 4 },
  ];
  test('weighted average cost', () => {
    const pts = inventoryValueOverTime(moves, { method: 'average' });
    assert.deepEqual(pts.map((p) => p.periodStart), ['2011-01-03', '2011-01-10', '2011-01-17']);
    close(pts[0].value, 30);
    assert.equal(pts[0].units, 20);
    close(pts[1].value, 5 * 1.5); // 15 out at average 1.5
    close(pts[2].value, 7.5 + 20);
    assert.equal(pts[2].units, 10);
  });
  test('FIFO with partial layer consumption', () => {
    const pts = inventoryValueOverTime(moves, { method: 'fifo' });
    close(pts[1].value, 5 * 2); // the 10 @ 1 and 5 of the 10 @ 2 are gone
    close(pts[2].value, 10 + 20);
    assert.equal(pts[2].negativeUnits, 0);
  });
  test('opening stock, daily points, negative stock shown, per category', () => {
    const pts = inventoryValueOverTime([{ date: '2011-01-02', sku: 'z', qty: -3 }], {
      period: 'day',
      from: '2011-01-01',
      opening: [{ sku: 'z', qty: 2, unitCost: 3 }],
      categoryOf: new Map([['z', 'toys']]),
    });
    assert.equal(pts.length, 2);
    close(pts[0].value, 6);
    assert.equal(pts[1].units, -1);
    assert.equal(pts[1].negativeUnits, 1);
    close(pts[1].value, -3);
    close(pts[0].byCategory!.toys, 6);
  });
});
