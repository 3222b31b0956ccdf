import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { CartError, normaliseCart, orderRef, orderTotals, round2, type CartLine } from '../domain/storefront/cart.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { emitEvent } from './outbox.ts';
import type { InventoryService } from './inventory.service.ts';
import type { PaymentProvider } from './payments/provider.ts';
import { effectivePrices } from './pricing.ts';
import { inTransaction } from './transaction.ts';

type Trx = Transaction<DB>;
/** Who the shop's own writes are recorded as (sales, reservations, releases). */
export const SHOP: Actor = { id: null, label: 'shop', role: 'system' };
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface CheckoutInput {
  lines: CartLine[];
  email: string;
  name: string;
  address?: string;
  provider: string;
  customerId?: number | null;
}

export interface CheckoutResult {
  id: number;
  ref: string;
  /** Lets a guest open the confirmation page and receipt (only its hash is stored). */
  accessKey: string;
  status: string;
  paymentStatus: string;
  total: number;
  currency: string;
  clientSecret?: string;
  expiresAt: Date;
}

export interface CheckoutSettings {
  locationCode: string;
  currency: string;
  reservationMinutes: number;
}

/**
 * Checkout: reserve → pay → sell (or release). The reservation is one conditional UPDATE of stock_levels
 * (reserved + qty where on_hand − reserved ≥ qty) in the order's transaction, so two shoppers can never hold
 * the same unit: PostgreSQL re-checks the condition on the latest row version after waiting for the row lock.
 * Payment runs outside any transaction; its result converts the reservation into sale movements (through
 * InventoryService.saleIn, in one transaction with the reservation's release) or releases it.
 */
