import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export const INVENTORY_SORTS = ['sku', 'name', 'category', 'location', 'on_hand', 'reserved', 'available', 'threshold', 'last_movement_at'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

export interface InventoryQuery {
  q?: string;
  category?: string;
  location?: string;
  status?: 'active' | 'discontinued';
  alert?: 'low' | 'out' | 'negative';
  sort?: InventorySort;
  desc?: boolean;
  page: number;
  pageSize: number;
}

const sortColumn: Record<InventorySort, string> = {
  sku: 'sku',
  name: 'name',
  category: 'category',
  location: 'location_code',
  on_hand: 'on_hand',
  reserved: 'reserved',
  available: '(on_hand - reserved)',
  threshold: 'low_threshold',
  last_movement_at: 'last_movement_at',
};

/** Above this many matching rows the listing's total is PostgreSQL's estimate (like "about 50,000"), not a count. */
export const EXACT_COUNT_LIMIT = 10_000;

/** Read side of the ledger: paged lists for the dashboard and the API. */
export class StockQueryService {
  constructor(private readonly db: Kysely<DB>) {}

  /** One table (stock_levels with its trigger-kept copies of product fields), so each sort/filter is an index walk. */
  async inventory(q: InventoryQuery) {
    let qb = this.db.selectFrom('stock_levels as s');
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      // Matched on products (trigram index there), then joined to their stock rows.
      const ids = this.db.selectFrom('products as p').select('p.id').where((eb) => eb.or([eb('p.sku', '=', q.q!), eb(sql`lower(p.name)`, 'like', like), eb(sql`lower(p.sku)`, 'like', like)]));
      qb = qb.where('s.product_id', 'in', ids);
    }
    if (q.category) qb = qb.where('s.category', '=', q.category);
    if (q.location) qb = qb.where('s.location_code', '=', q.location);
    if (q.status) qb = qb.where('s.status', '=', q.status);
    if (q.alert === 'low') qb = qb.where(sql<boolean>`s.on_hand - s.reserved < s.low_threshold`);
    if (q.alert === 'out') qb = qb.where(sql<boolean>`s.on_hand - s.reserved <= 0`);
    if (q.alert === 'negative') qb = qb.where('s.on_hand', '<', 0);
    const dir = q.desc ? 'desc' : 'asc';
    const primary = sortColumn[q.sort ?? 'sku'];
    const order = sql.raw(primary === 'sku' ? `sku ${dir}, location_code ${dir}` : `${primary} ${dir}${q.sort === 'threshold' || q.sort === 'last_movement_at' ? ' nulls last' : ''}, sku ${dir}, location_code ${dir}`);
    const columns = [
      's.sku',
      's.name',
      's.category',
      's.status',
      's.location_code as location',
      's.on_hand as onHand',
      's.reserved',
      sql<number>`s.on_hand - s.reserved`.as('available'),
      's.low_threshold as lowThreshold',
      's.last_movement_at as lastMovementAt',
      's.last_sale_at as lastSaleAt',
    ] as const;
    if (q.q) {
      // A text search: find the matches first through the trigram index, then sort and page them. Left to the
      // planner, ORDER BY sku LIMIT 50 walks the sku index testing every row, which is slow when few match.
      const rows = await this.db
        .with((w) => w('m').materialized(), () => qb.selectAll('s'))
        .selectFrom('m as s')
        .select([...columns, sql<number>`count(*) over ()`.as('total')])
        .orderBy(order)
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const total = rows[0]?.total ?? (q.page > 1 ? Number((await qb.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n ?? 0) : 0);
      return { items: rows.map(({ total: _t, ...r }) => r), total: Number(total), totalExact: true, page: q.page, pageSize: q.pageSize };
    }
    const items = await qb.select(columns).orderBy(order).limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
    // Counting 50,000 rows on every page costs more than the page itself. Unfiltered: the table's size from
    // the planner's statistics (imports ANALYZE) when it is large; otherwise count exactly up to a bound, then
    // say "more than" (page links need a size, not an audit figure).
    const filtered = Boolean(q.q || q.category || q.location || q.status || q.alert);
    let total: number;
    let totalExact = true;
    const est = filtered ? -1 : ((await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = 'stock_levels'::regclass`.execute(this.db)).rows[0]?.n ?? -1);
    if (est > EXACT_COUNT_LIMIT * 2) {
      total = Math.round(est);
      totalExact = false;
    } else {
      total = (await qb.select(sql<number>`1`.as('one')).limit(EXACT_COUNT_LIMIT + 1).execute()).length;
      if (total > EXACT_COUNT_LIMIT) totalExact = false;
    }
    total = Math.max(total, (q.page - 1) * q.pageSize + items.length);
    return { items, total, totalExact, page: q.page, pageSize: q.pageSize };
  }

  async productStock(sku: string) {
    const p = await this.db.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirst();
    if (!p) throw new AppError('not_found', `unknown SKU ${sku}`, 'sku');
    return this.db
      .selectFrom('stock_levels as s')
      .innerJoin('locations as l', 'l.id', 's.location_id')
      .select(['l.code as location', 'l.name as locationName', 's.on_hand as onHand', 's.reserved', sql<number>`s.on_hand - s.reserved`.as('available'), 's.low_threshold as lowThreshold', 's.last_movement_at as lastMovementAt'])
      .where('s.product_id', '=', p.id)
      .orderBy('l.code')
      .execute();
  }

  async movements(f: { sku?: string; location?: string; kind?: string; saleId?: number; before?: number; limit: number }) {
    let qb = this.db
      .selectFrom('stock_movements as m')
      .innerJoin('products as p', 'p.id', 'm.product_id')
      .innerJoin('locations as l', 'l.id', 'm.location_id');
    if (f.sku) qb = qb.where('p.sku', '=', f.sku);
    if (f.location) qb = qb.where('l.code', '=', f.location);
    if (f.kind) qb = qb.where('m.kind', '=', f.kind as never);
    if (f.saleId) qb = qb.where('m.sale_id', '=', f.saleId);
    if (f.before) qb = qb.where('m.id', '<', f.before);
    const items = await qb
      .select(['m.id', 'p.sku', 'l.code as location', 'm.kind', 'm.qty', 'm.balance_after as balanceAfter', 'm.unit_cost as unitCost', 'm.unit_price as unitPrice', 'm.reason', 'm.sale_id as saleId', 'm.reverses_id as reversesId', 'm.transfer_ref as transferRef', 'm.actor', 'm.occurred_at as occurredAt', 'm.recorded_at as recordedAt'])
      .orderBy('m.id', 'desc')
      .limit(f.limit)
      .execute();
    // Keyset paging by id: stable while new movements arrive.
    return { items, next: items.length === f.limit ? items[items.length - 1].id : null };
  }

  async sales(f: { location?: string; customer?: string; from?: Date; to?: Date; before?: number; limit: number }) {
    let qb = this.db
      .selectFrom('sales as s')
      .innerJoin('locations as l', 'l.id', 's.location_id')
      .leftJoin('customers as c', 'c.id', 's.customer_id');
    if (f.location) qb = qb.where('l.code', '=', f.location);
    if (f.customer) qb = qb.where('c.code', '=', f.customer);
    if (f.from) qb = qb.where('s.occurred_at', '>=', f.from);
    if (f.to) qb = qb.where('s.occurred_at', '<', f.to);
    if (f.before) qb = qb.where('s.id', '<', f.before);
    const items = await qb
      .select(['s.id', 'l.code as location', 'c.code as customer', 's.order_ref as orderRef', 's.channel', 's.occurred_at as occurredAt', 's.total'])
      .orderBy('s.id', 'desc')
      .limit(f.limit)
      .execute();
    return { items, next: items.length === f.limit ? items[items.length - 1].id : null };
  }

  async sale(id: number) {
    const s = await this.db
      .selectFrom('sales as s')
      .innerJoin('locations as l', 'l.id', 's.location_id')
      .leftJoin('customers as c', 'c.id', 's.customer_id')
      .select(['s.id', 'l.code as location', 'c.code as customer', 's.order_ref as orderRef', 's.channel', 's.occurred_at as occurredAt', 's.total'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!s) throw new AppError('not_found', `sale ${id} does not exist`, 'id');
    const { items } = await this.movements({ saleId: id, limit: 10_000 });
    return { ...s, movements: items.reverse() };
  }

  async alerts(f: { open?: boolean; kind?: string; limit: number; before?: number }) {
    let qb = this.db
      .selectFrom('alerts as a')
      .leftJoin('products as p', 'p.id', 'a.product_id')
      .leftJoin('locations as l', 'l.id', 'a.location_id');
    if (f.open !== undefined) qb = qb.where('a.acknowledged_at', f.open ? 'is' : 'is not', null);
    if (f.kind) qb = qb.where('a.kind', '=', f.kind);
    if (f.before) qb = qb.where('a.id', '<', f.before);
    const items = await qb
      .select(['a.id', 'a.kind', 'a.severity', 'p.sku', 'l.code as location', 'a.message', 'a.data', 'a.created_at as createdAt', 'a.acknowledged_at as acknowledgedAt'])
      .orderBy('a.id', 'desc')
      .limit(f.limit)
      .execute();
    return { items, next: items.length === f.limit ? items[items.length - 1].id : null };
  }

  async audit(f: { entity?: string; entityId?: string; limit: number; before?: number }) {
    let qb = this.db.selectFrom('audit_log');
    if (f.entity) qb = qb.where('entity', '=', f.entity);
    if (f.entityId) qb = qb.where('entity_id', '=', f.entityId);
    if (f.before) qb = qb.where('id', '<', f.before);
    const items = await qb.selectAll().orderBy('id', 'desc').limit(f.limit).execute();
    return { items, next: items.length === f.limit ? items[items.length - 1].id : null };
  }

  async listProducts(f: { q?: string; category?: string; gender?: string; status?: string; page: number; pageSize: number }) {
    let qb = this.db.selectFrom('products as p');
    if (f.q) {
      const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      qb = qb.where((eb) => eb.or([eb('p.sku', '=', f.q!), eb(sql`lower(p.name)`, 'like', like), eb('p.barcode', '=', f.q!)]));
    }
    if (f.category) qb = qb.where('p.category', '=', f.category);
    if (f.gender) qb = qb.where('p.gender', '=', f.gender as never);
    if (f.status) qb = qb.where('p.status', '=', f.status as never);
    const rows = await qb
      .select(['p.sku', 'p.name', 'p.category', 'p.subcategory', 'p.article_type as articleType', 'p.gender', 'p.age_group as ageGroup', 'p.colour', 'p.size', 'p.season', 'p.price', 'p.cost', 'p.status', sql<number>`count(*) over ()`.as('total')])
      .orderBy('p.sku')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return { items: rows.map(({ total: _t, ...r }) => r), total: Number(rows[0]?.total ?? 0), page: f.page, pageSize: f.pageSize };
  }

  async acknowledge(actor: Actor, ids: number[]) {
    return inTransaction(this.db, async (trx) => {
      const r = await trx
        .updateTable('alerts')
        .set({ acknowledged_at: new Date(), acknowledged_by: actor.id })
        .where('id', 'in', ids)
        .where('acknowledged_at', 'is', null)
        .returning('id')
        .execute();
      if (r.length) await audit(trx, actor, 'alert.ack', 'alert', null, null, { ids: r.map((x) => x.id) });
      return { acknowledged: r.length };
    });
  }
}
