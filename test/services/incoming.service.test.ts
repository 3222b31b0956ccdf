import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { base64Hmac, signShelfwise } from '../../src/domain/integrations/signature.ts';
import { AppError } from '../../src/errors.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices, type AppServices } from '../../src/services/index.ts';
import { integrationsOf } from '../../src/services/integrations.ts';
import { shopifyInventoryLevelRaw, shopifyOrderCreate, wooOrder } from '../fixtures/shop-payloads.ts';
import { describeEachDb } from '../helpers/db.ts';

const SHOP_SECRET = 'shpss_0123456789abcdef0123456789';
const WOO_SECRET = 'woo-secret-0123456789';
const GEN_SECRET = 'generic-secret-0123456789';
const hdr = (h: Record<string, string>) => (n: string) => h[n.toLowerCase()];

describeEachDb('incoming shop events', (get) => {
  let s: AppServices;
  const onHand = async (sku: string, loc = 'S1') => {
    const r = await s.database.db
      .selectFrom('stock_levels as s')
      .innerJoin('products as p', 'p.id', 's.product_id')
      .innerJoin('locations as l', 'l.id', 's.location_id')
      .select('s.on_hand')
      .where('p.sku', '=', sku)
      .where('l.code', '=', loc)
      .executeTakeFirst();
    return r?.on_hand ?? 0;
  };
  const movements = async () => Number((await s.database.db.selectFrom('stock_movements').select(s.database.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    s = createServices(get());
    await s.catalog.createLocation(SYSTEM, { code: 'S1', name: 'Store', kind: 'store' });
    await s.catalog.createLocation(SYSTEM, { code: 'S2', name: 'Store 2', kind: 'store' });
    for (const sku of ['IPOD-8', 'Bar3', 'TEE-1']) await s.catalog.createProduct(SYSTEM, { sku, name: sku, price: 10, cost: 4 });
    await s.inventory.postMovements(SYSTEM, ['IPOD-8', 'Bar3', 'TEE-1'].map((sku) => ({ sku, location: 'S1', kind: 'receipt' as const, qty: 50 })));
    const inc = integrationsOf(s).incoming;
    await inc.addSource(SYSTEM, { code: 'shop', kind: 'shopify', location: 'S1', secret: SHOP_SECRET, itemMap: { '271878346596884015': 'IPOD-8' }, locationMap: { '24826418': 'S2' } });
    await inc.addSource(SYSTEM, { code: 'woo', kind: 'woocommerce', location: 'S1', secret: WOO_SECRET });
    await inc.addSource(SYSTEM, { code: 'gen', kind: 'generic', location: 'S1', secret: GEN_SECRET, applyLevels: false });
  });

  test('Shopify orders/create: signature checked over the raw body, sale recorded once, replays change nothing', async () => {
    const inc = integrationsOf(s).incoming;
    const raw = JSON.stringify(shopifyOrderCreate({ sku: 'IPOD-8', qty: 2, id: 4501 }));
    const h = { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': base64Hmac(SHOP_SECRET, raw), 'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'x-shopify-shop-domain': 'example.myshopify.com' };
    const before = await movements();
    const r1 = await inc.receive('shop', hdr(h), raw);
    assert.equal(r1.status, 'applied');
    assert.equal(r1.replayed, false);
    assert.equal(await onHand('IPOD-8'), 48);
    assert.deepEqual((r1.detail as { skippedLines: number }).skippedLines, 1, 'the gift card line has no SKU');
    const r2 = await inc.receive('shop', hdr(h), raw);
    assert.equal(r2.replayed, true);
    // The same order again under a new webhook id (Shopify retries can carry a new id): still applied once.
    const r3 = await inc.receive('shop', hdr({ ...h, 'x-shopify-webhook-id': 'another-id' }), raw);
    assert.equal(r3.replayed, true);
    assert.equal(await onHand('IPOD-8'), 48);
    assert.equal(await movements(), before + 1);
    const sale = await s.database.db.selectFrom('sales').select(['order_ref', 'channel']).where('order_ref', '=', 'shopify:#9999').executeTakeFirstOrThrow();
    assert.equal(sale.channel, 'shop');
  });

  test('Shopify: a wrong or missing HMAC is refused and writes nothing; a tampered body fails too', async () => {
    const inc = integrationsOf(s).incoming;
    const raw = JSON.stringify(shopifyOrderCreate({ sku: 'IPOD-8', qty: 1, id: 4502 }));
    const before = await movements();
    await assert.rejects(inc.receive('shop', hdr({ 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': base64Hmac('wrong-secret-xxxxxxxx', raw) }), raw), (e) => e instanceof AppError && e.kind === 'unauthorized');
    await assert.rejects(inc.receive('shop', hdr({ 'x-shopify-topic': 'orders/create' }), raw), /missing X-Shopify-Hmac-Sha256/);
    const sig = base64Hmac(SHOP_SECRET, raw);
    await assert.rejects(inc.receive('shop', hdr({ 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': sig }), raw.replace('"quantity":1', '"quantity":9')), /does not match/);
    assert.equal(await movements(), before);
  });

  test('Shopify: the docs’ cancelled test order is logged as ignored and moves no stock', async () => {
    const raw = JSON.stringify(shopifyOrderCreate({ sku: 'IPOD-8', qty: 1, id: 4503, cancelled: true }));
    const before = await onHand('IPOD-8');
    const r = await integrationsOf(s).incoming.receive('shop', hdr({ 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': base64Hmac(SHOP_SECRET, raw), 'x-shopify-webhook-id': 'w-cancel' }), raw);
    assert.equal(r.status, 'ignored');
    assert.equal(await onHand('IPOD-8'), before);
  });

  test('Shopify inventory_levels/update: ids above 2^53 map to the SKU and location; the level is set; older levels are not applied', async () => {
    const inc = integrationsOf(s).incoming;
    const send = (raw: string, id: string) => inc.receive('shop', hdr({ 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-hmac-sha256': base64Hmac(SHOP_SECRET, raw), 'x-shopify-webhook-id': id }), raw);
    const r = await send(shopifyInventoryLevelRaw(7, '2021-12-31T19:00:00-05:00'), 'lvl-1');
    assert.equal(r.status, 'applied');
    assert.equal(await onHand('IPOD-8', 'S2'), 7);
    const old = await send(shopifyInventoryLevelRaw(3, '2021-12-30T19:00:00-05:00'), 'lvl-0');
    assert.equal(old.status, 'ignored');
    assert.equal(await onHand('IPOD-8', 'S2'), 7);
    const again = await send(shopifyInventoryLevelRaw(7, '2021-12-31T19:00:00-05:00'), 'lvl-1');
    assert.equal(again.replayed, true);
    const mv = await s.database.db.selectFrom('stock_movements as m').innerJoin('locations as l', 'l.id', 'm.location_id').select(['m.qty', 'm.reason']).where('l.code', '=', 'S2').execute();
    assert.equal(mv.length, 1);
    assert.match(mv[0].reason!, /shop inventory level/);
  });

  test('WooCommerce order webhooks: pending is ignored, processing applies once, later updates of the order change nothing', async () => {
    const inc = integrationsOf(s).incoming;
    const send = (body: unknown, topic: string, delivery: string) => {
      const raw = JSON.stringify(body);
      return inc.receive('woo', hdr({ 'x-wc-webhook-topic': topic, 'x-wc-webhook-resource': 'order', 'x-wc-webhook-signature': base64Hmac(WOO_SECRET, raw), 'x-wc-webhook-delivery-id': delivery, 'x-wc-webhook-id': '12' }), raw);
    };
    const lines = [{ sku: 'Bar3', qty: 3 }];
    assert.equal((await send(wooOrder({ id: 727, status: 'pending', lines }), 'order.created', 'd1')).status, 'ignored');
    assert.equal(await onHand('Bar3'), 50);
    assert.equal((await send(wooOrder({ id: 727, status: 'processing', lines }), 'order.updated', 'd2')).status, 'applied');
    assert.equal(await onHand('Bar3'), 47);
    const again = await send(wooOrder({ id: 727, status: 'processing', lines }), 'order.updated', 'd3');
    assert.equal(again.replayed, true);
    assert.equal(await onHand('Bar3'), 47);
    // WooCommerce's first ping is a form body without a signature.
    assert.equal((await inc.receive('woo', hdr({}), 'webhook_id=12')).status, 'ignored');
    await assert.rejects(send(wooOrder({ id: 728, status: 'processing', lines: [{ sku: 'NOPE', qty: 1 }] }), 'order.created', 'd4'), (e) => e instanceof AppError && e.kind === 'not_found');
    const ev = await inc.events('woo');
    assert.equal(ev.find((e) => e.externalId === 'd4')?.status, 'failed');
  });

  test('generic format: Shelfwise-Signature with a timestamp; stale signatures refused; levels recorded, then reconciled with a reason', async () => {
    const inc = integrationsOf(s).incoming;
    const now = Math.floor(Date.now() / 1000);
    const send = (body: unknown, t = now) => {
      const raw = JSON.stringify(body);
      return inc.receive('gen', hdr({ 'shelfwise-signature': signShelfwise(GEN_SECRET, raw, t) }), raw, now);
    };
    const order = { id: 'evt-1', type: 'order.created', order: { ref: 'G-1', lines: [{ sku: 'TEE-1', qty: 4, unitPrice: 12 }] } };
    await assert.rejects(send(order, now - 3600), /timestamp/);
    assert.equal((await send(order)).status, 'applied');
    assert.equal((await send(order)).replayed, true);
    assert.equal(await onHand('TEE-1'), 46);
    await assert.rejects(send({ id: 'evt-2', type: 'order.created', order: { ref: 'G-2', lines: [{ sku: 'TEE-1', qty: 0 }] } }), (e) => e instanceof AppError && e.kind === 'invalid' && e.field === 'order.lines.0.qty');
    const lvl = await send({ id: 'evt-3', type: 'inventory.level', level: { sku: 'TEE-1', available: 40 } });
    assert.equal(lvl.status, 'recorded');
    assert.equal(await onHand('TEE-1'), 46, 'this source only records levels');
    const dry = await inc.reconcile(SYSTEM, { source: 'gen' });
    assert.deepEqual(dry.differences, [{ sku: 'TEE-1', location: 'S1', external: 40, ledger: 46, delta: -6 }]);
    assert.equal(dry.applied, false);
    await assert.rejects(inc.reconcile(SYSTEM, { source: 'gen', apply: true }), /reason/);
    const done = await inc.reconcile(SYSTEM, { source: 'gen', apply: true, reason: 'weekly sync' });
    assert.equal(done.movements, 1);
    assert.equal(await onHand('TEE-1'), 40);
    const again = await inc.reconcile(SYSTEM, { source: 'gen', apply: true, reason: 'weekly sync' });
    assert.equal(again.differences.length, 0, 'reconciling twice posts nothing more');
    const m = await s.database.db.selectFrom('stock_movements').select(['reason', 'qty']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(m.reason, 'reconcile gen: weekly sync');
    assert.equal(m.qty, -6);
    assert.deepEqual(await s.inventory.checkLedger(), []);
  });
});
