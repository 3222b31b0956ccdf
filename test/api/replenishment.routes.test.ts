import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedReplenishment } from '../helpers/replenishment-data.ts';

describeEachDb('replenishment API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await seedReplenishment(get());
  });

  test('roles and validation: managers run and decide, staff read and receive, kiosks nothing; bad input names the field', async () => {
    assert.equal((await h.call('POST', '/api/replenishment/runs', { role: 'staff', body: {} })).status, 403);
    assert.equal((await h.call('GET', '/api/replenishment/suggestions', { role: 'kiosk' })).status, 403);
    const bad = await h.call('POST', '/api/replenishment/runs', { role: 'manager', body: { budget: -5 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'budget');
    const badDecision = await h.call('POST', '/api/replenishment/suggestions/decide', { role: 'manager', body: { decisions: [{ lineId: 1, action: 'edit' }] } });
    assert.equal(badDecision.status, 400);
    assert.match(badDecision.body.field, /decisions\.0/);
    const badPolicy = await h.call('PUT', '/api/replenishment/policies', { role: 'manager', body: { sku: 'FAST', kind: 'rs' } });
    assert.equal(badPolicy.status, 400);
    assert.equal(badPolicy.body.field, 'location');
    assert.equal((await h.call('PUT', '/api/replenishment/settings', { role: 'manager', body: { managerApprovalLimit: 1e6 } })).status, 403);
  });

  test('run → suggestions → bulk decide → PO approved → send → export → receive (idempotent) → on hand rises', async () => {
    const pol = await h.call('PUT', '/api/replenishment/policies', { role: 'manager', body: { sku: 'SLOW', location: 'S1', kind: 'minmax', min: 5, max: 24 } });
    assert.equal(pol.status, 200, JSON.stringify(pol.body));
    const run = await h.call('POST', '/api/replenishment/runs', { role: 'manager', body: {} });
    assert.equal(run.status, 201, JSON.stringify(run.body));
    assert.equal(run.body.purchaseOrders, 1);
    const sug = await h.call('GET', '/api/replenishment/suggestions?location=S1', { role: 'staff' });
    assert.equal(sug.status, 200);
    const slow = sug.body.items.find((s: { sku: string }) => s.sku === 'SLOW');
    assert.match(slow.summary, /^min 5 \(set by hand\); EOQ \d+; max 24 \(set by hand\); order 24 \(rounded to pack of 12\)$/);
    const plan = await h.call('GET', '/api/replenishment/items/FAST?location=S1', { role: 'staff' });
    assert.equal(plan.status, 200);
    assert.equal(plan.body.curve.length, 28);
    assert.equal(plan.body.explain.daysUntilStockout, 2);
    const plans = await h.call('GET', '/api/replenishment/plans?alert=1', { role: 'staff' });
    assert.deepEqual(plans.body.items.map((p: { sku: string }) => p.sku), ['FAST', 'SLOW']);

    const dec = await h.call('POST', '/api/replenishment/suggestions/decide', { role: 'manager', body: { decisions: sug.body.items.map((s: { id: number }) => ({ lineId: s.id, action: 'approve' })) } });
    assert.equal(dec.status, 200, JSON.stringify(dec.body));
    const poId = dec.body.purchaseOrders[0].id;
    assert.equal(dec.body.purchaseOrders[0].status, 'approved');
    assert.equal((await h.call('POST', `/api/purchase-orders/${poId}/send`, { role: 'staff' })).status, 403);
    assert.equal((await h.call('POST', `/api/purchase-orders/${poId}/send`, { role: 'manager' })).body.status, 'sent');
    const csv = await h.call('GET', `/api/purchase-orders/${poId}/export.csv`, { role: 'staff' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition')!, /PO-\d{6}-SUP\.csv/);
    const rows = String(csv.body).trim().split('\n');
    assert.equal(rows[0], 'po,supplier,ship_to,expected_at,sku,supplier_sku,name,qty,unit_cost,line_total,currency');
    assert.equal(rows.length, 1 + sug.body.items.length);
    const pdf = await h.app.request(`/api/purchase-orders/${poId}/export.pdf`, { headers: { authorization: `Bearer ${h.tokens.staff}` } });
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');

    const detail = await h.call('GET', `/api/purchase-orders/${poId}`, { role: 'staff' });
    const fast = detail.body.lines.find((l: { sku: string }) => l.sku === 'FAST');
    const body = { lines: [{ lineId: fast.id, qty: fast.qty_ordered }] };
    const r1 = await h.call('POST', `/api/purchase-orders/${poId}/receive`, { role: 'staff', body, headers: { 'idempotency-key': 'rcv-1' } });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    assert.equal(r1.body.status, 'partially_received');
    assert.equal(r1.body.movements[0].balanceAfter, 20 + fast.qty_ordered);
    const r2 = await h.call('POST', `/api/purchase-orders/${poId}/receive`, { role: 'staff', body, headers: { 'idempotency-key': 'rcv-1' } });
    assert.equal(r2.headers.get('idempotent-replayed'), 'true');
    const over = await h.call('POST', `/api/purchase-orders/${poId}/receive`, { role: 'staff', body: { lines: [{ lineId: fast.id, qty: 1 }] } });
    assert.equal(over.status, 409);
    assert.equal(over.body.field, 'lines.0.qty');
    const inv = await h.call('GET', '/api/inventory?q=FAST', { role: 'staff' });
    assert.equal(inv.body.items[0].onHand, 20 + fast.qty_ordered);
    const list = await h.call('GET', '/api/purchase-orders?status=partially_received', { role: 'staff' });
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].supplier, 'SUP');
  });
});
