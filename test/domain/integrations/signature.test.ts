import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { fromShopifyLevel, fromShopifyOrder, fromWooOrder, fromGeneric } from '../../../src/domain/integrations/adapters.ts';
import { base64Hmac, signShelfwise, verifyBase64Hmac, verifyShelfwise } from '../../../src/domain/integrations/signature.ts';
import { shopifyOrderCreate, wooOrder } from '../../fixtures/shop-payloads.ts';

test('Shelfwise-Signature: t=<unix>,v1=hex HMAC-SHA256 of "<t>.<body>"; verified in constant time within the tolerance', () => {
  const body = '{"id":"evt_1","type":"stock.changed"}';
  const h = signShelfwise('secret-0123456789', body, 1_700_000_000);
  // The same computation a receiver in any language does:
  const expected = createHmac('sha256', 'secret-0123456789').update(`1700000000.${body}`).digest('hex');
  assert.equal(h, `t=1700000000,v1=${expected}`);
  assert.deepEqual(verifyShelfwise('secret-0123456789', body, h, 1_700_000_100), { ok: true });
  assert.equal(verifyShelfwise('secret-0123456789', body, h, 1_700_000_400).ok, false, 'older than 300 s');
  assert.equal(verifyShelfwise('other-secret-xxxx', body, h, 1_700_000_000).ok, false);
  assert.equal(verifyShelfwise('secret-0123456789', body + ' ', h, 1_700_000_000).ok, false, 'one byte changed');
  assert.equal(verifyShelfwise('secret-0123456789', body, 't=1700000000,v1=zz', 1_700_000_000).ok, false);
  assert.equal(verifyShelfwise('secret-0123456789', body, undefined, 1_700_000_000).ok, false);
});

test('Shopify / WooCommerce: base64 HMAC-SHA256 of the raw body', () => {
  const raw = '{"id":1}';
  const sig = createHmac('sha256', 'hush').update(raw, 'utf8').digest('base64');
  assert.equal(base64Hmac('hush', raw), sig);
  assert.deepEqual(verifyBase64Hmac('hush', raw, sig, 'X-Shopify-Hmac-Sha256'), { ok: true });
  assert.equal(verifyBase64Hmac('hush', raw, sig.slice(0, -2), 'X-Shopify-Hmac-Sha256').ok, false);
  assert.equal(verifyBase64Hmac('hush', raw, '', 'X').ok, false);
});

test('adapters: Shopify order lines with SKUs (gift card skipped), location and time; Woo status decides; generic validated', () => {
  const o = fromShopifyOrder(shopifyOrderCreate({ sku: 'IPOD-8', qty: 2, id: 450789469 }));
  assert.equal(o.orderId, '450789469');
  assert.equal(o.ref, 'shopify:#9999');
  assert.deepEqual(o.lines, [{ sku: 'IPOD-8', qty: 2, unitPrice: 199 }]);
  assert.equal(o.skippedLines, 1);
  assert.equal(o.occurredAt!.toISOString(), '2022-01-01T00:00:00.000Z');
  assert.equal(o.ignore, undefined);
  assert.equal(fromShopifyOrder(shopifyOrderCreate({ sku: 'X', qty: 1, cancelled: true })).ignore, 'cancelled');
  const l = fromShopifyLevel({ inventory_item_id: '271878346596884015', location_id: 24826418, available: null, updated_at: '2021-12-31T19:00:00-05:00' });
  assert.deepEqual([l.externalItem, l.externalLocation, l.available], ['271878346596884015', '24826418', 0]);
  const w = fromWooOrder(wooOrder({ id: 727, status: 'processing', lines: [{ sku: 'Bar3', qty: 2 }] }));
  assert.deepEqual(w.lines, [{ sku: 'Bar3', qty: 2, unitPrice: 3 }]);
  assert.equal(w.occurredAt!.toISOString(), '2017-03-22T19:28:08.000Z', 'date_paid_gmt read as UTC');
  assert.equal(fromWooOrder(wooOrder({ id: 1, status: 'pending', lines: [{ sku: 'A', qty: 1 }] })).ignore, 'status pending');
  assert.throws(() => fromGeneric({ id: 'x', type: 'order.created', order: { ref: 'r', lines: [] } }));
  assert.equal(fromGeneric({ id: 'x', type: 'inventory.level', level: { sku: 'A', available: 3 } }).event.kind, 'level');
});
