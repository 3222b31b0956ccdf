import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  eoq,
  roundOrderQty,
  serviceLevelStock,
  newsvendorQuantity,
  largestValidQtyAtMost,
} from '../../../src/domain/replenishment/order-math.ts';
import { computePolicy } from '../../../src/domain/replenishment/policy.ts';
import { normalDistribution, poissonDistribution } from '../../../src/domain/replenishment/distributions.ts';
import fc from 'fast-check';
import type { PolicyKind, StockPosition } from '../../../src/domain/replenishment/types.ts';

const flat = (perDay: number, days = 60, sdPerDay?: number) => ({
  mean: new Float64Array(days).fill(perDay),
  ...(sdPerDay !== undefined ? { dispersion: { sdPerDay } } : {}),
});
const noStock = (onHand = 0): StockPosition => ({ onHand, reserved: 0, openOrders: [] });
const sup = (leadTimeDays: number, packSize = 1, moq = 0, leadTimeSdDays = 0) => ({ leadTimeDays, leadTimeSdDays, packSize, moq });

describe('EOQ', () => {
  test('textbook: D = 1000/yr, K = 10, H = 0.50/unit/yr → 200', () => {
    const q = eoq(1000, { orderingCost: 10, holdingRate: 0.25, unitCost: 2 });
    assert.ok(Math.abs(q.value - 200) < 1e-9);
    assert.match(q.why, /^EOQ 200 = /);
  });
  test('Harris formula on another case and invalid input', () => {
    const q = eoq(5200, { orderingCost: 50, holdingRate: 0.2, unitCost: 13 });
    assert.ok(Math.abs(q.value - Math.sqrt((2 * 5200 * 50) / (0.2 * 13))) < 1e-9);
    assert.throws(() => eoq(100, { orderingCost: 5, holdingRate: 0, unitCost: 1 }), /holding rate/);
  });
  test('policy uses annual demand = daily forecast × 365', () => {
    const p = computePolicy({
      forecast: flat(10),
      supplier: sup(7),
      stock: noStock(),
      params: { kind: 'rop', service: { kind: 'csl', level: 0.95 }, reviewDays: 0, costs: { orderingCost: 20, holdingRate: 0.25, unitCost: 4 } },
    });
    assert.ok(Math.abs(p.eoq!.value - Math.sqrt((2 * 3650 * 20) / 1)) < 1e-9);
  });
});

