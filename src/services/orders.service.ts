import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { OrderStatus } from '../db/schema/storefront.ts';
import { receiptHtml, type ReceiptOrder } from '../domain/storefront/receipt.ts';
import { AppError } from '../errors.ts';
import { sha256 } from './checkout.service.ts';

export interface OrderListQuery {
  status?: OrderStatus | 'open';
  q?: string;
  customerId?: number;
  page: number;
  pageSize: number;
}

/** Reading orders: the dashboard's list and detail, a customer's history, receipts. */
export class OrdersService {
  constructor(private readonly db: Kysely<DB>) {}

  async list(q: OrderListQuery) {
    let qb = this.db.selectFrom('orders as o');
    if (q.status === 'open') qb = qb.where('o.status', 'in', ['pending', 'confirmed']);
    else if (q.status) qb = qb.where('o.status', '=', q.status);
    if (q.customerId !== undefined) qb = qb.where('o.customer_id', '=', q.customerId);
    if (q.q) {
      const like = `%${q.q.trim().toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      qb = qb.where((eb) => eb.or([eb(sql`lower(o.ref)`, 'like', like), eb('o.email', 'like', like), eb(sql`lower(o.name)`, 'like', like)]));
    }
    const [rows, count] = await Promise.all([
      qb
        .select([
          'o.id', 'o.ref', 'o.name', 'o.email', 'o.status', 'o.payment_provider as paymentProvider', 'o.payment_status as paymentStatus',
          'o.currency', 'o.total', 'o.refunded_total as refundedTotal', 'o.created_at as createdAt', 'o.expires_at as expiresAt', 'o.sale_id as saleId',
          sql<number>`(select coalesce(sum(qty), 0)::int from order_lines l where l.order_id = o.id)`.as('units'),
        ])
        .orderBy('o.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows, total: Number(count.n), page: q.page, pageSize: q.pageSize };
  }

  async detail(id: number) {
    const o = await this.db
      .selectFrom('orders as o')
      .innerJoin('locations as l', 'l.id', 'o.location_id')
      .leftJoin('customers as c', 'c.id', 'o.customer_id')
      .selectAll('o')
      .select(['l.code as location', 'c.code as customerCode'])
      .where('o.id', '=', id)
      .executeTakeFirst();
    if (!o) throw new AppError('not_found', `order ${id} does not exist`, 'id');
    const [lines, reservations, movements, history] = await Promise.all([
      this.db.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('line').execute(),
      this.db
        .selectFrom('reservations as r')
        .innerJoin('products as p', 'p.id', 'r.product_id')
        .select(['r.id', 'p.sku', 'r.qty', 'r.state', 'r.expires_at as expiresAt', 'r.created_at as createdAt', 'r.closed_at as closedAt'])
        .where('r.order_id', '=', id)
        .orderBy('r.id')
        .execute(),
      o.sale_id
        ? this.db
            .selectFrom('stock_movements as m')
            .innerJoin('products as p', 'p.id', 'm.product_id')
            .select(['m.id', 'p.sku', 'm.kind', 'm.qty', 'm.balance_after as balanceAfter', 'm.unit_price as unitPrice', 'm.actor', 'm.occurred_at as occurredAt', 'm.reason'])
            .where('m.sale_id', '=', o.sale_id)
            .orderBy('m.id')
            .execute()
        : [],
      this.db.selectFrom('audit_log').select(['at', 'actor', 'action', 'after']).where('entity', '=', 'order').where('entity_id', '=', String(id)).orderBy('id').execute(),
    ]);
    return {
      id: o.id,
      ref: o.ref,
      name: o.name,
      email: o.email,
      address: o.address,
      customer: o.customerCode,
      location: o.location,
      status: o.status,
      paymentProvider: o.payment_provider,
      paymentStatus: o.payment_status,
      paymentRef: o.payment_ref,
      currency: o.currency,
      subtotal: Number(o.subtotal),
      total: Number(o.total),
      refundedTotal: Number(o.refunded_total),
      saleId: o.sale_id,
      note: o.note,
      createdAt: o.created_at,
      expiresAt: o.expires_at,
      confirmedAt: o.confirmed_at,
      lines: lines.map((l) => ({ line: l.line, sku: l.sku, name: l.name, qty: l.qty, listPrice: Number(l.list_price), unitPrice: Number(l.unit_price), refundedQty: l.refunded_qty })),
      reservations,
      movements,
      history,
    };
  }

  async idOfRef(ref: string): Promise<number> {
    const o = await this.db.selectFrom('orders').select('id').where('ref', '=', ref.toUpperCase()).executeTakeFirst();
    if (!o) throw new AppError('not_found', `order ${ref} does not exist`, 'ref');
    return o.id;
  }

  /** The order a shopper may see: their own (signed in) or with the key from the confirmation link. */
  async forShopper(ref: string, who: { customerId?: number | null; key?: string }) {
    const o = await this.db.selectFrom('orders').select(['id', 'customer_id', 'access_hash']).where('ref', '=', ref.toUpperCase()).executeTakeFirst();
    const mine = o && ((who.customerId && o.customer_id === who.customerId) || (who.key && sha256(who.key) === o.access_hash));
    if (!o || !mine) throw new AppError('not_found', `order ${ref} not found`, 'ref');
    const d = await this.detail(o.id);
    // Shoppers see their order, not the ledger or the audit trail.
    const { movements: _m, history: _h, reservations: _r, paymentRef: _p, customer: _c, ...pub } = d;
    return pub;
  }

  receipt(o: ReceiptOrder): string {
    return receiptHtml(o);
  }
}
