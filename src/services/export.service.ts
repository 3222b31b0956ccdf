import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export type ExportKind = 'products' | 'stock' | 'movements' | 'sales';

const QUERIES: Record<ExportKind, { columns: string[]; page: (after: number, n: number) => ReturnType<typeof sql> }> = {
  products: {
    columns: ['sku', 'name', 'barcode', 'category', 'subcategory', 'article_type', 'brand', 'style_code', 'gender', 'age_group', 'season', 'colour', 'size', 'usage', 'price', 'cost', 'status', 'supplier'],
    page: (after, n) => sql`select p.id as k, p.sku, p.name, p.barcode, p.category, p.subcategory, p.article_type, p.brand, p.style_code, p.gender, p.age_group, p.season, p.colour, p.size, p.usage,
      p.price, p.cost, p.status, s.code as supplier from products p left join suppliers s on s.id = p.default_supplier_id where p.id > ${after} order by p.id limit ${n}`,
  },
  stock: {
    columns: ['sku', 'location', 'qty', 'reserved', 'available', 'low_threshold'],
    // Keyset on the primary key (product_id, location_id), packed into one number for exportRows' cursor.
    page: (after, n) => sql`select s.product_id::int8 * 1000000 + s.location_id as k, p.sku, l.code as location, s.on_hand as qty, s.reserved, s.on_hand - s.reserved as available, s.low_threshold
      from stock_levels s join products p on p.id = s.product_id join locations l on l.id = s.location_id
      where (s.product_id, s.location_id) > (${Math.floor(after / 1_000_000)}::int, ${after % 1_000_000}::int)
      order by s.product_id, s.location_id limit ${n}`,
  },
  movements: {
    columns: ['id', 'date', 'sku', 'location', 'kind', 'qty', 'balance_after', 'unit_cost', 'unit_price', 'reason', 'sale_id', 'reverses_id', 'actor'],
    page: (after, n) => sql`select m.id as k, m.id, m.occurred_at as date, p.sku, l.code as location, m.kind, m.qty, m.balance_after, m.unit_cost, m.unit_price, m.reason, m.sale_id, m.reverses_id, m.actor
      from stock_movements m join products p on p.id = m.product_id join locations l on l.id = m.location_id where m.id > ${after} order by m.id limit ${n}`,
  },
  /** The sales history format that `import sales` reads (negative qty = return). */
  sales: {
    columns: ['date', 'sku', 'qty', 'store', 'price', 'promo', 'customer', 'order'],
    page: (after, n) => sql`select m.id as k, m.occurred_at as date, p.sku, -m.qty as qty, l.code as store, m.unit_price as price, case when m.reason = 'promo' then 1 else 0 end as promo, c.code as customer, s.order_ref as order
      from stock_movements m join products p on p.id = m.product_id join locations l on l.id = m.location_id join sales s on s.id = m.sale_id left join customers c on c.id = s.customer_id
      where m.id > ${after} and m.kind in ('sale', 'return') order by m.id limit ${n}`,
  },
};

export const exportColumns = (kind: ExportKind) => QUERIES[kind].columns;

/** Streams every row of a kind in pages (keyset on id), so exports of millions of rows stay in bounded memory. */
export async function* exportRows(db: Kysely<DB>, kind: ExportKind, pageSize = 10_000): AsyncGenerator<Record<string, unknown>> {
  let after = 0;
  const q = QUERIES[kind];
  for (;;) {
    const r = await q.page(after, pageSize).execute(db);
    const rows = r.rows as Record<string, unknown>[];
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].k);
  }
}
