/**
 * Database reads behind serving recommendations: product details and availability of candidates, the
 * overstock / slow-mover and promotion boosts, attribute-similar items, and the demographic ranker's inputs.
 * Plain queries; the ranking itself is the domain's (src/domain/recommend).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { audienceFromName, type CatalogItem, type DemographicSale } from '../domain/recommend/demographic.ts';
import { effectivePrices } from './promotions.service.ts';

export interface CandidateRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  colour: string | null;
  size: string | null;
  gender: string | null;
  price: number;
  status: string;
  available: number;
}

/** Details and available units (at the location, or summed over all) of the given products. */
export async function candidateRows(db: Kysely<DB>, ids: number[], locationId: number | null): Promise<Map<number, CandidateRow>> {
  if (ids.length === 0) return new Map();
  const r = await sql<CandidateRow>`
    select p.id, p.sku, p.name, p.category, p.colour, p.size, p.gender, p.price::float8 as price, p.status, coalesce(a.available, 0)::int as available
    from products p left join (
      select product_id, sum(on_hand - reserved) as available from stock_levels
      where product_id = any(${ids}::int[]) ${locationId === null ? sql`` : sql`and location_id = ${locationId}`} group by product_id
    ) a on a.product_id = p.id
    where p.id = any(${ids}::int[])`.execute(db);
  return new Map(r.rows.map((x) => [x.id, x]));
}

/**
 * Overstock / slow-mover boost in [0, 1]: days of cover = available ÷ (units sold in the last 90 days ÷ 90),
 * measured back from the latest sale there. No boost up to 90 days of cover, rising to 1 at a year; an item
 * in stock that sold nothing in 90 days is a slow mover (1).
 */
export async function overstockBoost(db: Kysely<DB>, rows: CandidateRow[], locationId: number | null): Promise<Map<number, number>> {
  const ids = rows.filter((r) => r.available > 0).map((r) => r.id);
  if (ids.length === 0) return new Map();
  const sold = await sql<{ id: number; units: number }>`
    select m.product_id as id, sum(-m.qty)::float8 as units from stock_movements m
    where m.kind = 'sale' and m.product_id = any(${ids}::int[]) ${locationId === null ? sql`` : sql`and m.location_id = ${locationId}`}
      and m.occurred_at > (select coalesce(max(occurred_at), now()) from stock_movements where kind = 'sale') - interval '90 days'
    group by m.product_id`.execute(db);
  const units = new Map(sold.rows.map((r) => [r.id, Number(r.units)]));
  const out = new Map<number, number>();
  for (const r of rows) {
    if (r.available <= 0) continue;
    const u = units.get(r.id) ?? 0;
    const cover = u > 0 ? r.available / (u / 90) : Infinity;
    const b = cover === Infinity ? 1 : Math.min(1, Math.max(0, (cover - 90) / 275));
    if (b > 0) out.set(r.id, b);
  }
  return out;
}

/**
 * Products on offer now (boost 1): a running promotion (issue 6) on the product or its category lowers its price,
 * by the same rule as the shop's prices (promotions.service.ts effectivePrices). Promotions apply to every location.
 */
export async function promotionBoost(db: Kysely<DB>, ids: number[], _locationId: number | null): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (ids.length === 0) return out;
  for (const [id, p] of await effectivePrices(db, ids)) if (p.promotionId !== null && p.price < p.regularPrice) out.set(id, 1);
  return out;
}

/** Items like this one by attributes (same article type or category, same gender), for items without sales. */
export async function attributeSimilar(db: Kysely<DB>, productId: number, locationId: number | null, limit: number): Promise<{ id: number; reason: string; score: number }[]> {
  const r = await sql<{ id: number; article_type: string | null; category: string; gender: string | null; same_colour: boolean }>`
    with me as (select * from products where id = ${productId})
    select p.id, p.article_type, p.category, p.gender, coalesce(p.colour = me.colour, false) as same_colour
    from products p, me
    where p.id <> me.id and p.status = 'active'
      and (case when me.article_type is not null then p.article_type = me.article_type else p.category = me.category end)
      and coalesce(p.gender, '') = coalesce(me.gender, '')
      and exists (select 1 from stock_levels l where l.product_id = p.id and l.on_hand - l.reserved > 0
        ${locationId === null ? sql`` : sql`and l.location_id = ${locationId}`})
    order by (coalesce(p.usage = me.usage, false))::int + (coalesce(p.season = me.season, false))::int + (coalesce(p.colour = me.colour, false))::int * 2 desc, p.id
    limit ${limit}`.execute(db);
  return r.rows.map((x, k) => ({
    id: x.id,
    score: 1 - k / (r.rows.length + 1),
    reason: `similar: ${x.article_type ?? x.category}${x.gender ? ` for ${x.gender.toLowerCase()}` : ''}${x.same_colour ? ', same colour' : ''}`,
  }));
}

/** The demographic ranker's inputs at a location: its in-stock catalog and its recent and last-year sales. */
export async function demographicInputs(db: Kysely<DB>, locationId: number | null): Promise<{ catalog: CatalogItem[]; sales: DemographicSale[]; now: number }> {
  const cat = await sql<{ id: number; name: string; gender: string | null; season: string | null; year: unknown }>`
    select p.id, p.name, p.gender, p.season, p.attributes->>'year' as year from products p
    where p.status = 'active' and exists (select 1 from stock_levels l where l.product_id = p.id and l.on_hand - l.reserved > 0
      ${locationId === null ? sql`` : sql`and l.location_id = ${locationId}`})`.execute(db);
  const catalog: CatalogItem[] = cat.rows.map((p) => ({
    item: p.id,
    gender: p.gender ?? 'unisex',
    audience: (p.gender ?? 'unisex').toLowerCase() === 'unisex' ? audienceFromName(p.name) : undefined,
    season: p.season ?? undefined,
    year: Number(p.year) || undefined,
  }));
  const loc = locationId === null ? sql`` : sql`and m.location_id = ${locationId}`;
  const latest = await sql<{ t: Date | null }>`select max(m.occurred_at) as t from stock_movements m where m.kind = 'sale' ${loc}`.execute(db);
  const now = latest.rows[0]?.t ? new Date(latest.rows[0].t).getTime() : Date.now();
  // Recent (8 half-lives of 14 days) and the same ±28 days a year earlier, summed per product × day × slice.
  const s = await sql<{ item: number; time: number; quantity: number; gender: string | null; age: string | null }>`
    select m.product_id as item, (extract(epoch from date_trunc('day', m.occurred_at)) * 1000)::float8 as time,
      sum(-m.qty)::float8 as quantity, s.shopper_gender as gender, s.shopper_age_group as age
    from stock_movements m join sales s on s.id = m.sale_id
    where m.kind = 'sale' ${loc}
      and (m.occurred_at > ${new Date(now - 112 * 86_400_000)} or m.occurred_at between ${new Date(now - 394 * 86_400_000)} and ${new Date(now - 336 * 86_400_000)})
    group by 1, 2, 4, 5`.execute(db);
  const sales: DemographicSale[] = s.rows.map((r) => ({
    item: r.item,
    time: Number(r.time),
    quantity: Number(r.quantity),
    gender: (r.gender ?? undefined) as DemographicSale['gender'],
    ageGroup: (r.age ?? undefined) as DemographicSale['ageGroup'],
  }));
  return { catalog, sales, now };
}
