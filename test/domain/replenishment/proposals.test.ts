import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { draftPurchaseOrders, planCandidates, type OrderCandidate } from '../../../src/domain/replenishment/proposals.ts';
import type { Supplier } from '../../../src/domain/replenishment/types.ts';

const supplier = (id: string, o: Partial<Supplier> = {}): Supplier => ({
  id,
  leadTimeDays: 7,
  leadTimeSdDays: 0,
  moq: 0,
  packSize: 1,
  minOrderValue: 0,
  currency: 'EUR',
  ...o,
});
const cand = (itemId: string, supplierId: string, needQty: number, expectedShortage: number, unitCost = 1): OrderCandidate => ({
  itemId,
  supplierId,
  needQty,
  expectedShortage,
  unitCost,
});

describe('purchase-order proposals', () => {
  test('grouped by supplier, rounded to pack and MOQ, covered items skipped', () => {
    const r = draftPurchaseOrders(
      [cand('a', 'S1', 25, 3, 2), cand('b', 'S2', 5, 1, 1), cand('c', 'S1', 10, 5, 1), cand('d', 'S2', 0, 0)],
      [supplier('S1', { packSize: 12 }), supplier('S2', { moq: 20 })],
    );
    assert.deepEqual(
      r.orders.map((o) => [o.supplierId, o.lines.map((l) => [l.itemId, l.qty])]),
      [
        ['S1', [['c', 12], ['a', 36]]],
        ['S2', [['b', 20]]],
      ],
    );
    assert.equal(r.orders[0].total, 12 + 72);
    assert.equal(r.totalValue, 104);
    assert.deepEqual(r.skipped, [{ itemId: 'd', reason: 'covered by stock and open orders' }]);
  });

  test('supplier minimum order value: topped up pack by pack, or held when far below', () => {
    const s = supplier('S1', { packSize: 10, minOrderValue: 100 });
    const up = draftPurchaseOrders([cand('a', 'S1', 30, 9, 1), cand('b', 'S1', 30, 1, 1)], [s]);
    // 60 needed → top up 40 in packs of 10, most shortage first, alternating: a+10, b+10, a+10, b+10
    assert.deepEqual(up.orders[0].lines.map((l) => [l.itemId, l.qty]), [['a', 50], ['b', 50]]);
    assert.equal(up.orders[0].total, 100);
    assert.match(up.orders[0].why, /topped up from 60 to the supplier minimum 100 EUR/);
    assert.match(up.orders[0].lines[0].why, /need 30 → order 30 \(3 × 10\); topped up to 50 for the supplier minimum$/);
    const held = draftPurchaseOrders([cand('a', 'S1', 20, 9, 1)], [s], { maxTopUpRatio: 1 });
    assert.equal(held.orders.length, 0);
    assert.match(held.skipped[0].reason, /below its minimum 100/);
  });

  test('budget cap funds the highest expected shortage first and cuts the last line to a valid quantity', () => {
    const r = draftPurchaseOrders(
      [
        cand('low', 'S1', 50, 1, 1),
        cand('high', 'S1', 50, 30, 1),
        cand('mid', 'S2', 50, 10, 1),
      ],
      [supplier('S1', { packSize: 10 }), supplier('S2', { packSize: 10, moq: 20 })],
      { budget: 125 },
    );
    const lines = Object.fromEntries(r.orders.flatMap((o) => o.lines.map((l) => [l.itemId, l.qty])));
    assert.deepEqual(lines, { high: 50, mid: 50, low: 20 });
    assert.ok(r.totalValue <= 125);
    const r2 = draftPurchaseOrders(
      [cand('low', 'S1', 50, 1, 1), cand('high', 'S1', 50, 30, 1), cand('mid', 'S2', 50, 10, 1)],
      [supplier('S1', { packSize: 10 }), supplier('S2', { packSize: 10, moq: 20 })],
      { budget: 60 },
    );
    const l2 = Object.fromEntries(r2.orders.flatMap((o) => o.lines.map((l) => [l.itemId, l.qty])));
    // mid would need ≥ 20 (its MOQ) but only 10 is left; low still gets one pack of 10
    assert.deepEqual(l2, { high: 50, low: 10 });
    assert.deepEqual(r2.skipped.map((s) => s.itemId), ['mid']);
  });

  test('budget cap drops a supplier that would fall below its minimum and funds the next item instead', () => {
    const r = draftPurchaseOrders(
      [cand('a', 'S1', 40, 20, 1), cand('b', 'S2', 100, 15, 1), cand('c', 'S3', 30, 5, 1)],
      [supplier('S1'), supplier('S2', { minOrderValue: 80 }), supplier('S3')],
      { budget: 100 },
    );
    // a (40) fits; b cut to 60 < its supplier minimum 80 → S2 dropped; c (30) funded
    assert.deepEqual(r.orders.map((o) => o.supplierId), ['S1', 'S3']);
    assert.equal(r.totalValue, 70);
    assert.match(r.skipped.find((s) => s.itemId === 'b')!.reason, /below its minimum order value/);
  });

  test('open purchase orders prevent ordering twice (end to end through the policy)', () => {
    const suppliers = [supplier('S1', { packSize: 6 })];
    const forecast = { mean: new Float64Array(30).fill(5) };
    const params = { kind: 'rs' as const, service: { kind: 'csl' as const, level: 0.95 }, reviewDays: 7 };
    const first = planCandidates(
      [{ itemId: 'x', supplierId: 'S1', unitCost: 2, forecast, stock: { onHand: 10, reserved: 0, openOrders: [] }, params }],
      suppliers,
    );
    const po = draftPurchaseOrders(first, suppliers);
    const qty = po.orders[0].lines[0].qty;
    assert.ok(qty > 0 && qty % 6 === 0);
    // The drafted PO is now open: the next run must not order it again.
    const second = planCandidates(
      [{ itemId: 'x', supplierId: 'S1', unitCost: 2, forecast, stock: { onHand: 10, reserved: 0, openOrders: [{ qty, expectedDay: 7 }] }, params }],
      suppliers,
    );
    const po2 = draftPurchaseOrders(second, suppliers);
    assert.equal(po2.orders.length, 0);
    assert.equal(po2.skipped[0].itemId, 'x');
  });

  test('mixed currencies with a budget are refused', () => {
    assert.throws(
      () => draftPurchaseOrders([cand('a', 'S1', 1, 1), cand('b', 'S2', 1, 1)], [supplier('S1'), supplier('S2', { currency: 'USD' })], { budget: 10 }),
      /one currency/,
    );
  });
});
