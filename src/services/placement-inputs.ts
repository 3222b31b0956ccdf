import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PlacementProduct } from '../domain/placement/units.ts';
import { SEGMENTS, type VisitorCounts } from '../domain/placement/value.ts';
import type { AppServices } from './index.ts';
import type { PlacementSettings } from './placement-layout.ts';
import { recommendServiceOf } from './recommend.service.ts';

export interface DemandSources {
  forecast: number;
  sales: number;
  prior: number;
}

/**
 * The products to place at a location (active, in stock there) with their demand over the horizon:
 * the latest forecast when there is one (daily preferred) (sum of the mean over the horizon), else the sales of the last 90
 * days before the store's latest sale scaled to the horizon, else settings.priorDemand (counted, so the page
 * can say how much of the plan rests on the prior).
 */
export async function readProducts(db: Kysely<DB>, loc: number, settings: PlacementSettings): Promise<{ products: PlacementProduct[]; sources: DemandSources }> {
  const H = settings.horizonDays;
  const rows = await sql<{
    id: number; sku: string; name: string; category: string; subcategory: string | null; article_type: string | null; style_code: string | null;
    gender: string | null; season: string | null; price: number; cost: number; fc_freq: string | null; fc_mean: number[] | null; sold: number | null;
  }>`
    with stocked as (
      select product_id from stock_levels where location_id = ${loc} and on_hand > 0
    ), last_sale as (
      select coalesce(max(occurred_at), now()) as t from stock_movements where location_id = ${loc} and kind = 'sale'
    ), fc as (
      select distinct on (product_id) product_id, freq, mean from forecasts
      where location_id = ${loc} order by product_id, (freq = 'D') desc, run_id desc
    ), recent as (
      select m.product_id, sum(-m.qty)::float8 as sold from stock_movements m, last_sale l
      where m.location_id = ${loc} and m.kind = 'sale' and m.occurred_at > l.t - interval '90 days'
      group by m.product_id
    )
    select p.id, p.sku, p.name, p.category, p.subcategory, p.article_type, p.style_code, p.gender, p.season,
           p.price::float8 as price, p.cost::float8 as cost, f.freq as fc_freq, f.mean as fc_mean, r.sold
    from stocked s join products p on p.id = s.product_id and p.status = 'active'
    left join fc f on f.product_id = p.id
    left join recent r on r.product_id = p.id
    order by p.id`.execute(db);
  const sources: DemandSources = { forecast: 0, sales: 0, prior: 0 };
  const products = rows.rows.map((r) => {
    let demand: number;
    if (r.fc_mean && r.fc_mean.length) {
      const per = r.fc_freq === 'W' ? 7 : r.fc_freq === 'M' ? 30.4 : 1;
      const periods = H / per;
      demand = 0;
      for (let i = 0; i < Math.ceil(periods) && i < r.fc_mean.length; i++) demand += Number(r.fc_mean[i]) * Math.min(1, periods - i);
      sources.forecast++;
    } else if (r.sold && r.sold > 0) {
      demand = (r.sold * H) / 90;
      sources.sales++;
    } else {
      demand = settings.priorDemand;
      sources.prior++;
    }
    return {
      id: r.id, sku: r.sku, name: r.name, category: r.category, subcategory: r.subcategory, articleType: r.article_type, styleCode: r.style_code,
      gender: r.gender, season: r.season, demand: Math.max(0, demand), margin: Math.max(0, r.price - r.cost), recommended: 0,
    };
  });
  return { products, sources };
}

/**
 * How often each product is recommended at the location: appearances in the popular list and in the
 * "goes with" lists of the 10 most popular items (recommendServiceOf, whatever model #7 puts behind it).
 */
export async function recommendationCounts(services: AppServices, location: string): Promise<Map<number, number>> {
  const rec = recommendServiceOf(services);
  const counts = new Map<number, number>();
  const add = (ids: number[]) => ids.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
  const popular = await rec.popular({ location, limit: 100 }, {});
  add(popular.map((r) => r.productId));
  for (const p of popular.slice(0, 10)) add((await rec.forItem(p.sku, { location, limit: 10 })).map((r) => r.productId));
  return counts;
}

/**
 * Visitors per hour and segment at the location over the last 90 days, from the kiosk's anonymous events
 * (table vision_events of issue 8). Read only when that table exists (to_regclass), so placement works
 * before, and without, the camera kiosk; null then, and the demographic factor is 1 everywhere.
 */
export async function visitorCounts(db: Kysely<DB>, loc: number): Promise<{ counts: VisitorCounts | null; events: number }> {
  const exists = await sql<{ t: string | null }>`select to_regclass('vision_events')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return { counts: null, events: 0 };
  const rows = await sql<{ h: number; gender: string; age_group: string; n: number }>`
    select extract(hour from occurred_at)::int as h, gender, age_group, count(*)::int as n
    from vision_events where location_id = ${loc} and occurred_at > now() - interval '90 days'
    group by 1, 2, 3`.execute(db);
  if (!rows.rows.length) return { counts: null, events: 0 };
  const counts = Object.fromEntries(SEGMENTS.map((s) => [s, new Array(24).fill(0)])) as VisitorCounts;
  let events = 0;
  for (const r of rows.rows) {
    const kids = r.age_group === 'child' || r.age_group === 'teen';
    const seg = `${r.gender === 'female' ? 'female' : 'male'}-${kids ? 'kids' : 'adult'}` as keyof VisitorCounts;
    counts[seg][r.h] += Number(r.n);
    events += Number(r.n);
  }
  return { counts, events };
}
