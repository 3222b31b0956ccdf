import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import {
  addToLevels,
  insertMovements,
  ledgerImbalances,
  openLowStockAlerts,
  type MovementRow,
  type SaleHeader,
} from '../db/repositories/stock.repository.ts';
import { balancesAfter, checkSign, crossedBelow, netByItem, type MovementKind } from '../domain/inventory/movement-rules.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { emitEvent } from './outbox.ts';
import { idempotent, inTransaction } from './transaction.ts';

type Trx = Transaction<DB>;

export interface PostedMovement {
  id: number;
  sku: string;
  location: string;
  kind: MovementKind;
  qty: number;
  balanceAfter: number;
}

export interface MovementLineInput {
  sku: string;
  location: string;
  kind: 'receipt' | 'adjustment' | 'write_off' | 'opening';
  qty: number;
  unitCost?: number;
  reason?: string;
}

export interface SaleInput {
  location: string;
  customer?: string;
  orderRef?: string;
  channel?: string;
  occurredAt?: Date;
  lines: { sku: string; qty: number; unitPrice?: number }[];
}

/** The stock ledger: every change is an appended movement; levels change in the same transaction. */
export class InventoryService {
  constructor(private readonly db: Kysely<DB>) {}

  async postMovements(actor: Actor, lines: MovementLineInput[], occurredAt?: Date, key?: string) {
    if (lines.length === 0) throw new AppError('invalid', 'at least one line is needed', 'lines');
    return idempotent(this.db, actor, key, { op: 'movements', lines, occurredAt }, (trx) => this.postMovementsIn(trx, actor, lines, occurredAt));
  }

  /**
   * postMovements inside the caller's transaction, for capabilities that write their own rows with the movements
   * (purchase-order receipts, inspection batches). Any ledger kind, sign-checked; available stock cannot go below zero.
   */
  async postMovementsIn(trx: Trx, actor: Actor, lines: (Omit<MovementLineInput, 'kind'> & { kind: MovementKind })[], occurredAt?: Date): Promise<PostedMovement[]> {
    const { products, locations } = await this.resolve(trx, lines.map((l) => l.sku), lines.map((l) => l.location));
    const at = occurredAt ?? new Date();
    const rows: MovementRow[] = lines.map((l, i) => {
      try {
        checkSign(l.kind, l.qty);
      } catch (e) {
        throw withField(e, `lines.${i}.qty`);
      }
      const p = products.get(l.sku)!;
      return row(p.id, locations.get(l.location)!.id, l.kind, l.qty, {
        unitCost: l.unitCost ?? p.cost,
        reason: l.reason ?? null,
        occurredAt: at,
      });
    });
    return (await this.apply(trx, actor, rows, products, locations)).movements;
  }

  async transfer(actor: Actor, t: { sku: string; from: string; to: string; qty: number; reason?: string }, key?: string) {
    if (t.from === t.to) throw new AppError('invalid', 'a transfer needs two different locations', 'to');
    if (!Number.isInteger(t.qty) || t.qty <= 0) throw new AppError('invalid', 'quantity must be a positive integer', 'qty');
    return idempotent(this.db, actor, key, { op: 'transfer', ...t }, async (trx) => {
      const { products, locations } = await this.resolve(trx, [t.sku], [t.from, t.to], () => 'sku');
      const p = products.get(t.sku)!;
      const ref = randomUUID();
      const at = new Date();
      const base = { unitCost: p.cost, reason: t.reason ?? null, transferRef: ref, occurredAt: at };
      const rows = [
        row(p.id, locations.get(t.from)!.id, 'transfer_out', -t.qty, base),
        row(p.id, locations.get(t.to)!.id, 'transfer_in', t.qty, base),
      ];
      return { transferRef: ref, movements: (await this.apply(trx, actor, rows, products, locations)).movements };
    });
  }

