import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYSTEM, type Actor } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { purchaseOrderServiceOf } from '../../src/services/purchase-order.service.ts';
import { replenishmentServiceOf } from '../../src/services/replenishment.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedReplenishment } from '../helpers/replenishment-data.ts';

const manager: Actor = { id: null, label: 'manager@test', role: 'manager' };
const staff: Actor = { id: null, label: 'staff@test', role: 'staff' };

describeEachDb('replenishment service', (get) => {
  test('a run drafts one PO per supplier for the items below their order-up-to level, each number explained', async () => {
    const database = get();
    await seedReplenishment(database);
    const services = createServices(database);
    const rs = replenishmentServiceOf(services);
    const r = await rs.run();
    assert.equal(r.items, 3);
    assert.equal(r.purchaseOrders, 1);
    const { items } = await purchaseOrderServiceOf(services).suggestions();
    const bySku = new Map(items.map((s) => [s.sku, s]));
    assert.ok(!bySku.has('FULL'), 'a covered item is not ordered');
    const fast = bySku.get('FAST')!;
    // (R, S) with R 7 + L 7 = 14 days of 10/day: S is above the mean of 140, position 20, packs of 12.
    assert.equal(fast.qty % 12, 0);
    assert.ok(fast.qty >= 120 && fast.qty <= 240, `qty ${fast.qty}`);
    assert.match(fast.summary!, /S \d+ = P95 of 14-day demand/);
    assert.match(fast.summary!, /pack of 12/);
    assert.equal(fast.days_until_stockout, 2);
    assert.equal(fast.stockout_alert, true);
    const live = await rs.itemPlan('FAST', 'S1');
    assert.ok(live.available);
    assert.equal(live.explain.daysUntilStockout, 2);
    assert.match(live.explain.inventoryPosition.why, /position 20 = on hand 20/);
    assert.match(live.explain.reorderPoint.why, /14-day demand \(lead time 7 \+ review 7 days\)/);
    assert.equal(live.summary, fast.summary);
    // FAST (2 days of cover) and SLOW (3) run out before a 7-day lead time; FULL does not.
    const alerts = await database.db.selectFrom('alerts').select(['kind', 'message']).where('kind', '=', 'stockout_risk').orderBy('message').execute();
    assert.equal(alerts.length, 2);
    assert.match(alerts[0].message, /^FAST at S1: projected stockout on day 2 \(2 days of cover\), before an order placed today could arrive/);
    assert.match(alerts[1].message, /^SLOW at S1/);

    // A second run replaces the untouched drafts instead of ordering twice.
    const r2 = await rs.run();
    const pos = await database.db.selectFrom('purchase_orders').select(['id', 'status', 'run_id', 'cancel_reason']).orderBy('id').execute();
    assert.equal(pos.length, 2);
    assert.equal(pos[0].status, 'cancelled');
    assert.match(pos[0].cancel_reason!, new RegExp(`superseded by replenishment run ${r2.id}`));
    assert.equal(pos[1].status, 'draft');
  });

  test('approve, send, receive: ledger receipts at the PO unit cost; open POs count so nothing is ordered twice', async () => {
    const services = createServices(get());
    const rs = replenishmentServiceOf(services);
    const po = purchaseOrderServiceOf(services);
    const { items } = await po.suggestions();
    const fast = items.find((s) => s.sku === 'FAST')!;
    await assert.rejects(po.decide(staff, [{ lineId: fast.id, action: 'approve' }]), /manager role/);
    await assert.rejects(po.decide(manager, [{ lineId: fast.id, action: 'edit', qty: 13 }]), /packs of 12/);
    const d = await po.decide(manager, [
      { lineId: fast.id, action: 'edit', qty: 144 },
      ...items.filter((s) => s.id !== fast.id).map((s) => ({ lineId: s.id, action: 'reject' as const })),
      { lineId: fast.id, action: 'approve' },
    ]);
    assert.equal(d.purchaseOrders[0].status, 'approved');
    assert.equal(d.purchaseOrders[0].total, 144 * 4);
    const id = fast.poId;
    await po.send(manager, id);
    const onHand0 = (await get().db.selectFrom('stock_levels').select('on_hand').where('sku', '=', 'FAST').executeTakeFirstOrThrow()).on_hand;
    const r = await po.receiveLines(staff, id, [{ lineId: fast.id, qty: 100 }]);
    assert.equal(r.status, 'partially_received');
    assert.equal(r.movements.length, 1);
    assert.equal(r.movements[0].kind, 'receipt');
    assert.equal(r.movements[0].balanceAfter, onHand0 + 100);
    const mv = await get().db.selectFrom('stock_movements').select(['unit_cost', 'reason']).where('id', '=', r.movements[0].id).executeTakeFirstOrThrow();
    assert.equal(Number(mv.unit_cost), 4);
    assert.match(mv.reason!, /PO-\d{6} from SUP/);
    // Open quantity (44 left) counts in the position: a new run orders less for FAST than the first did.
    await rs.run();
    const again = (await po.suggestions()).items.find((s) => s.sku === 'FAST');
    const plan = await rs.itemPlan('FAST', 'S1');
    assert.ok(plan.available);
    assert.match(plan.explain.inventoryPosition.why, /\+ on order 44 \(1 open PO line\)/);
    assert.ok(!again || again.qty < fast.qty);
    assert.equal(plan.curve.length, 28);
    assert.equal(plan.curve[0].stock, 120 - 10);
  });

  test('concurrent receivers never receive past the ordered quantity', async () => {
    const services = createServices(get());
    const po = purchaseOrderServiceOf(services);
    const open = await get().db.selectFrom('purchase_orders').select('id').where('status', '=', 'partially_received').executeTakeFirstOrThrow();
    const full = await po.get(open.id);
    const line = full.lines.find((l) => l.decision !== 'rejected')!;
    const left = line.qty_ordered - line.qty_received; // 44
    const tries = await Promise.allSettled(Array.from({ length: 8 }, () => po.receiveLines(staff, open.id, [{ lineId: line.id, qty: 10 }])));
    const ok = tries.filter((t) => t.status === 'fulfilled').length;
    assert.equal(ok, Math.floor(left / 10));
    for (const t of tries) if (t.status === 'rejected') assert.match(String(t.reason), /still to receive|past its ordered/);
    const after = await po.get(open.id);
    const l2 = after.lines.find((l) => l.id === line.id)!;
    assert.equal(l2.qty_received, line.qty_received + 10 * ok);
    const movs = after.receipts.reduce((a, r) => a + r.qty, 0);
    assert.equal(movs, l2.qty_received);
    const rest = await po.receiveLines(staff, open.id, [{ lineId: line.id, qty: l2.qty_ordered - l2.qty_received }]);
    assert.equal(rest.status, 'received');
    await assert.rejects(po.receiveLines(staff, open.id, [{ lineId: line.id, qty: 1 }]), /only approved or sent/);
    assert.equal((await po.close(manager, open.id)).status, 'closed');
    const audit = after.history.map((h) => h.action);
    assert.ok(audit.includes('po.line.edit') && audit.includes('po.approved') && audit.includes('po.receive'), audit.join());
    assert.deepEqual(await services.inventory.checkLedger(), []);
  });

  test('approval limit: a manager cannot approve above it; overdue sent POs raise one alert', async () => {
    const services = createServices(get());
    const rs = replenishmentServiceOf(services);
    const po = purchaseOrderServiceOf(services);
    await rs.updateSettings(SYSTEM, { managerApprovalLimit: 10 });
    await rs.run();
    const draft = await get().db.selectFrom('purchase_orders').select('id').where('status', '=', 'draft').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await assert.rejects(po.approve(manager, draft.id), /approval limit of 10\.00: an admin must approve/);
    await po.approve({ id: null, label: 'admin', role: 'admin' }, draft.id);
    const approved = await get().db.selectFrom('outbox_events').select(['payload']).where('type', '=', 'purchase_order.approved').execute();
    assert.ok(approved.some((e) => (e.payload as { id: number }).id === draft.id), 'purchase_order.approved is in the outbox');
    await po.send(manager, draft.id);
    await get().db.updateTable('purchase_orders').set({ expected_at: '2020-01-01' }).where('id', '=', draft.id).execute();
    await rs.run();
    await rs.run();
    const overdue = await get().db.selectFrom('alerts').select(['message', 'acknowledged_at']).where('kind', '=', 'po_overdue').execute();
    assert.equal(overdue.length, 1);
    assert.match(overdue[0].message, /is overdue: expected 2020-01-01/);
    await po.cancel(manager, draft.id, 'supplier out of business');
    const closed = await get().db.selectFrom('alerts').select('acknowledged_at').where('kind', '=', 'po_overdue').executeTakeFirstOrThrow();
    assert.ok(closed.acknowledged_at);
  });
});
