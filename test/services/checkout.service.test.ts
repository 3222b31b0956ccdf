import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../../src/errors.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices, type AppServices } from '../../src/services/index.ts';
import type { PaymentOutcome, PaymentProvider, PaymentStart } from '../../src/services/payments/provider.ts';
import { promotionsServiceOf } from '../../src/services/promotions.service.ts';
import { createStorefront, type Storefront } from '../../src/services/storefront.service.ts';
import { describeEachDb } from '../helpers/db.ts';

/**
 * A real provider of the interface whose payments stay pending until the test says how they ended
 * (like a card payment waiting for the customer), so reservations can be observed and failed.
 */
class DeferredProvider implements PaymentProvider {
  readonly name = 'deferred';
  readonly label = 'Deferred (test)';
  outcomes = new Map<string, PaymentOutcome>();
  cancelled: string[] = [];
  refunds: { ref: string; amount: number }[] = [];
  private n = 0;
  async start(): Promise<PaymentStart> {
    const ref = `pay_${++this.n}`;
    this.outcomes.set(ref, 'pending');
    return { status: 'pending', paymentRef: ref };
  }
  async outcome(ref: string) {
    return this.outcomes.get(ref) ?? 'pending';
  }
  async cancel(ref: string) {
    this.cancelled.push(ref);
    this.outcomes.set(ref, 'cancelled');
  }
  async refund(ref: string, amount: number) {
    this.refunds.push({ ref, amount });
  }
}