  /** A count: posts counted − on hand for each line (nothing where they agree). */
  async stocktake(actor: Actor, s: { location: string; counts: { sku: string; counted: number }[]; reason?: string }, key?: string) {
    return idempotent(this.db, actor, key, { op: 'stocktake', ...s }, async (trx) => {
      const { products, locations } = await this.resolve(trx, s.counts.map((c) => c.sku), [s.location], (i) => `counts.${i}.sku`);
      const loc = locations.get(s.location)!;
      const ids = s.counts.map((c) => products.get(c.sku)!.id);
      const current = await trx
        .selectFrom('stock_levels')
        .select(['product_id', 'on_hand'])
        .where('location_id', '=', loc.id)
        .where('product_id', 'in', ids)
        .forUpdate()
        .execute();
      const onHand = new Map(current.map((c) => [c.product_id, c.on_hand]));
      const at = new Date();
      const rows = s.counts
        .map((c) => ({ c, p: products.get(c.sku)!, delta: c.counted - (onHand.get(products.get(c.sku)!.id) ?? 0) }))
        .filter((x) => x.delta !== 0)
        .map((x) => row(x.p.id, loc.id, 'stocktake', x.delta, { unitCost: x.p.cost, reason: s.reason ?? 'stocktake', occurredAt: at }));
      const movements = rows.length ? (await this.apply(trx, actor, rows, products, locations, true)).movements : [];
      return { counted: s.counts.length, changed: movements.length, movements };
    });
  }

  /** Corrects a mistake: a new movement with the opposite quantity. A movement can be reversed once. */
  async reverse(actor: Actor, movementId: number, reason: string, key?: string) {
    return idempotent(this.db, actor, key, { op: 'reverse', movementId, reason }, async (trx) => {
      const m = await trx.selectFrom('stock_movements').selectAll().where('id', '=', movementId).executeTakeFirst();
      if (!m) throw new AppError('not_found', `movement ${movementId} does not exist`, 'id');
      if (m.reverses_id !== null) throw new AppError('conflict', 'a reversal cannot itself be reversed; post a new movement');
      const done = await trx.selectFrom('stock_movements').select('id').where('reverses_id', '=', movementId).executeTakeFirst();
      if (done) throw new AppError('conflict', `movement ${movementId} was already reversed by movement ${done.id}`);
      const rows = [
        row(m.product_id, m.location_id, m.kind, -m.qty, {
          unitCost: m.unit_cost,
          unitPrice: m.unit_price,
          saleId: m.sale_id,
          reversesId: m.id,
          reason: `reversal of #${m.id}: ${reason}`,
          occurredAt: new Date(),
        }),
      ];
      const { products, locations } = await this.namesOf(trx, [m.product_id], [m.location_id]);
      const [mv] = (await this.apply(trx, actor, rows, products, locations, true)).movements;
      return mv;
    });
  }

  async recordSale(actor: Actor, s: SaleInput, key?: string) {
    if (s.lines.length === 0) throw new AppError('invalid', 'a sale needs at least one line', 'lines');
    s.lines.forEach((l, i) => {
      if (!Number.isInteger(l.qty) || l.qty <= 0) throw new AppError('invalid', 'quantity must be a positive integer', `lines.${i}.qty`);
    });
    return idempotent(this.db, actor, key, { op: 'sale', ...s }, (trx) => this.saleIn(trx, actor, s));
  }