export class CheckoutService {
  private resolved: { id: number; code: string } | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly inventory: InventoryService,
    readonly providers: Map<string, PaymentProvider>,
    readonly settings: CheckoutSettings,
  ) {}

  /**
   * Where the shop sells from: SHOP_LOCATION, else the shop.location setting (the demo sets it), else the first
   * warehouse, else the first location. Only a configured choice is remembered: a fallback is looked up again
   * next time, so a setting written later (the demo loads in the background) takes over without a restart.
   */
  async shopLocation(): Promise<{ id: number; code: string }> {
    if (this.resolved) return this.resolved;
    let code = this.settings.locationCode;
    let fixed = Boolean(code);
    if (!code) {
      const set = await this.db.selectFrom('settings').select('value').where('key', '=', 'shop.location').executeTakeFirst();
      if (typeof set?.value === 'string') [code, fixed] = [set.value, true];
    }
    if (!code) {
      const d = await this.db.selectFrom('locations').select('code').orderBy((eb) => eb.case().when('kind', '=', 'warehouse').then(0).else(1).end()).orderBy('id').executeTakeFirst();
      if (!d) throw new AppError('not_found', 'the shop has no location to sell from yet: create one (shelfwise location add) or set SHOP_LOCATION', 'location');
      code = d.code;
    }
    const l = await this.db.selectFrom('locations').select('id').where('code', '=', code).executeTakeFirst();
    if (!l) throw new AppError('not_found', `the shop location ${code} does not exist (SHOP_LOCATION)`, 'location');
    const r = { id: l.id, code };
    if (fixed) this.resolved = r;
    return r;
  }

  async checkout(input: CheckoutInput): Promise<CheckoutResult> {
    const provider = this.providers.get(input.provider);
    if (!provider) throw new AppError('invalid', `unknown payment method ${input.provider}; available: ${[...this.providers.keys()].join(', ')}`, 'provider');
    let lines: CartLine[];
    try {
      lines = normaliseCart(input.lines);
    } catch (e) {
      if (e instanceof CartError) throw new AppError('invalid', e.message, e.field);
      throw e;
    }
    const loc = await this.shopLocation();
    const products = await this.db.selectFrom('products').select(['id', 'sku', 'name', 'status']).where('sku', 'in', lines.map((l) => l.sku)).execute();
    const bySku = new Map(products.map((p) => [p.sku, p]));
    lines.forEach((l, i) => {
      const p = bySku.get(l.sku);
      if (!p) throw new AppError('not_found', `unknown product ${l.sku}`, `lines.${i}.sku`);
      if (p.status !== 'active') throw new AppError('invalid', `${l.sku} is no longer sold`, `lines.${i}.sku`);
    });
    const prices = await effectivePrices(this.db, products.map((p) => p.id));
    const priced = lines.map((l, i) => {
      const p = bySku.get(l.sku)!;
      const pr = prices.get(p.id)!;
      return { line: i + 1, productId: p.id, sku: p.sku, name: p.name, qty: l.qty, listPrice: pr.listPrice, unitPrice: pr.price };
    });
    const totals = orderTotals(priced);
    const accessKey = randomBytes(18).toString('base64url');
    const ref = orderRef(randomBytes(10));
    const expiresAt = new Date(Date.now() + this.settings.reservationMinutes * 60_000);

    const order = await inTransaction(this.db, async (trx) => {
      const o = await trx
        .insertInto('orders')
        .values({
          ref,
          customer_id: input.customerId ?? null,
          email: input.email.trim().toLowerCase(),
          name: input.name.trim(),
          address: input.address?.trim() || null,
          location_id: loc.id,
          payment_provider: provider.name,
          access_hash: sha256(accessKey),
          currency: this.settings.currency,
          subtotal: totals.subtotal,
          total: totals.total,
          expires_at: expiresAt,
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await this.reserve(trx, o.id, loc.id, priced, expiresAt);
      await trx
        .insertInto('order_lines')
        .values(priced.map((p) => ({ order_id: o.id, line: p.line, product_id: p.productId, sku: p.sku, name: p.name, qty: p.qty, list_price: p.listPrice, unit_price: p.unitPrice })))
        .execute();
      await audit(trx, { ...SHOP, label: `shop:${input.email}` }, 'order.create', 'order', o.id, null, { ref, total: totals.total, provider: provider.name, lines: lines });
      return o;
    });

    let started;
    try {
      started = await provider.start({ ref, total: totals.total, currency: this.settings.currency, email: input.email });
    } catch (e) {
      log.warn('payment could not start; releasing the reservation', { ref, error: String((e as Error).message) });
      await this.release(order.id, 'failed', `payment could not start: ${(e as Error).message}`);
      throw new AppError('conflict', 'the payment could not be started; nothing was charged and the items were released. Please try again', 'provider');
    }
    if (started.paymentRef) await this.db.updateTable('orders').set({ payment_ref: started.paymentRef, updated_at: new Date() }).where('id', '=', order.id).execute();
    let status = 'pending';
    let paymentStatus = 'pending';
    if (started.status === 'due' || started.status === 'paid') {
      await this.confirm(order.id, started.status);
      status = 'confirmed';
      paymentStatus = started.status;
    } else if (started.status === 'failed') {
      await this.release(order.id, 'failed', 'payment declined');
      status = 'failed';
      paymentStatus = 'failed';
    }
    return { id: order.id, ref, accessKey, status, paymentStatus, total: totals.total, currency: this.settings.currency, clientSecret: started.clientSecret, expiresAt };
  }

  /** Holds the units: all lines or none (insufficient_stock names every short line). */
  private async reserve(trx: Trx, orderId: number, locationId: number, lines: { productId: number; sku: string; qty: number }[], expiresAt: Date) {
    const sorted = [...lines].sort((a, b) => a.productId - b.productId); // one lock order for every checkout
    const got = await sql<{ product_id: number }>`
      update stock_levels s set reserved = s.reserved + d.qty
      from unnest(${sorted.map((l) => l.productId)}::int[], ${sorted.map((l) => l.qty)}::int[]) as d(product_id, qty)
      where s.product_id = d.product_id and s.location_id = ${locationId} and s.on_hand - s.reserved >= d.qty
      returning s.product_id`.execute(trx);
    if (got.rows.length < lines.length) {
      const ok = new Set(got.rows.map((r) => r.product_id));
      const short = lines.filter((l) => !ok.has(l.productId));
      const avail = await trx
        .selectFrom('stock_levels')
        .select(['product_id', sql<number>`greatest(on_hand - reserved, 0)`.as('available')])
        .where('location_id', '=', locationId)
        .where('product_id', 'in', short.map((s) => s.productId))
        .execute();
      const a = new Map(avail.map((x) => [x.product_id, x.available]));
      const items = short.map((s) => ({ sku: s.sku, available: a.get(s.productId) ?? 0, requested: s.qty }));
      throw new AppError('insufficient_stock', `not enough stock: ${items[0].sku} has ${items[0].available} available, ${items[0].requested} requested`, 'lines', { items });
    }
    await trx
      .insertInto('reservations')
      .values(lines.map((l) => ({ order_id: orderId, product_id: l.productId, location_id: locationId, qty: l.qty, expires_at: expiresAt })))
      .execute();
  }

  /** Takes held reservations off stock_levels.reserved and marks them; returns what was held. */
  private async closeReservations(trx: Trx, orderId: number, state: 'converted' | 'released' | 'expired') {
    const held = await trx
      .updateTable('reservations')
      .set({ state, closed_at: new Date() })
      .where('order_id', '=', orderId)
      .where('state', '=', 'held')
      .returning(['product_id', 'location_id', 'qty'])
      .execute();
    if (held.length) {
      await sql`
        update stock_levels s set reserved = s.reserved - d.qty
        from unnest(${held.map((h) => h.product_id)}::int[], ${held.map((h) => h.location_id)}::int[], ${held.map((h) => h.qty)}::int[]) as d(product_id, location_id, qty)
        where s.product_id = d.product_id and s.location_id = d.location_id`.execute(trx);
    }
    return held;
  }

  /**
   * Payment succeeded (or is due in store): reservation → sale movements in one transaction. Repeat calls are
   * harmless. A payment that lands after its reservation expired still sells if the stock is there; otherwise the
   * order keeps status expired with a note to refund it.
   */
  async confirm(orderId: number, paymentStatus: 'due' | 'paid', actor: Actor = SHOP): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const o = await trx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
      if (!o) throw new AppError('not_found', `order ${orderId} does not exist`, 'id');
      if (o.status === 'confirmed' || o.status === 'refunded' || o.status === 'partially_refunded') {
        if (paymentStatus === 'paid' && o.payment_status !== 'paid') await trx.updateTable('orders').set({ payment_status: 'paid', updated_at: new Date() }).where('id', '=', orderId).execute();
        return;
      }
      const late = o.status !== 'pending';
      await this.closeReservations(trx, orderId, 'converted');
      const lines = await trx.selectFrom('order_lines').select(['sku', 'qty', 'unit_price']).where('order_id', '=', orderId).orderBy('line').execute();
      const loc = await trx.selectFrom('locations').select('code').where('id', '=', o.location_id).executeTakeFirstOrThrow();
      const customer = o.customer_id ? (await trx.selectFrom('customers').select('code').where('id', '=', o.customer_id).executeTakeFirst())?.code : undefined;
      try {
        const sale = await this.inventory.saleIn(trx, actor, {
          location: loc.code,
          customer,
          orderRef: o.ref,
          channel: 'online',
          lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: Number(l.unit_price) })),
        });
        await trx
          .updateTable('orders')
          .set({ status: 'confirmed', payment_status: paymentStatus, sale_id: sale.id, confirmed_at: new Date(), updated_at: new Date() })
          .where('id', '=', orderId)
          .execute();
        await audit(trx, actor, 'order.confirm', 'order', orderId, { status: o.status }, { status: 'confirmed', paymentStatus, saleId: sale.id, late });
        await emitEvent(trx, 'order.created', { id: orderId, ref: o.ref, location: loc.code, customer: customer ?? null, paymentStatus, saleId: sale.id, lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: Number(l.unit_price) })) });
      } catch (e) {
        if (!(late && e instanceof AppError && e.kind === 'insufficient_stock')) throw e;
        await trx.updateTable('orders').set({ payment_status: 'paid', note: 'paid after the reservation ended and the stock is gone: refund the customer', updated_at: new Date() }).where('id', '=', orderId).execute();
      }
    });
  }

  /** Payment failed, was cancelled or the reservation timed out: stock back to available. Only pending orders change. */
  async release(orderId: number, to: 'failed' | 'expired' | 'cancelled', reason: string, actor: Actor = SHOP): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const o = await trx.selectFrom('orders').select(['id', 'status']).where('id', '=', orderId).forUpdate().executeTakeFirst();
      if (!o) throw new AppError('not_found', `order ${orderId} does not exist`, 'id');
      if (o.status !== 'pending') return false;
      const held = await this.closeReservations(trx, orderId, to === 'expired' ? 'expired' : 'released');
      await trx
        .updateTable('orders')
        .set({ status: to, payment_status: to === 'failed' ? 'failed' : 'pending', note: reason, updated_at: new Date() })
        .where('id', '=', orderId)
        .execute();
      await audit(trx, actor, `order.${to === 'expired' ? 'expire' : to === 'failed' ? 'fail' : 'cancel'}`, 'order', orderId, { status: 'pending' }, { status: to, reason, released: held.length });
      return true;
    });
  }

  /**
   * The sweeper: pending orders past their expiry. Each one's provider is asked first (a card payment that
   * went through just now is sold, not released) and told to cancel, then its reservation is released.
   */
  async releaseExpired(now = new Date(), limit = 500): Promise<{ expired: number; confirmed: number }> {
    const due = await this.db.selectFrom('orders').select(['id', 'payment_provider', 'payment_ref']).where('status', '=', 'pending').where('expires_at', '<', now).orderBy('expires_at').limit(limit).execute();
    let expired = 0;
    let confirmed = 0;
    for (const o of due) {
      const p = this.providers.get(o.payment_provider);
      if (p && o.payment_ref) {
        try {
          if ((await p.outcome(o.payment_ref)) === 'paid') {
            await this.confirm(o.id, 'paid');
            confirmed++;
            continue;
          }
          await p.cancel(o.payment_ref);
        } catch (e) {
          log.warn('could not reach the payment provider for an expired order; releasing anyway', { orderId: o.id, error: String((e as Error).message) });
        }
      }
      if (await this.release(o.id, 'expired', 'payment not completed in time')) expired++;
    }
    return { expired, confirmed };
  }

  /** Applies a payment outcome reported by the provider (webhook or a status check). */
  async applyOutcome(orderId: number, outcome: 'paid' | 'failed' | 'cancelled' | 'pending'): Promise<void> {
    if (outcome === 'paid') await this.confirm(orderId, 'paid');
    else if (outcome === 'failed' || outcome === 'cancelled') {
      const o = await this.db.selectFrom('orders').select(['payment_provider', 'payment_ref']).where('id', '=', orderId).executeTakeFirst();
      if (await this.release(orderId, outcome, outcome === 'failed' ? 'payment declined' : 'payment cancelled')) {
        // A declined PaymentIntent could be retried with another card; its stock is gone, so close it.
        const p = o && this.providers.get(o.payment_provider);
        if (p && o?.payment_ref && outcome === 'failed') await p.cancel(o.payment_ref).catch(() => undefined);
      }
    }
  }

  /** A verified webhook delivery: applied once per event id. */
  async handleWebhook(providerName: string, rawBody: string, signature: string | undefined): Promise<{ received: true; duplicate: boolean; orderRef: string | null }> {
    const p = this.providers.get(providerName);
    if (!p?.parseWebhook) throw new AppError('not_found', `no webhook for payment provider ${providerName}`, 'provider');
    const ev = await p.parseWebhook(rawBody, signature);
    const seen = await this.db.selectFrom('payment_events').select('event_id').where('provider', '=', p.name).where('event_id', '=', ev.eventId).executeTakeFirst();
    if (seen) return { received: true, duplicate: true, orderRef: ev.orderRef };
    let q = this.db.selectFrom('orders').select(['id', 'ref']).where('payment_provider', '=', p.name);
    q = ev.paymentRef ? q.where('payment_ref', '=', ev.paymentRef) : q.where('ref', '=', ev.orderRef ?? '');
    const order = ev.paymentRef || ev.orderRef ? await q.executeTakeFirst() : undefined;
    if (order && ev.outcome) await this.applyOutcome(order.id, ev.outcome);
    // Recorded after applying: applying twice is harmless, missing one is not.
    await this.db.insertInto('payment_events').values({ provider: p.name, event_id: ev.eventId, type: ev.type, order_id: order?.id ?? null }).onConflict((oc) => oc.doNothing()).execute();
    return { received: true, duplicate: false, orderRef: order?.ref ?? ev.orderRef };
  }

  /** Asks the provider where a pending order's payment stands and applies it (the return page calls this). */
  async sync(orderId: number): Promise<void> {
    const o = await this.db.selectFrom('orders').select(['status', 'payment_provider', 'payment_ref']).where('id', '=', orderId).executeTakeFirst();
    if (!o || o.status !== 'pending' || !o.payment_ref) return;
    const p = this.providers.get(o.payment_provider);
    if (p) await this.applyOutcome(orderId, await p.outcome(o.payment_ref));
  }

  /** Refund (all, or some lines): return movements on the order's sale, the order's refund totals, money back. */
  async refund(actor: Actor, orderId: number, r: { lines?: { sku: string; qty: number }[]; reason?: string }) {
    return inTransaction(this.db, async (trx) => {
      const o = await trx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
      if (!o) throw new AppError('not_found', `order ${orderId} does not exist`, 'id');
      if (!o.sale_id || !['confirmed', 'partially_refunded'].includes(o.status)) throw new AppError('conflict', `order ${o.ref} is ${o.status}: only confirmed orders can be refunded`, 'id');
      const ol = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('line').execute();
      const want = r.lines?.length ? r.lines : ol.filter((l) => l.qty > l.refunded_qty).map((l) => ({ sku: l.sku, qty: l.qty - l.refunded_qty }));
      if (want.length === 0) throw new AppError('conflict', `order ${o.ref} is already fully refunded`, 'lines');
      let amount = 0;
      want.forEach((w, i) => {
        const l = ol.find((x) => x.sku === w.sku);
        if (!l) throw new AppError('invalid', `${w.sku} is not on order ${o.ref}`, `lines.${i}.sku`);
        if (!Number.isInteger(w.qty) || w.qty <= 0) throw new AppError('invalid', 'quantity must be a positive whole number', `lines.${i}.qty`);
        if (w.qty > l.qty - l.refunded_qty) throw new AppError('invalid', `only ${l.qty - l.refunded_qty} of ${w.sku} can still be refunded`, `lines.${i}.qty`);
        l.refunded_qty += w.qty;
        amount += w.qty * Number(l.unit_price);
      });
      amount = round2(amount);
      const ret = await this.inventory.returnIn(trx, actor, o.sale_id, { lines: want, reason: r.reason ?? `refund of order ${o.ref}` });
      for (const l of ol) await trx.updateTable('order_lines').set({ refunded_qty: l.refunded_qty }).where('order_id', '=', orderId).where('line', '=', l.line).execute();
      const all = ol.every((l) => l.refunded_qty === l.qty);
      const refundedTotal = round2(Number(o.refunded_total) + amount);
      await trx
        .updateTable('orders')
        .set({ status: all ? 'refunded' : 'partially_refunded', payment_status: all && o.payment_status === 'paid' ? 'refunded' : o.payment_status, refunded_total: refundedTotal, updated_at: new Date() })
        .where('id', '=', orderId)
        .execute();
      await audit(trx, actor, 'order.refund', 'order', orderId, { status: o.status, refundedTotal: Number(o.refunded_total) }, { status: all ? 'refunded' : 'partially_refunded', amount, lines: want });
      // Money last, inside the transaction: if the provider refuses, nothing above is kept.
      const p = this.providers.get(o.payment_provider);
      if (p && o.payment_ref && o.payment_status === 'paid') await p.refund(o.payment_ref, amount, o.currency, `shelfwise-refund-${o.ref}-${refundedTotal}`);
      return { orderId, ref: o.ref, amount, status: all ? 'refunded' : 'partially_refunded', movements: ret.movements };
    });
  }

  /** In-store payment taken at the till. */
  async markPaid(actor: Actor, orderId: number) {
    return inTransaction(this.db, async (trx) => {
      const o = await trx.selectFrom('orders').select(['status', 'payment_status', 'ref']).where('id', '=', orderId).forUpdate().executeTakeFirst();
      if (!o) throw new AppError('not_found', `order ${orderId} does not exist`, 'id');
      if (o.payment_status !== 'due') throw new AppError('conflict', `order ${o.ref} has payment ${o.payment_status}, not due`, 'id');
      await trx.updateTable('orders').set({ payment_status: 'paid', updated_at: new Date() }).where('id', '=', orderId).execute();
      await audit(trx, actor, 'order.paid', 'order', orderId, { paymentStatus: 'due' }, { paymentStatus: 'paid' });
      return { id: orderId, ref: o.ref, paymentStatus: 'paid' };
    });
  }
}
