import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { abcClassify, abcXyz, demandCv, xyzClassify } from '../../../src/domain/markdown/classification.ts';
import type { MarkdownItem } from '../../../src/domain/markdown/types.ts';

function weekly(pattern: number[], weeks: number): Float64Array {
  // One sale per week on the first day of each week, repeating the pattern.
  const a = new Float64Array(weeks * 7);
  for (let w = 0; w < weeks; w++) a[w * 7] = pattern[w % pattern.length];
  return a;
}
function item(sku: string, sales: Float64Array, extra: Partial<MarkdownItem> = {}): MarkdownItem {
  return { sku, category: 'c', price: 1, cost: 0.5, onHand: 10, dailySales: sales, ...extra };
}

describe('ABC by revenue', () => {
  const list = [
    { sku: 'h', revenue: 1 },
    { sku: 'a', revenue: 50 },
    { sku: 'c', revenue: 10 },
    { sku: 'b', revenue: 20 },
    { sku: 'e', revenue: 5 },
    { sku: 'd', revenue: 8 },
    { sku: 'g', revenue: 2 },
    { sku: 'f', revenue: 4 },
    { sku: 'z', revenue: 0 },
  ];
  test('80/15/5: the item that crosses a line still belongs to the class above it', () => {
    const rows = abcClassify(list);
    const cls = Object.fromEntries(rows.map((r) => [r.sku, r.abc]));
    // cum before: a 0, b .50, c .70 (→ .80 exactly), d .80, e .88, f .93, g .97, h .99
    assert.deepEqual(cls, { a: 'A', b: 'A', c: 'A', d: 'B', e: 'B', f: 'B', g: 'C', h: 'C', z: 'C' });
    assert.equal(rows[0].sku, 'a');
    assert.ok(Math.abs(rows[2].cumShare - 0.8) < 1e-12);
  });
  test('configurable 70/90', () => {
    const cls = Object.fromEntries(abcClassify(list, { aShare: 0.7, bShare: 0.9 }).map((r) => [r.sku, r.abc]));
    assert.deepEqual(cls, { a: 'A', b: 'A', c: 'B', d: 'B', e: 'B', f: 'C', g: 'C', h: 'C', z: 'C' });
  });
  test('rejects inconsistent shares', () => {
    assert.throws(() => abcClassify(list, { aShare: 0.9, bShare: 0.8 }), /aShare/);
  });
});

describe('XYZ by demand variability', () => {
  test('CV thresholds 0.5 / 1.0 on weekly demand', () => {
    const steady = item('steady', weekly([10], 8));
    const wobbly = item('wobbly', weekly([5, 15], 8)); // sd = 5·sqrt(8/7) → CV 0.534
    const lumpy = item('lumpy', weekly([0, 0, 0, 40], 8)); // CV 1.85
    const never = item('never', new Float64Array(56));
    const rows = xyzClassify([steady, wobbly, lumpy, never]);
    assert.deepEqual(rows.map((r) => r.xyz), ['X', 'Y', 'Z', 'Z']);
    assert.ok(Math.abs(rows[1].cv - 5 * Math.sqrt(8 / 7) / 10) < 1e-12);
    assert.ok(Math.abs(rows[2].cv - Math.sqrt(2400 / 7) / 10) < 1e-12);
    assert.equal(rows[3].cv, Infinity);
    // Raising xMax to 0.55 moves the wobbly item into X.
    assert.equal(xyzClassify([wobbly], { xMax: 0.55 })[0].xyz, 'X');
  });
  test('forecast-error basis: a lumpy item that is forecast well is X', () => {
    const sales = weekly([0, 0, 0, 40], 8);
    const it = item('lumpy', sales, { forecastHistory: Float64Array.from(sales, (v) => v * 0.9) });
    const { cv } = demandCv(it, { basis: 'forecastError' });
    // errors: 4 in two of eight weeks → RMSE = sqrt(2·16/8) = 2, mean 10 → 0.2
    assert.ok(Math.abs(cv - 0.2) < 1e-12);
    assert.equal(xyzClassify([it], { basis: 'forecastError' })[0].xyz, 'X');
    assert.throws(() => demandCv(item('x', sales), { basis: 'forecastError' }), /forecastHistory/);
  });
});

test('3×3 matrix counts and stock value', () => {
  const items = [
    item('a', weekly([100], 8), { onHand: 10, cost: 2 }), // revenue 800 → A, X
    item('b', weekly([0, 0, 0, 40], 8), { onHand: 5, cost: 3 }), // 80 → B (cum before 800/900 = .889), Z
    item('c', weekly([5, 15], 8), { onHand: 1, cost: 4 }), // 80 → B, Y
  ];
  const { matrix, items: rows } = abcXyz(items);
  const abc = Object.fromEntries(rows.map((r) => [r.sku, r.abc + r.xyz]));
  // total 960: a cum-before 0 → A; b and c tie at 80 (ties by sku): b before .833 → B, c before .917 → B
  assert.deepEqual(abc, { a: 'AX', b: 'BZ', c: 'BY' });
  const cell = (k: string) => matrix.find((m) => m.abc + m.xyz === k)!;
  assert.equal(matrix.length, 9);
  assert.equal(cell('AX').count, 1);
  assert.equal(cell('AX').stockValue, 20);
  assert.equal(cell('BZ').stockValue, 15);
  assert.equal(cell('BY').stockValue, 4);
  assert.equal(matrix.reduce((s, m) => s + m.count, 0), 3);
});
