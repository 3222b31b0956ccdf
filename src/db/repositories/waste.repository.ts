import { sql, type Kysely } from 'kysely';
import { parseNumberList } from '../number-list.ts';
import type { DB } from '../schema.ts';

/**
 * Reads for the waste analysis, aggregated in SQL to one row per SKU × location with arrays (a few thousand rows
 * instead of hundreds of thousands of item-days). Days are epoch days (days since 1970-01-01, UTC).
 */

export interface StockRow {
  product_id: number;
  location_id: number;
  sku: string;
  name: string;
  category: string;
  location: string;
  price: number;
  cost: number;
  on_hand: number;
}
export interface SalesArrays {
  product_id: number;
  location_id: number;
  days: number[];
  /** Net units (sales − returns) per day. */
  net: number[];
  /** Units sold and their revenue per day (sales only: the price paid). */
  sold: number[];
  revenue: number[];
}
export interface ReceiptArrays {
  product_id: number;
  location_id: number;
  days: number[];
  qty: number[];
  cost: number[];
}

const EPOCH = sql`date '1970-01-01'`;
const dayOf = (col: string) => sql`((${sql.ref(col)} at time zone 'UTC')::date - ${EPOCH})`;

/**
 * Stock levels in scope with something on hand or a sale since `start`. Sent as one tab-separated text (tabs and
 * newlines in names replaced): with PGlite, 37k rows as row objects cost ~6× more to decode than one string.
 */
export async function stockRows(db: Kysely<DB>, locationId: number | null, start: Date): Promise<StockRow[]> {
  const loc = locationId === null ? sql`` : sql`and s.location_id = ${locationId}`;
  const clean = (col: string) => sql`regexp_replace(${sql.ref(col)}, '[\t\n\r]', ' ', 'g')`;
  const r = await sql<{ t: string | null }>`
    select string_agg(s.product_id || E'\t' || s.location_id || E'\t' || s.on_hand || E'\t' || p.price || E'\t' || p.cost
      || E'\t' || ${clean('l.code')} || E'\t' || ${clean('p.sku')} || E'\t' || ${clean('p.category')} || E'\t' || ${clean('p.name')}, E'\n') as t
    from stock_levels s join products p on p.id = s.product_id join locations l on l.id = s.location_id
    where (s.on_hand > 0 or s.last_sale_at >= ${start}) ${loc}`.execute(db);
  const t = r.rows[0]?.t;
  if (!t) return [];
  // Sorted here, not in SQL (cheaper): the analysis's ties (ABC at equal revenue) then fall the same way every time.
  return t
    .split('\n')
    .map((line) => {
      const f = line.split('\t');
      return { product_id: +f[0], location_id: +f[1], on_hand: +f[2], price: +f[3], cost: +f[4], location: f[5], sku: f[6], category: f[7], name: f[8] };
    })
    .sort((a, b) => a.product_id - b.product_id || a.location_id - b.location_id);
}

/**
 * Daily net units, units sold and revenue per SKU × location in [start, end), from ledger_daily (kept by a trigger
 * on the ledger, migration 0014: no grouping of raw movements here). Sent as one text like stockRows: with PGlite,
 * ~280k item-days as arrays or rows cost several times more to decode than one string.
 */
export async function salesArrays(db: Kysely<DB>, locationId: number | null, start: Date, end: Date): Promise<SalesArrays[]> {
  const loc = locationId === null ? sql`` : sql`and location_id = ${locationId}`;
  const r = await sql<{ t: string | null }>`
    select string_agg(product_id || ' ' || location_id || ' ' || (day - ${EPOCH}) || ' ' || net || ' ' || sold || ' ' || revenue, ',') as t
    from ledger_daily
    where sale_rows > 0 and day >= ${utcDate(start)}::date and day < ${utcDate(end)}::date ${loc}`.execute(db);
  const out: SalesArrays[] = [];
  const t = r.rows[0]?.t;
  if (!t) return out;
  // Hand-parsed: split + Number over ~280k records cost ~0.4 s; one pass over the characters ~50 ms. Unordered in
  // SQL (sorting 280k rows there cost ~0.25 s): grouped per item here, and each item's days sorted if need be.
  const v = parseNumberList(t);
  const byItem = new Map<number, SalesArrays & { sorted: boolean }>();
  for (let k = 0; k + 5 < v.length; k += 6) {
    const p = v[k];
    const l = v[k + 1];
    const key = p * 100_000 + l;
    let cur = byItem.get(key);
    if (!cur) byItem.set(key, (cur = { product_id: p, location_id: l, days: [], net: [], sold: [], revenue: [], sorted: true }));
    const d = v[k + 2];
    if (cur.days.length && d < cur.days[cur.days.length - 1]) cur.sorted = false;
    cur.days.push(d);
    cur.net.push(v[k + 3]);
    cur.sold.push(v[k + 4]);
    cur.revenue.push(v[k + 5]);
  }
  for (const it of byItem.values()) {
    if (!it.sorted) {
      const idx = it.days.map((_, i) => i).sort((a, b) => it.days[a] - it.days[b]);
      const pick = (xs: number[]) => idx.map((i) => xs[i]);
      [it.days, it.net, it.sold, it.revenue] = [pick(it.days), pick(it.net), pick(it.sold), pick(it.revenue)];
    }
    const { sorted: _, ...plain } = it;
    out.push(plain);
  }
  return out;
}

