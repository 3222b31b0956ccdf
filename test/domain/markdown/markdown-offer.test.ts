import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMarkdown, expectedMinPoisson, optimiseMarkdown, suggestBundles, type MarkdownInput } from '../../../src/domain/markdown/markdown-offer.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

// 100 units at 10.00; 5 a day at full price; elasticity −2. Over 10 days (by hand):
//   d   demand = 50/(1−d)²   sold   revenue
//   0        50.0            50     500
//  10 %      61.7            61.7   555.6
//  20 %      78.1            78.1   625.0
//  30 %     102.0           100     700   ← clears, best
//  40 %     138.9           100     600
//  50 %     200             100     500
const base: MarkdownInput = { sku: 's', price: 10, cost: 4, onHand: 100, baseDailyDemand: 5, daysToTarget: 10, elasticity: -2 };

describe('markdown optimiser', () => {
  test('picks the revenue-maximising clearing depth on the ladder', () => {
    const o = optimiseMarkdown(base, { demand: 'deterministic' });
    assert.equal(o.chosen.depth, 0.3);
    assert.equal(o.cannotClear, false);
    close(o.chosen.clearedUnits, 100);
    close(o.chosen.revenue, 700);
    close(o.chosen.uplift, 1 / 0.49 - 1);
    close(o.chosen.leftover, 0);
    close(o.baseline.revenue, 500);
    close(o.baseline.leftover, 50);
    close(o.candidates.find((c) => c.depth === 0.2)!.revenue, 625);
  });
  test('respects the target date: less time needs a deeper cut', () => {
    const o = optimiseMarkdown({ ...base, daysToTarget: 5 }, { demand: 'deterministic' });
    // 25/(1−d)² ≥ 100 ⇔ d ≥ 50 %
    assert.equal(o.chosen.depth, 0.5);
    close(o.chosen.revenue, 500);
    assert.ok(o.chosen.clears);
    const tooShort = optimiseMarkdown({ ...base, daysToTarget: 4 }, { demand: 'deterministic' });
    assert.equal(tooShort.cannotClear, true);
    assert.equal(tooShort.chosen.depth, 0.5); // 80 sold at 5.00 = 400 beats 55.6 at 6.00 = 333
    close(tooShort.chosen.leftover, 20);
  });
  test('inelastic demand: the shallowest depth that clears', () => {
    // β = −0.5, 60 days: demand 300(1−d)^−0.5 ≥ 100 already at d = 0 → no markdown needed.
    assert.equal(optimiseMarkdown({ ...base, elasticity: -0.5, daysToTarget: 60 }, { demand: 'deterministic' }).chosen.depth, 0);
    // 16 days: 80(1−d)^−0.5 ≥ 100 ⇔ (1−d) ≤ 0.64 ⇔ d ≥ 36 % → 40 % on the ladder
    assert.equal(optimiseMarkdown({ ...base, elasticity: -0.5, daysToTarget: 16 }, { demand: 'deterministic' }).chosen.depth, 0.4);
  });
  test('continuous search lands on the exact clearing point', () => {
    const o = optimiseMarkdown(base, { demand: 'deterministic', continuous: { maxDepth: 0.6, step: 0.005 } });
    // exact clearing at 1 − 1/√2 = 29.29 %; with 0.5 unit tolerance the first step that clears is 29.5 %
    close(o.chosen.depth, 0.295);
    close(o.chosen.revenue, 705, 1e-6);
  });
  test('clearing only the excess: what remains keeps its value', () => {
    // must sell ≥ 70 by the target; leftover worth 8: 20 % → 625 + 21.9 × 8 = 800 beats 30 % (700)
    const o = optimiseMarkdown({ ...base, clearUnits: 70 }, { demand: 'deterministic', salvageValue: 8 });
    assert.equal(o.chosen.depth, 0.2);
    close(o.chosen.revenue, 625 + (100 - 78.125) * 8);
    assert.equal(o.candidates.find((c) => c.depth === 0.1)!.clears, false); // 61.7 < 70
  });
  test('salvage value and margin objective', () => {
    // 4 days, nothing clears; leftover worth 6 a unit: no markdown (20 × 10 + 80 × 6 = 680) beats 50 % (80 × 5 + 20 × 6 = 520)
    const o = optimiseMarkdown({ ...base, daysToTarget: 4 }, { demand: 'deterministic', salvageValue: 6 });
    assert.equal(o.chosen.depth, 0);
    close(o.chosen.revenue, 20 * 10 + 80 * 6);
    const m = evaluateMarkdown(base, 0.3, { demand: 'deterministic' });
    close(m.margin, 700 - 400);
    assert.equal(optimiseMarkdown(base, { demand: 'deterministic', floorAtCost: true, ladder: [0.7] }).chosen.depth, 0);
  });
  test('Poisson demand: E[min(N, s)] matches a direct sum, and uncertainty lowers clearing', () => {
    for (const [mu, s] of [
      [3.7, 5],
      [40, 35],
      [120, 150],
    ]) {
      let direct = 0;
      let pmf = Math.exp(-mu);
      for (let k = 0; k < 1000; k++) {
        direct += Math.min(k, s) * pmf;
        pmf *= mu / (k + 1);
      }
      close(expectedMinPoisson(mu, s), direct, 1e-9);
    }
    // normal branch agrees with the exact sum near its switch point
    close(expectedMinPoisson(501, 490), expectedMinPoisson(499.99, 490) + 0.2, 0.5);
    const p = evaluateMarkdown(base, 0.3, { demand: 'poisson' });
    assert.ok(p.clearedUnits < 100 && p.clearedUnits > 90);
    const unsure = evaluateMarkdown({ ...base, elasticitySd: 0.5 }, 0.3, { demand: 'deterministic' });
    assert.ok(unsure.clearedUnits < 100); // sometimes demand falls short of the stock
    assert.ok(unsure.uplift > 1 / 0.49 - 1); // E[(1−d)^β] is convex in β
  });
});

test('bundle hook: strong, non-excess partners first', () => {
  const pairs = [
    { a: 'X', b: 'P1', score: 0.5 },
    { a: 'P2', b: 'X', score: 0.4 },
    { a: 'X', b: 'Y', score: 0.9 }, // Y is excess too: not a partner
    { a: 'X', b: 'P3', score: 0.8 }, // P3 does not sell
    { a: 'Y', b: 'P1', score: 0.1 },
  ];
  const demand = new Map([
    ['P1', 2],
    ['P2', 10],
    ['P3', 0],
    ['Y', 5],
  ]);
  const s = suggestBundles(['X', 'Y'], pairs, demand);
  assert.deepEqual(
    s.map((b) => [b.sku, b.partner]),
    [
      ['X', 'P2'],
      ['X', 'P1'],
      ['Y', 'P1'],
    ],
  );
  close(s[0].reach, 4);
});
