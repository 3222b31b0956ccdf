import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { stockStatus } from '../domain/storefront/cart.ts';
import { AppError } from '../errors.ts';
import { effectivePrices } from './pricing.ts';

export interface ShopQuery {
  q?: string;
  category?: string;
  gender?: string;
  size?: string;
  colour?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  sort?: 'relevance' | 'price_asc' | 'price_desc' | 'newest' | 'name';
  page: number;
  pageSize: number;
}

export interface ShopCard {
  sku: string;
  style: string;
  name: string;
  category: string;
  subcategory: string | null;
  gender: string | null;
  colour: string | null;
  brand: string | null;
  sizes: string[];
  listPrice: number;
  price: number;
  onSale: boolean;
  available: number;
}

/**
 * What shoppers browse: active products, one card per style (style_code groups the sizes of one garment; a
 * product without one is its own style), with the stock available at the shop's location (on hand − reserved).
 * Price filters and sorting use list prices; the page's cards then show today's price (pricing.ts).
 */
/** Totals above this are shown as "500+" (counting every match of a broad filter would read the whole catalog). */
export const COUNT_CAP = 500;

export class ShopCatalogService {
  private facetCache: { at: number; value: unknown } | null = null;

  constructor(private readonly db: Kysely<DB>) {}

  /**
   * One page of styles. Built so PostgreSQL can walk an index in the requested order and stop after a page: a
   * style is represented by its first matching product (no earlier matching sibling, probed through
   * the products_style index), filters are per-row predicates, and the total is counted only up to COUNT_CAP. Sizes and
   * stock of the page's styles are then read for those styles alone.
   */
  async list(locationId: number, q: ShopQuery): Promise<{ items: ShopCard[]; total: number; totalCapped: boolean; hasMore: boolean; page: number; pageSize: number }> {
    const like = q.q ? `%${q.q.trim().toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
    const match = (a: string) => {
      const c = (col: string) => sql.ref(`${a}.${col}`);
      return sql.join(
        [
          sql`${c('status')} = 'active'`,
          like ? sql`(lower(${c('name')}) like ${like} or lower(${c('sku')}) like ${like})` : null,
          q.category ? sql`(${c('category')} = ${q.category} or ${c('subcategory')} = ${q.category} or ${c('article_type')} = ${q.category})` : null,
          q.gender ? sql`${c('gender')} = ${q.gender}` : null,
          q.size ? sql`${c('size')} = ${q.size}` : null,
          q.colour ? sql`lower(${c('colour')}) = ${q.colour.toLowerCase()}` : null,
          q.minPrice !== undefined ? sql`${c('price')} >= ${q.minPrice}` : null,
          q.maxPrice !== undefined ? sql`${c('price')} <= ${q.maxPrice}` : null,
          q.inStock ? sql`exists (select 1 from stock_levels s where s.product_id = ${c('id')} and s.location_id = ${locationId} and s.on_hand - s.reserved > 0)` : null,
        ].filter((x) => x !== null),
        sql` and `,
      );
    };
    // A scalar subquery, not NOT EXISTS: the planner would turn that into an anti-join reading every product.
    const where = sql`${match('p')} and (p.style_code is null or p.id = (
      select min(x.id) from products x where x.style_code = p.style_code and ${match('x')}))`;
    const order = {
      relevance: sql`p.id desc`, // newest first: an index walk that stops after a page (a text rank would read every match)
      price_asc: sql`p.price, p.id`,
      price_desc: sql`p.price desc, p.id desc`,
      newest: sql`p.id desc`,
      name: sql`p.name, p.id`,
    }[q.sort ?? 'relevance'];
    const [rows, counted] = await Promise.all([
      sql<{ id: number; style: string }>`
        select p.id, coalesce(p.style_code, p.sku) as style from products p where ${where}
        order by ${order} limit ${sql.lit(q.pageSize + 1)} offset ${sql.lit((q.page - 1) * q.pageSize)}`.execute(this.db),
      sql<{ n: number }>`select count(*)::int as n from (select 1 from products p where ${where} limit ${sql.lit(COUNT_CAP + 1)}) m`.execute(this.db),
    ]);
    const hasMore = rows.rows.length > q.pageSize;
    const page = rows.rows.slice(0, q.pageSize);
    const ids = page.map((r) => r.id);
    const styles = page.map((r) => r.style);
    const [products, prices, stock] = await Promise.all([
      ids.length ? this.db.selectFrom('products').select(['id', 'sku', 'name', 'category', 'subcategory', 'gender', 'colour', 'brand']).where('id', 'in', ids).execute() : [],
      effectivePrices(this.db, ids),
      ids.length
        ? sql<{ style: string; sizes: (string | null)[]; available: number }>`
            select coalesce(p.style_code, p.sku) as style, array_agg(distinct p.size) filter (where s.on_hand - s.reserved > 0) as sizes,
                   coalesce(sum(greatest(s.on_hand - s.reserved, 0)), 0)::int as available
            from (
              select id, size, style_code, sku from products where style_code = any(${styles}::text[]) and status = 'active'
              union all
              select id, size, style_code, sku from products where id = any(${ids}::int[]) and style_code is null
            ) p left join stock_levels s on s.product_id = p.id and s.location_id = ${locationId}
            group by 1`.execute(this.db)
        : { rows: [] },
    ]);
    const byId = new Map(products.map((p) => [p.id, p]));
    const byStyle = new Map(stock.rows.map((r) => [r.style, r]));
    const items = page.map((r) => {
      const p = byId.get(r.id)!;
      const pr = prices.get(r.id)!;
      const st = byStyle.get(r.style);
      return {
        sku: p.sku,
        style: r.style,
        name: p.name,
        category: p.category,
        subcategory: p.subcategory,
        gender: p.gender,
        colour: p.colour,
        brand: p.brand,
        sizes: (st?.sizes ?? []).filter((x): x is string => x !== null).sort(sizeOrder),
        listPrice: pr.listPrice,
        price: pr.price,
        onSale: pr.onSale,
        available: st?.available ?? 0,
      };
    });
    const n = counted.rows[0].n;
    return { items, total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP, hasMore, page: q.page, pageSize: q.pageSize };
  }

  /** A product page: the product, every size of its style with today's price and its stock status. */
  async product(locationId: number, sku: string) {
    const p = await this.db.selectFrom('products').selectAll().where('sku', '=', sku).executeTakeFirst();
    if (!p || p.status !== 'active') throw new AppError('not_found', `no product ${sku} in the shop`, 'sku');
    const siblings = p.style_code
      ? await this.db
          .selectFrom('products as x')
          .leftJoin('stock_levels as s', (j) => j.onRef('s.product_id', '=', 'x.id').on('s.location_id', '=', locationId))
          .select(['x.id', 'x.sku', 'x.size', 'x.colour', sql<number>`coalesce(greatest(s.on_hand - s.reserved, 0), 0)::int`.as('available')])
          .where('x.style_code', '=', p.style_code)
          .where('x.status', '=', 'active')
          .execute()
      : await this.db
          .selectFrom('products as x')
          .leftJoin('stock_levels as s', (j) => j.onRef('s.product_id', '=', 'x.id').on('s.location_id', '=', locationId))
          .select(['x.id', 'x.sku', 'x.size', 'x.colour', sql<number>`coalesce(greatest(s.on_hand - s.reserved, 0), 0)::int`.as('available')])
          .where('x.id', '=', p.id)
          .execute();
    const prices = await effectivePrices(this.db, siblings.map((s) => s.id));
    const variants = siblings
      .map((s) => ({ sku: s.sku, size: s.size, colour: s.colour, available: s.available, status: stockStatus(s.available), ...pick(prices.get(s.id)!) }))
      .sort((a, b) => sizeOrder(a.size ?? '', b.size ?? '') || a.sku.localeCompare(b.sku));
    const own = prices.get(p.id)!;
    return {
      sku: p.sku,
      style: p.style_code ?? p.sku,
      name: p.name,
      category: p.category,
      subcategory: p.subcategory,
      articleType: p.article_type,
      brand: p.brand,
      gender: p.gender,
      colour: p.colour,
      season: p.season,
      usage: p.usage,
      size: p.size,
      ...pick(own),
      available: variants.find((v) => v.sku === p.sku)?.available ?? 0,
      variants,
    };
  }

  /** Filter choices with counts (cached a minute: they change with the catalog, not with every sale). */
  async facets() {
    if (this.facetCache && Date.now() - this.facetCache.at < 60_000) return this.facetCache.value;
    const count = (col: string) =>
      sql<{ value: string; n: number }>`select ${sql.ref(col)} as value, count(*)::int as n from products where status = 'active' and ${sql.ref(col)} is not null group by 1 order by 2 desc limit 60`.execute(this.db);
    const [categories, genders, colours, sizes, price] = await Promise.all([
      count('category'),
      count('gender'),
      count('colour'),
      count('size'),
      sql<{ min: number; max: number }>`select coalesce(min(price), 0)::float8 as min, coalesce(max(price), 0)::float8 as max from products where status = 'active'`.execute(this.db),
    ]);
    const value = {
      categories: categories.rows,
      genders: genders.rows,
      colours: colours.rows,
      sizes: sizes.rows.sort((a, b) => sizeOrder(a.value, b.value)),
      price: price.rows[0],
    };
    this.facetCache = { at: Date.now(), value };
    return value;
  }
}

const pick = (e: { listPrice: number; price: number; onSale: boolean }) => ({ listPrice: e.listPrice, price: e.price, onSale: e.onSale });

const SIZE_RANK = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL', '3XL', '4XL'];
/** Letter sizes in wearing order, numbers numerically, anything else alphabetically. */
export function sizeOrder(a: string, b: string): number {
  const ra = SIZE_RANK.indexOf(a.toUpperCase());
  const rb = SIZE_RANK.indexOf(b.toUpperCase());
  if (ra >= 0 && rb >= 0) return ra - rb;
  const na = Number.parseFloat(a);
  const nb = Number.parseFloat(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (ra >= 0 !== rb >= 0) return ra >= 0 ? -1 : 1;
  return a.localeCompare(b);
}