describe('rounding to pack and MOQ', () => {
  test('known cases', () => {
    assert.equal(roundOrderQty(25, 12, 0).value, 36);
    assert.equal(roundOrderQty(24, 12, 0).value, 24);
    assert.equal(roundOrderQty(5, 12, 30).value, 36);
    assert.equal(roundOrderQty(0, 12, 30).value, 0);
    assert.equal(roundOrderQty(-3, 1, 0).value, 0);
    assert.equal(roundOrderQty(7.2, 1, 0).value, 8);
    assert.match(roundOrderQty(5, 12, 30).why, /raised to MOQ 30; rounded to pack of 12 → order 36/);
    assert.equal(largestValidQtyAtMost(50, 12, 30), 48);
    assert.equal(largestValidQtyAtMost(25, 12, 30), 0);
  });
  test('property (fast-check): multiple of the pack, ≥ MOQ, ≥ need, less than need + pack when above MOQ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 0, max: 200 }), fc.double({ min: -50, max: 450, noNaN: true }), (pack, moq, need) => {
        const q = roundOrderQty(need, pack, moq).value;
        if (need <= 1e-9) return q === 0; // float noise is no need
        return q % pack === 0 && q >= moq && q >= need && q < Math.max(need, moq) + pack;
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});

describe('reorder points at a service level', () => {
  test('Poisson: 4/day over 7 + 2 days → P95 of Poisson(36) = 46', () => {
    const p = computePolicy({
      forecast: flat(4),
      supplier: sup(7, 12),
      stock: noStock(10),
      params: { kind: 'rop', service: { kind: 'csl', level: 0.95 }, reviewDays: 2, costs: { orderingCost: 25, holdingRate: 0.25, unitCost: 10 } },
    });
    const d = poissonDistribution(36);
    assert.ok(d.cdf(45) < 0.95 && d.cdf(46) >= 0.95);
    assert.equal(p.reorderPoint.value, 46);
    assert.equal(p.orderQty.value, 180); // EOQ 170.9 → 15 packs of 12
    assert.equal(p.summary, 'ROP 46 = P95 of 9-day demand; EOQ 171; order 180 (rounded to pack of 12)');
  });
  test('normal: ROP = ⌈μ + z σ⌉ with σ² = L σ_d² + d² σ_L²', () => {
    const base = { forecast: flat(20, 60, 4), stock: noStock(), family: 'normal' as const };
    const params = { kind: 'rop' as const, service: { kind: 'csl' as const, level: 0.95 }, reviewDays: 0 };
    const a = computePolicy({ ...base, supplier: sup(5), params });
    assert.equal(a.reorderPoint.value, Math.ceil(100 + 1.6448536269514722 * Math.sqrt(80))); // 115
    const b = computePolicy({ ...base, supplier: sup(5, 1, 0, 1), params });
    assert.equal(b.reorderPoint.value, Math.ceil(100 + 1.6448536269514722 * Math.sqrt(80 + 400))); // 137
    assert.ok(b.safetyStock.value > a.safetyStock.value);
  });
  test('fill-rate target, (s, Q) textbook: σ_L G(k) = (1 − β) Q', () => {
    // mean 50, sd 10, Q 100, β 0.99 → G(k) = 0.1 → k ≈ 0.9004; integer s = 60 (G(0.9) = 0.1004 > 0.1)
    const s = serviceLevelStock({ kind: 'fill', level: 0.99 }, normalDistribution(50, 10), { cycleDemand: 100 });
    assert.equal(s.value, 60);
  });
  test('fill-rate level is capped at P99.9 for very lumpy demand, and says so', () => {
    const p = computePolicy({
      forecast: { mean: new Float64Array(15).fill(0.01), dispersion: { horizonErrorSd: new Float64Array(15).map((_, i) => 50 * Math.sqrt(i + 1)) } },
      supplier: sup(7),
      stock: noStock(),
      params: { kind: 'rs', service: { kind: 'fill', level: 0.95 }, reviewDays: 7 },
    });
    assert.equal(p.orderUpTo.value, 0);
    assert.match(p.summary, /^S 0 = P99.9 \(fill 95 % would need [\d,]+: demand too lumpy\)/);
    const dist = normalDistribution(50, 10);
    assert.equal(serviceLevelStock({ kind: 'fill', level: 0.999999 }, dist, { cycleDemand: 1, maxCycleService: 0.99 }).value, Math.ceil(50 + 10 * 2.3263478740408408));
  });
  test('newsvendor critical fractile: cu 3, co 1 → P75', () => {
    const q = newsvendorQuantity(normalDistribution(100, 20), 3, 1);
    assert.ok(Math.abs(q.value - (100 + 20 * 0.6744897501960817)) < 1e-9);
    assert.equal(newsvendorQuantity(poissonDistribution(10), 19, 1).value, 15); // P95 of Poisson(10)
  });
  test('higher service level never lowers S', () => {
    let prev = -1;
    for (const level of [0.5, 0.8, 0.9, 0.95, 0.98, 0.995]) {
      const p = computePolicy({ forecast: flat(3, 30, 3), supplier: sup(7), stock: noStock(), params: { kind: 'rs', service: { kind: 'fill', level }, reviewDays: 7 } });
      assert.ok(p.orderUpTo.value >= prev);
      prev = p.orderUpTo.value;
    }
  });
});

describe('order now', () => {
  const params = { kind: 'rs' as const, service: { kind: 'csl' as const, level: 0.95 }, reviewDays: 7 };
  test('open POs and reservations enter the position, so nothing is ordered twice', () => {
    const none = computePolicy({ forecast: flat(5), supplier: sup(7), stock: noStock(20), params });
    const S = none.orderUpTo.value;
    assert.equal(none.orderQty.value, S - 20);
    const covered = computePolicy({
      forecast: flat(5),
      supplier: sup(7),
      stock: { onHand: 20, reserved: 0, openOrders: [{ qty: S - 20, expectedDay: 6 }] },
      params,
    });
    assert.equal(covered.orderQty.value, 0);
    assert.match(covered.summary, /no order \(position \d+ = on hand 20 \+ on order \d+ \(1 open PO line\)\)/);
    const reserved = computePolicy({ forecast: flat(5), supplier: sup(7), stock: { onHand: 20, reserved: 5, openOrders: [] }, params });
    assert.equal(reserved.orderQty.value, S - 15);
  });
  test('property (fast-check): no order when the position covers the target, every order a pack multiple ≥ MOQ', () => {
    const kinds: PolicyKind[] = ['rs', 'rop', 'eoq', 'minmax', 'jit'];
    const unit = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
    const cases = fc.record({
      kind: fc.constantFrom(...kinds),
      rate: fc.double({ min: 0, max: 30, noNaN: true }),
      sdFactor: unit,
      pack: fc.integer({ min: 1, max: 24 }),
      moq: fc.integer({ min: 0, max: 59 }),
      onHand: fc.integer({ min: 0, max: 399 }),
      open: fc.option(fc.record({ qty: fc.integer({ min: 0, max: 199 }), expectedDay: fc.integer({ min: 0, max: 9 }) }), { nil: undefined }),
      lead: fc.integer({ min: 1, max: 14 }),
      leadSd: fc.double({ min: 0, max: 2, noNaN: true }),
      fill: fc.boolean(),
      level: fc.double({ min: 0.8, max: 0.99, noNaN: true }),
      review: fc.integer({ min: 0, max: 7 }),
      unitCost: fc.double({ min: 1, max: 21, noNaN: true }),
    });
    fc.assert(
      fc.property(cases, (c) => {
        const p = computePolicy({
          forecast: flat(c.rate, 40, Math.sqrt(c.rate) * (1 + c.sdFactor)),
          supplier: sup(c.lead, c.pack, c.moq, c.leadSd),
          stock: { onHand: c.onHand, reserved: 0, openOrders: c.open ? [c.open] : [] },
          params: { kind: c.kind, service: { kind: c.fill ? 'fill' : 'csl', level: c.level }, reviewDays: c.review, costs: { orderingCost: 30, holdingRate: 0.25, unitCost: c.unitCost } },
        });
        const q = p.orderQty.value;
        const ip = p.inventoryPosition.value;
        if (q > 0) {
          assert.equal(q % c.pack, 0);
          assert.ok(q >= c.moq);
          assert.ok(ip <= p.reorderPoint.value, `${c.kind}: ordered ${q} with position ${ip} above ROP ${p.reorderPoint.value}`);
        }
        if (ip > p.reorderPoint.value || ip >= p.orderUpTo.value) assert.equal(q, 0, `${c.kind}: position ${ip} covers target`);
      }),
      { numRuns: 1000, seed: 9 },
    );
  });
  test('min/max set by hand, JIT without safety stock', () => {
    const mm = computePolicy({ forecast: flat(5), supplier: sup(7, 10), stock: noStock(30), params: { kind: 'minmax', service: { kind: 'csl', level: 0.9 }, reviewDays: 7, min: 40, max: 100 } });
    assert.equal(mm.orderQty.value, 70);
    assert.match(mm.summary, /^min 40 \(set by hand\); max 100 \(set by hand\); order 70/);
    const above = computePolicy({ forecast: flat(5), supplier: sup(7, 10), stock: noStock(41), params: { kind: 'minmax', service: { kind: 'csl', level: 0.9 }, reviewDays: 7, min: 40, max: 100 } });
    assert.equal(above.orderQty.value, 0);
    const jit = computePolicy({ forecast: flat(5), supplier: sup(7), stock: noStock(30), params: { kind: 'jit', service: { kind: 'csl', level: 0.9 }, reviewDays: 7 } });
    assert.equal(jit.orderUpTo.value, 70);
    assert.equal(jit.orderQty.value, 40);
    assert.equal(jit.safetyStock.value, 0);
  });
});
