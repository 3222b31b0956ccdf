import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { createStorefront, type Storefront } from '../../src/services/storefront.service.ts';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.ts';

const SK = 'sk_test_shelfwise';
const WHSEC = 'whsec_test_secret';

describeEachDb('storefront API: catalog, accounts, checkout with Stripe (local server) and in store', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  let fake: FakeStripe;
  let shop: Storefront;
  const stripe = new Stripe(SK);
  const level = async (sku: string) =>
    (await get().db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').select(['s.on_hand', 's.reserved']).where('p.sku', '=', sku).executeTakeFirstOrThrow());
  const signed = (payload: string) => ({ 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: WHSEC }), 'content-type': 'application/json' });
  const webhook = (payload: string, headers: Record<string, string>) => h.app.request('/api/shop/webhooks/stripe', { method: 'POST', headers, body: payload });
  const buyer = { email: 'ann@example.com', name: 'Ann' };

  before(async () => {
    fake = await startFakeStripe(SK);
    h = await apiHarness(get());
    shop = createStorefront(h.services, { location: 'WEB', stripe: { secretKey: SK, webhookSecret: WHSEC, host: '127.0.0.1', port: fake.port, protocol: 'http' } });
    await h.call('POST', '/api/locations', { role: 'admin', body: { code: 'WEB', name: 'Web', kind: 'warehouse' } });
    for (const [sku, price, extra] of [
      ['COAT-BLK', 80, { gender: 'women', colour: 'Black', category: 'Apparel' }],
      ['SHOE-42', 60, { gender: 'men', colour: 'Brown', category: 'Footwear', size: '42', styleCode: 'SHOE' }],
      ['SHOE-43', 60, { gender: 'men', colour: 'Brown', category: 'Footwear', size: '43', styleCode: 'SHOE' }],
      ['HAT-RED', 15, { gender: 'unisex', colour: 'Red', category: 'Accessories' }],
    ] as const)
      await h.call('POST', '/api/products', { role: 'manager', body: { sku, name: `Nice ${sku.toLowerCase()}`, price, cost: price / 2, ...extra } });
    await h.call('POST', '/api/movements', { role: 'manager', body: { lines: [
      { sku: 'COAT-BLK', location: 'WEB', kind: 'receipt', qty: 10 },
      { sku: 'SHOE-42', location: 'WEB', kind: 'receipt', qty: 3 },
      { sku: 'HAT-RED', location: 'WEB', kind: 'receipt', qty: 5 },
    ] } });
  });
  after(() => fake.close());

  test('browse with filters: one card per style, stock at the shop location', async () => {
    const all = await h.call('GET', '/api/shop/products');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3, 'SHOE-42 and SHOE-43 are one style');
    const shoes = await h.call('GET', '/api/shop/products?gender=men&inStock=true');
    assert.deepEqual(shoes.body.items.map((i: { style: string; sizes: string[]; available: number }) => [i.style, i.sizes, i.available]), [['SHOE', ['42'], 3]]);
    assert.equal((await h.call('GET', '/api/shop/products?size=43&inStock=true')).body.total, 0);
    assert.equal((await h.call('GET', '/api/shop/products?colour=red&maxPrice=20')).body.items[0].sku, 'HAT-RED');
    assert.equal((await h.call('GET', '/api/shop/products?q=coat')).body.items[0].sku, 'COAT-BLK');
    const page = await h.call('GET', '/api/shop/products/SHOE-43');
    assert.deepEqual(page.body.variants.map((v: { size: string; status: string }) => [v.size, v.status]), [['42', 'low'], ['43', 'out']]);
    const facets = await h.call('GET', '/api/shop/facets');
    assert.ok(facets.body.genders.some((g: { value: string }) => g.value === 'men'));
    const rec = await h.call('GET', '/api/shop/recommendations?sku=COAT-BLK');
    assert.equal(rec.status, 200);
    assert.ok(rec.body.items.every((i: { sku: string; available: number }) => i.sku !== 'COAT-BLK' && i.available > 0));
  });

  test('validation errors name the field', async () => {
    const cases: [unknown, string][] = [
      [{ provider: 'in_store', ...buyer, lines: [] }, 'lines'],
      [{ provider: 'in_store', ...buyer, lines: [{ sku: 'HAT-RED', qty: 0 }] }, 'lines.0.qty'],
      [{ provider: 'in_store', ...buyer, lines: [{ sku: 'HAT-RED', qty: 'two' }] }, 'lines.0.qty'],
      [{ provider: 'in_store', email: 'not-an-email', name: 'A', lines: [{ sku: 'HAT-RED', qty: 1 }] }, 'email'],
      [{ provider: 'in_store', name: 'A', lines: [{ sku: 'HAT-RED', qty: 1 }] }, 'email'],
      [{ provider: 'bitcoin', ...buyer, lines: [{ sku: 'HAT-RED', qty: 1 }] }, 'provider'],
      [{ provider: 'in_store', ...buyer, lines: [{ sku: 'HAT-RED', qty: 1 }], extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const r = await h.call('POST', '/api/shop/checkout', { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      if (field) assert.equal(r.body.field, field, JSON.stringify(r.body));
    }
    const unknown = await h.call('POST', '/api/shop/checkout', { body: { provider: 'in_store', ...buyer, lines: [{ sku: 'NOPE', qty: 1 }] } });
    assert.deepEqual([unknown.status, unknown.body.field], [404, 'lines.0.sku']);
    const short = await h.call('POST', '/api/shop/checkout', { body: { provider: 'in_store', ...buyer, lines: [{ sku: 'HAT-RED', qty: 1 }, { sku: 'SHOE-43', qty: 1 }] } });
    assert.equal(short.status, 409);
    assert.deepEqual(short.body.detail.items, [{ sku: 'SHOE-43', available: 0, requested: 1 }]);
    assert.deepEqual(await level('HAT-RED'), { on_hand: 5, reserved: 0 }, 'an order that cannot be filled reserves nothing');
    assert.equal((await h.call('GET', '/api/shop/products?minPrice=50&maxPrice=10')).body.field, 'minPrice');
    assert.equal((await h.call('POST', '/api/shop/account/signup', { body: { email: 'x@example.com', password: 'short' } })).body.field, 'password');
  });

  test('Stripe: PaymentIntent created, signed webhook confirms the order and sells the stock once', async () => {
    const r = await h.call('POST', '/api/shop/checkout', { body: { provider: 'stripe', ...buyer, lines: [{ sku: 'COAT-BLK', qty: 2 }] } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'pending');
    assert.match(r.body.clientSecret, /^pi_\w+_secret_/);
    const create = fake.requests.find((q) => q.method === 'POST' && q.path === '/v1/payment_intents')!;
    assert.deepEqual([create.form.amount, create.form.currency, create.form['metadata[order_ref]'], create.form['automatic_payment_methods[enabled]']], ['16000', 'gbp', r.body.ref, 'true']);
    assert.equal(create.idempotencyKey, `shelfwise-order-${r.body.ref}`);
    assert.deepEqual(await level('COAT-BLK'), { on_hand: 10, reserved: 2 });
    const piId = [...fake.intents.values()].find((p) => p.metadata.order_ref === r.body.ref)!.id;

    const payload = fake.event(piId, 'payment_intent.succeeded');
    const forged = await webhook(payload, { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` });
    assert.equal(forged.status, 400, 'a wrong signature is refused');
    assert.deepEqual(await level('COAT-BLK'), { on_hand: 10, reserved: 2 });

    const ok = await webhook(payload, signed(payload));
    assert.equal(ok.status, 200);
    assert.deepEqual(await level('COAT-BLK'), { on_hand: 8, reserved: 0 });
    const again = await webhook(payload, signed(payload));
    assert.equal((await again.json()).duplicate, true, 'Stripe retries are applied once');
    assert.deepEqual(await level('COAT-BLK'), { on_hand: 8, reserved: 0 });
    const o = await h.call('GET', `/api/shop/orders/${r.body.ref}?key=${r.body.accessKey}`);
    assert.deepEqual([o.body.status, o.body.paymentStatus, o.body.total], ['confirmed', 'paid', 160]);
    assert.equal((await h.call('GET', `/api/shop/orders/${r.body.ref}?key=wrong`)).status, 404, 'another key does not open it');

    // Refund from the dashboard: return movements and a Stripe refund of the same amount.
    const refund = await h.call('POST', `/api/orders/${r.body.id}/refund`, { role: 'manager', body: { lines: [{ sku: 'COAT-BLK', qty: 1 }], reason: 'too small' } });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    assert.deepEqual(fake.refunds.map((x) => [x.payment_intent, x.amount]), [[piId, 8000]]);
    assert.deepEqual(await level('COAT-BLK'), { on_hand: 9, reserved: 0 });
    assert.equal((await h.call('POST', `/api/orders/${r.body.id}/refund`, { role: 'staff', body: {} })).status, 403, 'refunds need a manager');
  });

  test('Stripe: a failed payment releases the reservation and closes the PaymentIntent', async () => {
    const r = await h.call('POST', '/api/shop/checkout', { body: { provider: 'stripe', ...buyer, lines: [{ sku: 'HAT-RED', qty: 5 }] } });
    assert.deepEqual(await level('HAT-RED'), { on_hand: 5, reserved: 5 });
    const pi = [...fake.intents.values()].find((p) => p.metadata.order_ref === r.body.ref)!;
    // The documented scheme by hand: v1 = HMAC-SHA256(secret, `${t}.${body}`).
    const payload = fake.event(pi.id, 'payment_intent.payment_failed');
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', WHSEC).update(`${t}.${payload}`).digest('hex');
    const res = await webhook(payload, { 'stripe-signature': `t=${t},v1=${v1}` });
    assert.equal(res.status, 200);
    assert.deepEqual(await level('HAT-RED'), { on_hand: 5, reserved: 0 });
    assert.equal(pi.status, 'canceled', 'a declined intent is cancelled so it cannot be paid for released stock');
    const o = await h.call('GET', `/api/orders/${r.body.id}`, { role: 'staff' });
    assert.deepEqual([o.body.status, o.body.paymentStatus, o.body.reservations[0].state], ['failed', 'failed', 'released']);
  });

  test('Stripe down at checkout: nothing stays reserved; expiry cancels the intent', async () => {
    fake.failNext(10); // the SDK retries twice; every try fails
    const r = await h.call('POST', '/api/shop/checkout', { body: { provider: 'stripe', ...buyer, lines: [{ sku: 'HAT-RED', qty: 1 }] } });
    assert.equal(r.status, 409);
    assert.equal(r.body.field, 'provider');
    fake.failNext(0);
    assert.deepEqual(await level('HAT-RED'), { on_hand: 5, reserved: 0 });
    const p = await h.call('POST', '/api/shop/checkout', { body: { provider: 'stripe', ...buyer, lines: [{ sku: 'HAT-RED', qty: 2 }] } });
    const swept = await shop.checkout.releaseExpired(new Date(Date.now() + 60 * 60_000));
    assert.equal(swept.expired, 1);
    assert.equal([...fake.intents.values()].find((x) => x.metadata.order_ref === p.body.ref)!.status, 'canceled');
    assert.deepEqual(await level('HAT-RED'), { on_hand: 5, reserved: 0 });
  });

  test('accounts: sign up, check out signed in, order history, receipt; no staff access', async () => {
    const up = await h.call('POST', '/api/shop/account/signup', { body: { email: 'Bo@Example.com', password: 'long enough', name: 'Bo' } });
    assert.equal(up.status, 201);
    assert.equal((await h.call('POST', '/api/shop/account/signup', { body: { email: 'bo@example.com', password: 'long enough' } })).status, 409);
    assert.equal((await h.call('POST', '/api/shop/account/signin', { body: { email: 'bo@example.com', password: 'wrong one' } })).status, 401);
    const auth = { authorization: `Bearer ${up.body.token}` };
    const r = await h.call('POST', '/api/shop/checkout', { headers: auth, body: { provider: 'in_store', lines: [{ sku: 'HAT-RED', qty: 1 }] } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual([r.body.status, r.body.paymentStatus], ['confirmed', 'due']);
    const mine = await h.call('GET', '/api/shop/account/orders', { headers: auth });
    assert.deepEqual(mine.body.items.map((o: { ref: string }) => o.ref), [r.body.ref]);
    assert.equal((await h.call('GET', '/api/shop/account/orders')).status, 403);
    const receipt = await h.call('GET', `/api/shop/orders/${r.body.ref}/receipt`, { headers: auth });
    assert.match(receipt.headers.get('content-type')!, /text\/html/);
    assert.match(receipt.body, new RegExp(`${r.body.ref}[\\s\\S]*Nice hat-red[\\s\\S]*£15\\.00`));
    assert.equal((await h.call('GET', '/api/orders', { headers: auth })).status, 401, 'a shop session is not a staff session');
    const list = await h.call('GET', `/api/orders?q=${r.body.ref}`, { role: 'staff' });
    assert.equal(list.body.items[0].customer ?? list.body.items[0].email, 'bo@example.com');
    assert.equal((await h.call('POST', `/api/orders/${r.body.id}/paid`, { role: 'staff' })).body.paymentStatus, 'paid');
  });
});
