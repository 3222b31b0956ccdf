/** Customers for the dashboard: a searchable keyset-paged list and one customer's purchase history. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export interface CustomerRow {
  id: number;
  code: string;
  name: string | null;
  email: string | null;
  country: string | null;
  orders: number;
  spent: number;
  lastOrderAt: Date | null;
}

export class CustomersService {
  constructor(private readonly db: Kysely<DB>) {}

  /** Newest first (by id); `before` = the previous page's `next`. `q` matches the code, name or email. */
  async list(f: { q?: string; before?: number; limit: number }): Promise<{ items: CustomerRow[]; next: number | null }> {
    const q = f.q?.trim();
    const like = q ? `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
    const r = await sql<CustomerRow>`
      select c.id, c.code, c.name, c.email, c.country, coalesce(a.orders, 0)::int as orders, coalesce(a.spent, 0)::float8 as spent, a.last as "lastOrderAt"
      from (select * from customers
            where true ${f.before ? sql`and id < ${f.before}` : sql``}
              ${like ? sql`and (code = ${q} or lower(code) like ${like} or lower(coalesce(name, '')) like ${like} or lower(coalesce(email, '')) like ${like})` : sql``}
            order by id desc limit ${f.limit}) c
      left join lateral (select count(*) as orders, sum(total) as spent, max(occurred_at) as last from sales s where s.customer_id = c.id) a on true
      order by c.id desc`.execute(this.db);
    const items = r.rows.map((x) => ({ ...x, spent: Number(x.spent), orders: Number(x.orders) }));
    return { items, next: items.length === f.limit ? items[items.length - 1].id : null };
  }

  /** One customer (by id, or by code when `key` is not a number) with totals, recent orders and most-bought products. */
  async get(key: string) {
    const byId = /^\d+$/.test(key) ? Number(key) : null;
    let c = byId !== null && byId <= 2_147_483_647 ? await this.db.selectFrom('customers').selectAll().where('id', '=', byId).executeTakeFirst() : undefined;
    c ??= await this.db.selectFrom('customers').selectAll().where('code', '=', key).executeTakeFirst();
    if (!c) throw new AppError('not_found', `customer ${key} does not exist`, 'id');
    const totals = await sql<{ orders: number; spent: number; first: Date | null; last: Date | null }>`
      select count(*)::int as orders, coalesce(sum(total), 0)::float8 as spent, min(occurred_at) as first, max(occurred_at) as last
      from sales where customer_id = ${c.id}`.execute(this.db);
    const orders = await sql<{ id: number; location: string; orderRef: string | null; occurredAt: Date; total: number; lines: number }>`
      select s.id, l.code as location, s.order_ref as "orderRef", s.occurred_at as "occurredAt", s.total::float8 as total,
        (select count(*) from stock_movements m where m.sale_id = s.id and m.kind = 'sale')::int as lines
      from sales s join locations l on l.id = s.location_id where s.customer_id = ${c.id}
      order by s.occurred_at desc, s.id desc limit 20`.execute(this.db);
    const bought = await sql<{ productId: number; sku: string; name: string; times: number; units: number; lastAt: Date }>`
      select p.id as "productId", p.sku, p.name, count(distinct m.sale_id)::int as times, sum(-m.qty)::int as units, max(m.occurred_at) as "lastAt"
      from sales s join stock_movements m on m.sale_id = s.id and m.kind = 'sale' join products p on p.id = m.product_id
      where s.customer_id = ${c.id}
      group by p.id, p.sku, p.name order by times desc, "lastAt" desc limit 50`.execute(this.db);
    const t = totals.rows[0];
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      email: c.email,
      country: c.country,
      gender: c.gender,
      ageGroup: c.age_group,
      createdAt: c.created_at,
      orders: Number(t.orders),
      spent: Number(t.spent),
      firstOrderAt: t.first,
      lastOrderAt: t.last,
      recentOrders: orders.rows.map((o) => ({ ...o, total: Number(o.total) })),
      mostBought: bought.rows,
    };
  }
}
