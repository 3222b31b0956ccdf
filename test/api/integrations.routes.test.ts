import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { base64Hmac, signShelfwise } from '../../src/domain/integrations/signature.ts';
import { startWorker } from '../../src/jobs/index.ts';
import { shopifyOrderCreate } from '../fixtures/shop-payloads.ts';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';

describeEachDb('integrations API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await h.call('POST', '/api/locations', { role: 'admin', body: { code: 'S1', name: 'Store', kind: 'store' } });
    await h.call('POST', '/api/products', { role: 'manager', body: { sku: 'IPOD-8', name: 'iPod', price: 199, cost: 100 } });
    await h.call('POST', '/api/movements', { role: 'staff', body: { lines: [{ sku: 'IPOD-8', location: 'S1', kind: 'receipt', qty: 10 }] } });
  });

  test('sources: admin only; Shopify webhook over HTTP with the raw body; bad signature 401; replay header', async () => {
    const bad = await h.call('POST', '/api/integrations/sources', { role: 'admin', body: { code: 'Shop!', kind: 'shopify', location: 'S1' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'code');
    assert.equal((await h.call('POST', '/api/integrations/sources', { role: 'manager', body: { code: 'shop', kind: 'shopify', location: 'S1' } })).status, 403);
    const src = await h.call('POST', '/api/integrations/sources', { role: 'admin', body: { code: 'shop', kind: 'shopify', location: 'S1' } });
    assert.equal(src.status, 201);
    assert.equal(src.body.url, '/api/integrations/incoming/shop');
    // Shopify sends pretty-printed JSON: the signature is over these exact bytes, not a re-serialization.
    const raw = JSON.stringify(shopifyOrderCreate({ sku: 'IPOD-8', qty: 3, id: 77 }), null, 2);
    const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': base64Hmac(src.body.secret, raw), 'x-shopify-webhook-id': 'wh-77' };
    const r1 = await h.call('POST', src.body.url, { raw, headers });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    assert.equal(r1.body.status, 'applied');
    const r2 = await h.call('POST', src.body.url, { raw, headers });
    assert.equal(r2.headers.get('idempotent-replayed'), 'true');
    const forged = await h.call('POST', src.body.url, { raw, headers: { ...headers, 'x-shopify-hmac-sha256': base64Hmac('not-the-secret-at-all', raw) } });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.field, 'signature');
    assert.equal((await h.call('POST', '/api/integrations/incoming/nope', { raw, headers })).status, 404);
    const inv = await h.call('GET', '/api/products/IPOD-8', { role: 'staff' });
    assert.equal(inv.body.stock[0].onHand, 7);
    const ev = await h.call('GET', '/api/integrations/events?source=shop', { role: 'admin' });
    assert.equal(ev.body.items[0].status, 'applied');
  });

  test('generic source and reconcile over HTTP (manager); validation names the field', async () => {
    const src = await h.call('POST', '/api/integrations/sources', { role: 'admin', body: { code: 'pos', kind: 'generic', location: 'S1', applyLevels: false } });
    const raw = JSON.stringify({ id: 'l-1', type: 'inventory.level', level: { sku: 'IPOD-8', available: 9 } });
    const r = await h.call('POST', src.body.url, { raw, headers: { 'shelfwise-signature': signShelfwise(src.body.secret, raw, Math.floor(Date.now() / 1000)) } });
    assert.equal(r.body.status, 'recorded');
    const dry = await h.call('POST', '/api/integrations/reconcile', { role: 'manager', body: { source: 'pos' } });
    assert.equal(dry.status, 200);
    assert.deepEqual(dry.body.differences, [{ sku: 'IPOD-8', location: 'S1', external: 9, ledger: 7, delta: 2 }]);
    assert.equal((await h.call('POST', '/api/integrations/reconcile', { role: 'staff', body: { source: 'pos' } })).status, 403);
    const noReason = await h.call('POST', '/api/integrations/reconcile', { role: 'manager', body: { source: 'pos', apply: true } });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.field, 'reason');
    const applied = await h.call('POST', '/api/integrations/reconcile', { role: 'manager', body: { levels: [{ sku: 'IPOD-8', location: 'S1', available: 9 }], apply: true, reason: 'count at close' } });
    assert.equal(applied.body.movements, 1);
    const badLevel = await h.call('POST', '/api/integrations/reconcile', { role: 'manager', body: { levels: [{ sku: 'IPOD-8', location: 'S1', available: -1 }] } });
    assert.equal(badLevel.status, 400);
    assert.equal(badLevel.body.field, 'levels.0.available');
  });

  test('webhooks, deliveries, replay and jobs over HTTP', async () => {
    const bad = await h.call('POST', '/api/integrations/webhooks', { role: 'admin', body: { url: 'not a url', events: ['stock.changed'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'url');
    const w = await h.call('POST', '/api/integrations/webhooks', { role: 'admin', body: { url: 'http://127.0.0.1:1/x', events: ['stock.low'] } });
    assert.equal(w.status, 201);
    assert.match(w.body.secret, /^whsec_/);
    const list = await h.call('GET', '/api/integrations/webhooks', { role: 'admin' });
    assert.equal(list.body.items[0].secret, undefined, 'the secret is shown once');
    const ping = await h.call('POST', `/api/integrations/webhooks/${w.body.id}/ping`, { role: 'admin' });
    assert.equal(ping.status, 201);
    const log = await h.call('GET', '/api/integrations/deliveries', { role: 'admin' });
    assert.equal(log.body.items[0].event, 'ping');
    const rp = await h.call('POST', `/api/integrations/deliveries/${ping.body.deliveryId}/replay`, { role: 'admin' });
    assert.equal(rp.status, 201);
    assert.equal(rp.body.replayOf, ping.body.deliveryId);
    const jobs = await h.call('GET', '/api/jobs?type=webhook.deliver', { role: 'manager' });
    assert.equal(jobs.body.items.length, 2);
    assert.equal((await h.call('POST', '/api/jobs', { role: 'manager', body: { type: 'webhook.deliver', payload: {} } })).body.field, 'type');
    const started = await h.call('POST', '/api/jobs', { role: 'manager', body: { type: 'forecast.run', payload: { freq: 'W', horizon: 2 } } });
    assert.equal(started.status, 201);
    const wk = startWorker(h.services, { pollMs: 20, types: ['forecast.run'] });
    for (let i = 0; i < 400 && (await h.call('GET', started.body.url, { role: 'manager' })).body.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 25));
    await wk.stop();
    const job = await h.call('GET', started.body.url, { role: 'manager' });
    assert.equal(job.body.status, 'done', JSON.stringify(job.body));
    assert.equal((await h.call('POST', `/api/jobs/${job.body.id}/cancel`, { role: 'manager' })).status, 409);
    const pause = await h.call('PATCH', `/api/integrations/webhooks/${w.body.id}`, { role: 'admin', body: { active: false } });
    assert.equal(pause.body.active, false);
    assert.equal((await h.call('DELETE', `/api/integrations/webhooks/${w.body.id}`, { role: 'admin' })).status, 200);
  });
});