  /** recordSale inside the caller's transaction (the storefront turns a reservation into a sale atomically). */
  async saleIn(trx: Trx, actor: Actor, s: SaleInput) {
    const { products, locations } = await this.resolve(trx, s.lines.map((l) => l.sku), [s.location]);
    const loc = locations.get(s.location)!;
    const customerId = s.customer ? await this.customerId(trx, s.customer) : null;
    const at = s.occurredAt ?? new Date();
    const priced = s.lines.map((l) => ({ ...l, p: products.get(l.sku)!, unitPrice: l.unitPrice ?? products.get(l.sku)!.price }));
    const total = round2(priced.reduce((a, l) => a + l.qty * l.unitPrice, 0));
    const rows = priced.map((l) => row(l.p.id, loc.id, 'sale', -l.qty, { unitCost: l.p.cost, unitPrice: l.unitPrice, occurredAt: at }));
    const header = { locationId: loc.id, customerId, orderRef: s.orderRef ?? null, channel: s.channel ?? 'pos', occurredAt: at, total };
    const { movements, saleId } = await this.apply(trx, actor, rows, products, locations, false, header).catch((e) => {
      if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `order ${s.orderRef} was already recorded at ${s.location}`, 'orderRef');
      throw e;
    });
    return { id: saleId!, location: s.location, customer: s.customer ?? null, orderRef: s.orderRef ?? null, occurredAt: at, total, movements };
  }

  /** Returns part of a sale: at most what was sold and not yet returned, per SKU. */
  async recordReturn(actor: Actor, saleId: number, r: { lines: { sku: string; qty: number }[]; reason?: string }, key?: string) {
    if (r.lines.length === 0) throw new AppError('invalid', 'a return needs at least one line', 'lines');
    return idempotent(this.db, actor, key, { op: 'return', saleId, ...r }, (trx) => this.returnIn(trx, actor, saleId, r));
  }

  /** recordReturn inside the caller's transaction (a storefront refund updates its order in the same one). */
  async returnIn(trx: Trx, actor: Actor, saleId: number, r: { lines: { sku: string; qty: number }[]; reason?: string }) {
    const sale = await trx.selectFrom('sales').select(['id', 'location_id']).where('id', '=', saleId).forUpdate().executeTakeFirst();
    if (!sale) throw new AppError('not_found', `sale ${saleId} does not exist`, 'saleId');
    const net = await trx
      .selectFrom('stock_movements as m')
      .innerJoin('products as p', 'p.id', 'm.product_id')
      .select(['p.sku', 'm.product_id', sql<number>`(-sum(m.qty))::int`.as('open'), sql<number>`max(m.unit_price)`.as('price'), sql<number>`max(m.unit_cost)`.as('cost')])
      .where('m.sale_id', '=', saleId)
      .groupBy(['p.sku', 'm.product_id'])
      .execute();
    const bySku = new Map(net.map((n) => [n.sku, n]));
    const rows = r.lines.map((l, i) => {
      const n = bySku.get(l.sku);
      if (!n) throw new AppError('invalid', `${l.sku} is not on sale ${saleId}`, `lines.${i}.sku`);
      if (!Number.isInteger(l.qty) || l.qty <= 0) throw new AppError('invalid', 'quantity must be a positive integer', `lines.${i}.qty`);
      if (l.qty > n.open) throw new AppError('invalid', `only ${n.open} of ${l.sku} can still be returned on sale ${saleId}`, `lines.${i}.qty`);
      n.open -= l.qty;
      return row(n.product_id, sale.location_id, 'return', l.qty, {
        unitCost: n.cost,
        unitPrice: n.price,
        saleId,
        reason: r.reason ?? 'customer return',
        occurredAt: new Date(),
      });
    });
    const { products, locations } = await this.namesOf(trx, rows.map((x) => x.productId), [sale.location_id]);
    return { saleId, movements: (await this.apply(trx, actor, rows, products, locations)).movements };
  }

  async setThreshold(actor: Actor, sku: string, location: string, threshold: number | null) {
    return inTransaction(this.db, async (trx) => {
      const { products, locations } = await this.resolve(trx, [sku], [location], () => 'sku');
      const pid = products.get(sku)!.id;
      const lid = locations.get(location)!.id;
      const before = await trx.selectFrom('stock_levels').select('low_threshold').where('product_id', '=', pid).where('location_id', '=', lid).executeTakeFirst();
      await trx
        .insertInto('stock_levels')
        .values({ product_id: pid, location_id: lid, low_threshold: threshold })
        .onConflict((oc) => oc.columns(['product_id', 'location_id']).doUpdateSet({ low_threshold: threshold }))
        .execute();
      await audit(trx, actor, 'threshold.set', 'stock_level', `${sku}@${location}`, { low_threshold: before?.low_threshold ?? null }, { low_threshold: threshold });
      return { sku, location, lowThreshold: threshold };
    });
  }

  /** Items whose stored on-hand differs from the sum of their movements (empty when the ledger balances). */
  async checkLedger() {
    return ledgerImbalances(this.db);
  }

  // ————— internals —————

  /** Writes the movements and their effect on levels; throws insufficient_stock (rolling back) if any item would go negative. */
  private async apply(
    trx: Trx,
    actor: Actor,
    rows: MovementRow[],
    products: Map<string, { id: number; sku: string }>,
    locations: Map<string, { id: number; code: string }>,
    allowNegative = false,
    sale?: SaleHeader,
  ): Promise<{ movements: PostedMovement[]; saleId: number | null }> {
    const deltas = netByItem(rows);
    const skuOf = new Map([...products.values()].map((p) => [p.id, p.sku]));
    const codeOf = new Map([...locations.values()].map((l) => [l.id, l.code]));
    // Stocktakes and reversals restore the truth, so they may take an item below zero available.
    const levels = allowNegative ? await this.forceLevels(trx, deltas, rows[0].occurredAt) : await addToLevels(trx, deltas, rows[0].occurredAt as Date, rows[0].kind === 'sale');
    if (levels.length < deltas.length) {
      const got = new Set(levels.map((l) => `${l.productId}:${l.locationId}`));
      const short = deltas.filter((d) => !got.has(`${d.productId}:${d.locationId}`));
      const avail = await trx
        .selectFrom('stock_levels')
        .select(['product_id', 'location_id', sql<number>`on_hand - reserved`.as('available')])
        .where((eb) => eb.or(short.map((s) => eb.and([eb('product_id', '=', s.productId), eb('location_id', '=', s.locationId)]))))
        .execute();
      const a = new Map(avail.map((x) => [`${x.product_id}:${x.location_id}`, x.available]));
      const items = short.map((s) => ({
        sku: skuOf.get(s.productId),
        location: codeOf.get(s.locationId),
        available: a.get(`${s.productId}:${s.locationId}`) ?? 0,
        requested: -s.delta,
      }));
      const first = items[0];
      throw new AppError('insufficient_stock', `not enough stock: ${first.sku} at ${first.location} has ${first.available} available, ${first.requested} requested`, 'qty', { items });
    }
    const final = new Map(levels.map((l) => [`${l.productId}:${l.locationId}`, l.onHand]));
    const balances = balancesAfter(rows, final);
    const { ids, saleId } = await insertMovements(trx, rows, balances, actor, sale);
    const deltaOf = new Map(deltas.map((d) => [`${d.productId}:${d.locationId}`, d.delta]));
    const low = levels
      .filter((l) => {
        const after = l.onHand - l.reserved;
        return crossedBelow(after - (deltaOf.get(`${l.productId}:${l.locationId}`) ?? 0), after, l.lowThreshold);
      })
      .map((l) => ({ productId: l.productId, locationId: l.locationId, available: l.onHand - l.reserved, threshold: l.lowThreshold! }));
    await openLowStockAlerts(trx, low);
    const movements = rows.map((r, i) => ({
      id: ids[i],
      sku: skuOf.get(r.productId)!,
      location: codeOf.get(r.locationId)!,
      kind: r.kind,
      qty: r.qty,
      balanceAfter: balances[i],
    }));
    // Webhook events (issue 11), in this transaction: sent exactly when the change commits.
    await emitEvent(trx, 'stock.changed', { occurredAt: rows[0].occurredAt, actor: actor.label, saleId, movements });
    for (const l of low)
      await emitEvent(trx, 'stock.low', { sku: skuOf.get(l.productId), location: codeOf.get(l.locationId), available: l.available, threshold: l.threshold });
    return { movements, saleId };
  }

  private async forceLevels(trx: Trx, deltas: { productId: number; locationId: number; delta: number }[], at: Date) {
    const r = await sql<{ product_id: number; location_id: number; on_hand: number; reserved: number; low_threshold: number | null }>`
      insert into stock_levels as s (product_id, location_id, on_hand, last_movement_at)
      select d.product_id, d.location_id, d.delta, ${at}::timestamptz
      from unnest(${deltas.map((d) => d.productId)}::int[], ${deltas.map((d) => d.locationId)}::int[], ${deltas.map((d) => d.delta)}::int[]) as d(product_id, location_id, delta)
      on conflict (product_id, location_id) do update set on_hand = s.on_hand + excluded.on_hand, last_movement_at = excluded.last_movement_at
      returning product_id, location_id, on_hand, reserved, low_threshold`.execute(trx);
    return r.rows.map((x) => ({ productId: x.product_id, locationId: x.location_id, onHand: x.on_hand, reserved: x.reserved, lowThreshold: x.low_threshold }));
  }

  /** SKUs and location codes to ids (one query each); unknown ones are a 404 naming the first. */
  private async resolve(trx: Trx, skus: string[], codes: string[], skuField: (i: number) => string = (i) => `lines.${i}.sku`) {
    const ps = await trx.selectFrom('products').select(['id', 'sku', 'price', 'cost', 'status']).where('sku', 'in', [...new Set(skus)]).execute();
    const products = new Map(ps.map((p) => [p.sku, p]));
    const locations = await this.locationsByCode(trx, codes);
    const missingSku = skus.findIndex((s) => !products.has(s));
    if (missingSku >= 0) throw new AppError('not_found', `unknown SKU ${skus[missingSku]}`, skuField(missingSku));
    const missingLoc = codes.find((c) => !locations.has(c));
    if (missingLoc !== undefined) throw new AppError('not_found', `unknown location ${missingLoc}`, 'location');
    return { products, locations };
  }

  /** Location codes never change and locations are never deleted, so code → id is cached (a miss asks the database). */
  private locationCache = new Map<string, { id: number; code: string }>();
  private async locationsByCode(trx: Trx, codes: string[]) {
    const missing = [...new Set(codes)].filter((c) => !this.locationCache.has(c));
    if (missing.length) {
      const ls = await trx.selectFrom('locations').select(['id', 'code']).where('code', 'in', missing).execute();
      for (const l of ls) this.locationCache.set(l.code, l);
    }
    return new Map(codes.filter((c) => this.locationCache.has(c)).map((c) => [c, this.locationCache.get(c)!]));
  }

  private async namesOf(trx: Trx, productIds: number[], locationIds: number[]) {
    const [ps, ls] = await Promise.all([
      trx.selectFrom('products').select(['id', 'sku']).where('id', 'in', productIds).execute(),
      trx.selectFrom('locations').select(['id', 'code']).where('id', 'in', locationIds).execute(),
    ]);
    return { products: new Map(ps.map((p) => [p.sku, p])), locations: new Map(ls.map((l) => [l.code, l])) };
  }

  private async customerId(trx: Trx, code: string): Promise<number> {
    const c = await trx
      .insertInto('customers')
      .values({ code })
      .onConflict((oc) => oc.column('code').doUpdateSet({ code }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return c.id;
  }
}

function row(
  productId: number,
  locationId: number,
  kind: MovementKind,
  qty: number,
  o: Partial<Omit<MovementRow, 'productId' | 'locationId' | 'kind' | 'qty'>> & { occurredAt: Date },
): MovementRow {
  return {
    productId,
    locationId,
    kind,
    qty,
    unitCost: o.unitCost ?? null,
    unitPrice: o.unitPrice ?? null,
    reason: o.reason ?? null,
    saleId: o.saleId ?? null,
    reversesId: o.reversesId ?? null,
    transferRef: o.transferRef ?? null,
    occurredAt: o.occurredAt,
  };
}

function withField(e: unknown, field: string): unknown {
  return e instanceof AppError ? new AppError(e.kind, e.message, field, e.detail) : e;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
