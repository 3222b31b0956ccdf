import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorker } from '../../src/jobs/index.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices, type AppServices } from '../../src/services/index.ts';
import { integrationsOf } from '../../src/services/integrations.ts';
import { emitEvent } from '../../src/services/outbox.ts';
import { inTransaction } from '../../src/services/transaction.ts';
import { describeEachDb } from '../helpers/db.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';

const SECRET = 'whsec_test_0123456789abcdef';
process.env.WEBHOOK_BACKOFF_MS = '20';
process.env.WEBHOOK_MAX_ATTEMPTS = '6';

const waitFor = async (cond: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describeEachDb('outgoing webhooks', (get) => {
  let s: AppServices;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    s = createServices(get());
    await s.catalog.createLocation(SYSTEM, { code: 'S1', name: 'Store', kind: 'store' });
    await s.catalog.createProduct(SYSTEM, { sku: 'TEE-1', name: 'Tee', price: 10, cost: 4 });
    await s.inventory.setThreshold(SYSTEM, 'TEE-1', 'S1', 5);
    rx = await startReceiver(SECRET, { failFirst: 2 });
  });
  after(() => rx.close());

  test('ledger changes write stock.changed / stock.low into the outbox in their transaction; a rolled-back change writes none', async () => {
    const { db } = s.database;
    const count = async () => Number((await db.selectFrom('outbox_events').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const n0 = await count();
    await s.inventory.postMovements(SYSTEM, [{ sku: 'TEE-1', location: 'S1', kind: 'receipt', qty: 8 }]);
    await assert.rejects(s.inventory.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'TEE-1', qty: 99 }] }), /not enough stock/);
    await assert.rejects(
      inTransaction(db, async (trx) => {
        await emitEvent(trx, 'order.created', { id: 1 });
        throw new Error('rolled back');
      }),
    );
    assert.equal(await count(), n0 + 1, 'only the committed receipt left an event');
    await s.inventory.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'TEE-1', qty: 4 }] });
    const ev = await db.selectFrom('outbox_events').select(['type', 'payload']).orderBy('id', 'desc').limit(2).execute();
    assert.deepEqual(ev.map((e) => e.type).sort(), ['stock.changed', 'stock.low']);
    const low = ev.find((e) => e.type === 'stock.low')!.payload as Record<string, unknown>;
    assert.deepEqual(low, { sku: 'TEE-1', location: 'S1', available: 4, threshold: 5 });
    const changed = ev.find((e) => e.type === 'stock.changed')!.payload as { movements: { sku: string; qty: number; balanceAfter: number }[] };
    assert.deepEqual(changed.movements.map((m) => [m.sku, m.qty, m.balanceAfter]), [['TEE-1', -4, 4]]);
  });

  test('signed deliveries to a local receiver: failures retried with backoff until delivered, each event accepted once, the log and a replay', async () => {
    const { db } = s.database;
    const wh = integrationsOf(s).webhooks;
    await assert.rejects(wh.subscribe(SYSTEM, { url: rx.url, events: ['stock.moved'] }), /unknown event/);
    const sub = await wh.subscribe(SYSTEM, { url: rx.url, events: ['stock.changed', 'stock.low'], secret: SECRET });
    const other = await wh.subscribe(SYSTEM, { url: rx.url, events: ['forecast.updated'], secret: SECRET });
    await db.updateTable('outbox_events').set({ dispatched_at: new Date() }).where('dispatched_at', 'is', null).execute(); // earlier events: before the subscription
    await s.inventory.postMovements(SYSTEM, [{ sku: 'TEE-1', location: 'S1', kind: 'receipt', qty: 1 }]);
    await s.inventory.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'TEE-1', qty: 2 }] });
    const w = startWorker(s, { pollMs: 20 });
    try {
      await waitFor(async () => (await wh.deliveries({ subscription: sub.id })).filter((d) => d.status === 'delivered').length === 3);
    } finally {
      await w.stop();
    }
    const log = await wh.deliveries({ subscription: sub.id });
    assert.deepEqual(log.map((d) => d.event).sort(), ['stock.changed', 'stock.changed', 'stock.low'], 'receipt, sale, and the sale took it to the threshold');
    assert.ok(log.every((d) => d.attempts === 3 && d.lastStatus === 204), 'each failed twice (500) and was delivered on the third attempt');
    assert.equal((await wh.deliveries({ subscription: other.id })).length, 0, 'the forecast subscription got no stock events');
    assert.equal(rx.rejected.badSignature, 0);
    assert.equal(rx.rejected.injected, 6);
    const ids = rx.accepted.map((a) => a.eventId);
    assert.equal(new Set(ids).size, 3);
    assert.equal(ids.length, 3);
    assert.ok(rx.accepted.every((a) => a.body.type === a.type && a.body.id === a.eventId));
    // Replay: a new delivery of the same event, same event id (receivers dedupe on Shelfwise-Event-Id).
    const r = await wh.replay(SYSTEM, log[0].id);
    const w2 = startWorker(s, { pollMs: 20 });
    try {
      await waitFor(async () => (await wh.deliveries({ subscription: sub.id })).find((d) => d.id === r.deliveryId)?.status === 'delivered');
    } finally {
      await w2.stop();
    }
    assert.equal(rx.accepted.at(-1)!.eventId, log[0].eventId);
    assert.equal(rx.accepted.at(-1)!.deliveryId, String(r.deliveryId));
    const listed = await wh.list();
    assert.equal(listed.find((x) => x.id === sub.id)!.deliveries.delivered, 4);
  });

  test('an unreachable URL fails after the last attempt; the delivery is marked failed with the error', async () => {
    const wh = integrationsOf(s).webhooks;
    const closed = await startReceiver(SECRET);
    await closed.close(); // a port nothing listens on
    const sub = await wh.subscribe(SYSTEM, { url: closed.url, events: ['*'] });
    const { deliveryId } = await wh.ping(SYSTEM, sub.id);
    const w = startWorker(s, { pollMs: 10 });
    try {
      await waitFor(async () => (await wh.deliveries({ subscription: sub.id })).find((d) => d.id === deliveryId)?.status === 'failed');
    } finally {
      await w.stop();
    }
    const d = (await wh.deliveries({ subscription: sub.id })).find((x) => x.id === deliveryId)!;
    assert.equal(d.attempts, 6);
    assert.match(d.lastError!, /ECONNREFUSED|fetch failed|connect/i);
    await wh.remove(SYSTEM, sub.id);
  });
});