describeEachDb('checkout: reservations, payment, sale', (get, kind) => {
  let services: AppServices;
  let shop: Storefront;
  const deferred = new DeferredProvider();
  const level = async (sku: string) =>
    (await sql<{ on_hand: number; reserved: number }>`select s.on_hand, s.reserved from stock_levels s join products p on p.id = s.product_id where p.sku = ${sku}`.execute(get().db)).rows[0];
  const heldQty = async (sku: string) =>
    Number((await sql<{ n: number }>`select coalesce(sum(r.qty), 0)::int as n from reservations r join products p on p.id = r.product_id where p.sku = ${sku} and r.state = 'held'`.execute(get().db)).rows[0].n);
  const buyer = (i: number) => ({ email: `b${i}@example.com`, name: `Buyer ${i}` });

  before(async () => {
    services = createServices(get());
    shop = createStorefront(services, { location: 'WEB', reservationMinutes: 15, providers: [deferred] });
    await services.catalog.createLocation(SYSTEM, { code: 'WEB', name: 'Web warehouse', kind: 'warehouse' });
    for (const sku of ['LAST50', 'PEND', 'FAIL', 'EXP', 'TEE-S', 'TEE-M', 'REF'])
      await services.catalog.createProduct(SYSTEM, { sku, name: `Item ${sku}`, price: 20, cost: 8, styleCode: sku.startsWith('TEE') ? 'TEE' : null, size: sku.startsWith('TEE') ? sku.slice(4) : null });
    await services.inventory.postMovements(SYSTEM, [
      { sku: 'LAST50', location: 'WEB', kind: 'receipt', qty: 50 },
      { sku: 'PEND', location: 'WEB', kind: 'receipt', qty: 50 },
      { sku: 'FAIL', location: 'WEB', kind: 'receipt', qty: 5 },
      { sku: 'EXP', location: 'WEB', kind: 'receipt', qty: 5 },
      { sku: 'TEE-S', location: 'WEB', kind: 'receipt', qty: 2 },
      { sku: 'REF', location: 'WEB', kind: 'receipt', qty: 10 },
    ]);
  });

  test('200 concurrent pay-in-store checkouts of the last 50 units sell exactly 50', { timeout: 300_000 }, async () => {
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => shop.checkout.checkout({ ...buyer(i), provider: 'in_store', lines: [{ sku: 'LAST50', qty: 1 }] })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused) assert.ok(r.reason instanceof AppError && r.reason.kind === 'insufficient_stock', String(r.reason));
    assert.equal(ok.length, 50);
    assert.deepEqual(await level('LAST50'), { on_hand: 0, reserved: 0 });
    const sold = await sql<{ n: number }>`select (-sum(m.qty))::int as n from stock_movements m join products p on p.id = m.product_id where p.sku = 'LAST50' and m.kind = 'sale'`.execute(get().db);
    assert.equal(sold.rows[0].n, 50);
    const orders = await sql<{ status: string; n: number }>`select status, count(*)::int as n from orders o join order_lines l on l.order_id = o.id where l.sku = 'LAST50' group by 1`.execute(get().db);
    assert.deepEqual(orders.rows, [{ status: 'confirmed', n: 50 }], 'refused checkouts leave no order behind');
    assert.deepEqual(await services.inventory.checkLedger(), []);
    console.log(`# [${kind}] 200 concurrent checkouts of 50 units: ${Date.now() - t0} ms`);
  });

  test('pending payments hold exactly what is reserved: no oversell, no lost reservation', { timeout: 300_000 }, async () => {
    const results = await Promise.allSettled(Array.from({ length: 120 }, (_, i) => shop.checkout.checkout({ ...buyer(i), provider: 'deferred', lines: [{ sku: 'PEND', qty: 1 + (i % 3) }] })));
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof shop.checkout.checkout>>> => r.status === 'fulfilled');
    const lv = await level('PEND');
    assert.equal(lv.on_hand, 50, 'nothing sold while payment is pending');
    assert.ok(lv.reserved <= 50 && lv.reserved >= 48, `reserved ${lv.reserved}`); // the leftovers are < the smallest refused qty
    assert.equal(await heldQty('PEND'), lv.reserved, 'every reserved unit belongs to a held reservation');
    assert.ok(ok.every((r) => r.value.status === 'pending'));
    // A plain sale cannot take reserved units.
    await assert.rejects(services.inventory.recordSale(SYSTEM, { location: 'WEB', lines: [{ sku: 'PEND', qty: 50 - lv.reserved + 1 }] }), (e: unknown) => e instanceof AppError && e.kind === 'insufficient_stock');
    // Pay half of them; the others fail: stock = 50 − paid units, nothing left reserved.
    let paid = 0;
    for (const [i, r] of ok.entries()) {
      const o = await get().db.selectFrom('orders').select(['id', 'payment_ref']).where('ref', '=', r.value.ref).executeTakeFirstOrThrow();
      deferred.outcomes.set(o.payment_ref!, i % 2 ? 'paid' : 'failed');
      await shop.checkout.sync(o.id);
      if (i % 2) paid += (await get().db.selectFrom('order_lines').select('qty').where('order_id', '=', o.id).executeTakeFirstOrThrow()).qty;
    }
    assert.deepEqual(await level('PEND'), { on_hand: 50 - paid, reserved: 0 });
    assert.equal(await heldQty('PEND'), 0);
    assert.deepEqual(await services.inventory.checkLedger(), []);
  });

  test('a failed payment releases the reservation and leaves stock unchanged', async () => {
    const r = await shop.checkout.checkout({ ...buyer(1), provider: 'deferred', lines: [{ sku: 'FAIL', qty: 5 }] });
    assert.deepEqual(await level('FAIL'), { on_hand: 5, reserved: 5 });
    await assert.rejects(shop.checkout.checkout({ ...buyer(2), provider: 'in_store', lines: [{ sku: 'FAIL', qty: 1 }] }), /FAIL has 0 available/);
    await shop.checkout.applyOutcome(r.id, 'failed');
    assert.deepEqual(await level('FAIL'), { on_hand: 5, reserved: 0 });
    const o = await shop.orders.detail(r.id);
    assert.equal(o.status, 'failed');
    assert.deepEqual(o.reservations.map((x) => x.state), ['released']);
    assert.ok(deferred.cancelled.length > 0, 'the declined payment is closed at the provider');
    // A late "paid" for a failed order whose stock is still there sells it (the customer has paid).
    const again = await shop.checkout.checkout({ ...buyer(3), provider: 'in_store', lines: [{ sku: 'FAIL', qty: 1 }] });
    assert.equal(again.status, 'confirmed');
    assert.deepEqual(await level('FAIL'), { on_hand: 4, reserved: 0 });
  });

  test('an expired reservation is released by the sweeper; a paid one is sold instead', async () => {
    const a = await shop.checkout.checkout({ ...buyer(1), provider: 'deferred', lines: [{ sku: 'EXP', qty: 2 }] });
    const b = await shop.checkout.checkout({ ...buyer(2), provider: 'deferred', lines: [{ sku: 'EXP', qty: 3 }] });
    assert.deepEqual(await level('EXP'), { on_hand: 5, reserved: 5 });
    assert.deepEqual(await shop.checkout.releaseExpired(new Date()), { expired: 0, confirmed: 0 }, 'nothing is due yet');
    const refB = (await get().db.selectFrom('orders').select('payment_ref').where('id', '=', b.id).executeTakeFirstOrThrow()).payment_ref!;
    deferred.outcomes.set(refB, 'paid');
    const r = await shop.checkout.releaseExpired(new Date(Date.now() + 16 * 60_000));
    assert.ok(r.expired >= 1 && r.confirmed === 1, JSON.stringify(r));
    assert.deepEqual(await level('EXP'), { on_hand: 2, reserved: 0 });
    assert.equal((await shop.orders.detail(a.id)).status, 'expired');
    assert.equal((await shop.orders.detail(b.id)).status, 'confirmed');
  });

  test('sizes of a style show their own stock; a refund posts return movements', async () => {
    const loc = await shop.locationId();
    const p = await shop.catalog.product(loc, 'TEE-M');
    assert.deepEqual(p.variants.map((v) => [v.size, v.available, v.status]), [['S', 2, 'low'], ['M', 0, 'out']]);
    const list = await shop.catalog.list(loc, { q: 'tee', page: 1, pageSize: 10 });
    assert.equal(list.items.length, 1, 'one card per style');
    assert.deepEqual(list.items[0].sizes, ['S'], 'sizes in stock');
    const o = await shop.checkout.checkout({ ...buyer(9), provider: 'in_store', lines: [{ sku: 'REF', qty: 3 }] });
    await assert.rejects(shop.checkout.refund(SYSTEM, o.id, { lines: [{ sku: 'REF', qty: 4 }] }), /only 3 of REF/);
    const part = await shop.checkout.refund(SYSTEM, o.id, { lines: [{ sku: 'REF', qty: 1 }] });
    assert.equal(part.status, 'partially_refunded');
    const rest = await shop.checkout.refund(SYSTEM, o.id, {});
    assert.equal(rest.status, 'refunded');
    assert.equal(rest.amount, 40);
    assert.deepEqual(await level('REF'), { on_hand: 10, reserved: 0 });
    const d = await shop.orders.detail(o.id);
    assert.deepEqual(d.movements.map((m) => [m.kind, m.qty]), [['sale', -3], ['return', 1], ['return', 2]]);
    await assert.rejects(shop.checkout.refund(SYSTEM, o.id, {}), /only confirmed orders/);
  });

  test('sale prices from a running promotion (markdown capability)', async () => {
    const { db } = get();
    const loc = await shop.locationId();
    const promos = promotionsServiceOf(services);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const promo = await promos.create(SYSTEM, { sku: 'REF', kind: 'percent', value: 25, endsOn: tomorrow });
    const p = await shop.catalog.product(loc, 'REF');
    assert.deepEqual([p.listPrice, p.price, p.onSale], [20, 15, true]);
    const o = await shop.checkout.checkout({ ...buyer(4), provider: 'in_store', lines: [{ sku: 'REF', qty: 2 }] });
    assert.equal(o.total, 30);
    const ev = await db.selectFrom('outbox_events').select(['payload']).where('type', '=', 'order.created').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual((ev.payload as { lines: unknown[] }).lines, [{ sku: 'REF', qty: 2, unitPrice: 15 }], 'order.created carries the sale price');
    await promos.cancel(SYSTEM, promo.id);
    const after = await shop.catalog.product(loc, 'REF');
    assert.deepEqual([after.price, after.onSale], [20, false], 'a cancelled promotion ends the sale price');
  });

  test('the shop location: first warehouse until a shop.location setting names another', async () => {
    const other = createStorefront(createServices(get()), {});
    assert.equal((await other.checkout.shopLocation()).code, 'WEB');
    await services.catalog.createLocation(SYSTEM, { code: 'FASH', name: 'Clothing store', kind: 'store' });
    await get().db.insertInto('settings').values({ key: 'shop.location', value: JSON.stringify('FASH') }).execute();
    assert.equal((await other.checkout.shopLocation()).code, 'FASH', 'a later setting takes over without a restart');
    await get().db.deleteFrom('settings').where('key', '=', 'shop.location').execute();
    assert.equal((await other.checkout.shopLocation()).code, 'FASH', 'a configured choice is kept');
  });
});