/** 'YYYY-MM-DD' of a UTC instant (ledger_daily days are UTC days). */
const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The receipt layers (receipts, opening counts, transfers in) of every item with stock, booked before `end`, per
 * item newest first (time, then id); the domain's FIFO walk (fifoAge) takes the newest layers that cover on-hand.
 * Sent as one unordered text (see salesArrays): a window function cutting the layers in SQL cost ~0.3-0.5 s of
 * sorting on the full Online Retail history; the partial index stock_movements_receipt_layers finds the rows.
 */
export async function receiptLayers(db: Kysely<DB>, locationId: number | null, end: Date): Promise<ReceiptArrays[]> {
  const loc = locationId === null ? sql`` : sql`and m.location_id = ${locationId}`;
  const r = await sql<{ t: string | null }>`
    select string_agg(m.product_id || ' ' || m.location_id || ' ' || ${dayOf('m.occurred_at')} || ' ' || m.qty || ' ' || coalesce(m.unit_cost, p.cost) || ' ' || m.id
      || ' ' || extract(epoch from m.occurred_at)::int8, ',') as t
    from stock_movements m
    join stock_levels s on s.product_id = m.product_id and s.location_id = m.location_id
    join products p on p.id = m.product_id
    where m.kind in ('receipt', 'opening', 'transfer_in') and m.qty > 0 and s.on_hand > 0 and m.occurred_at < ${end} ${loc}`.execute(db);
  const t = r.rows[0]?.t;
  if (!t) return [];
  const v = parseNumberList(t);
  const byItem = new Map<number, number[]>(); // item → offsets into v
  for (let k = 0; k + 6 < v.length; k += 7) {
    const key = v[k] * 100_000 + v[k + 1];
    const list = byItem.get(key);
    if (list) list.push(k);
    else byItem.set(key, [k]);
  }
  const out: ReceiptArrays[] = [];
  for (const ks of byItem.values()) {
    ks.sort((a, b) => v[b + 6] - v[a + 6] || v[b + 5] - v[a + 5]); // newest first: time, then id
    out.push({ product_id: v[ks[0]], location_id: v[ks[0] + 1], days: ks.map((k) => v[k + 2]), qty: ks.map((k) => v[k + 3]), cost: ks.map((k) => v[k + 4]) });
  }
  return out;
}

/** The latest daily forecast's mean demand per day over its first 28 days, per SKU × location. */
export async function forecastDaily(db: Kysely<DB>, locationId: number | null): Promise<{ product_id: number; location_id: number; daily: number }[]> {
  const loc = locationId === null ? sql`` : sql`and f.location_id = ${locationId}`;
  const r = await sql<{ product_id: number; location_id: number; daily: number }>`
    select f.product_id, f.location_id, (select avg(v) from unnest(f.mean[1:28]) v)::float8 as daily
    from forecasts_latest f where f.freq = 'D' ${loc}`.execute(db);
  return r.rows;
}

/** Changes when any movement or promotion is written: the cache key of an analysis. */
export async function dataVersion(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ m: number | null; f: number | null }>`
    select (select max(id) from stock_movements)::int8 as m, (select max(run_id) from forecasts)::int8 as f`.execute(db);
  return `${r.rows[0]?.m ?? 0}:${r.rows[0]?.f ?? 0}`;
}

/**
 * Co-purchases of one item: the other items in the same sales (baskets) over [start, end), with the baskets
 * containing both and each item's basket count (for cosine similarity).
 */
export async function coPurchases(db: Kysely<DB>, productId: number, start: Date, end: Date, limit = 20) {
  const r = await sql<{ product_id: number; sku: string; both: number; n_other: number; n_self: number }>`
    with mine as (
      select distinct sale_id from stock_movements
      where product_id = ${productId} and kind = 'sale' and sale_id is not null and occurred_at >= ${start} and occurred_at < ${end}),
    pairs as (
      select m.product_id, count(distinct m.sale_id)::int as both
      from stock_movements m join mine on mine.sale_id = m.sale_id
      where m.kind = 'sale' and m.product_id <> ${productId}
      group by m.product_id order by 2 desc limit ${limit * 3})
    select pairs.product_id, p.sku, pairs.both, (select count(*) from mine)::int as n_self,
      (select count(distinct sale_id) from stock_movements o where o.product_id = pairs.product_id and o.kind = 'sale'
        and o.occurred_at >= ${start} and o.occurred_at < ${end})::int as n_other
    from pairs join products p on p.id = pairs.product_id`.execute(db);
  return r.rows;
}
