import { sql, type Kysely } from 'kysely';
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
      || E'\t' || ${clean('l.code')} || E'\t' || ${clean('p.sku')} || E'\t' || ${clean('p.category')} || E'\t' || ${clean('p.name')}, E'\n' order by s.product_id, s.location_id) as t
    from stock_levels s join products p on p.id = s.product_id join locations l on l.id = s.location_id
    where (s.on_hand > 0 or s.last_sale_at >= ${start}) ${loc}`.execute(db);
  const t = r.rows[0]?.t;
  if (!t) return [];
  return t.split('\n').map((line) => {
    const f = line.split('\t');
    return { product_id: +f[0], location_id: +f[1], on_hand: +f[2], price: +f[3], cost: +f[4], location: f[5], sku: f[6], category: f[7], name: f[8] };
  });
}

/**
 * Daily net units, units sold and revenue per SKU × location in [start, end), from ledger_daily (kept by a trigger
 * on the ledger, migration 0014: no grouping of raw movements here). Sent as one text like stockRows: with PGlite,
 * ~280k item-days as arrays or rows cost several times more to decode than one string.
 */
export async function salesArrays(db: Kysely<DB>, locationId: number | null, start: Date, end: Date): Promise<SalesArrays[]> {
  const loc = locationId === null ? sql`` : sql`and location_id = ${locationId}`;
  const r = await sql<{ t: string | null }>`
    select string_agg(product_id || ' ' || location_id || ' ' || (day - ${EPOCH}) || ' ' || net || ' ' || sold || ' ' || revenue, ','
      order by product_id, location_id, day) as t
    from ledger_daily
    where sale_rows > 0 and day >= ${utcDate(start)}::date and day < ${utcDate(end)}::date ${loc}`.execute(db);
  const out: SalesArrays[] = [];
  const t = r.rows[0]?.t;
  if (!t) return out;
  // Hand-parsed: split + Number over ~280k records cost ~0.4 s; one pass over the characters ~30 ms.
  const v = parseNumberList(t);
  let cur: SalesArrays | null = null;
  for (let k = 0; k + 5 < v.length; k += 6) {
    const p = v[k];
    const l = v[k + 1];
    if (!cur || cur.product_id !== p || cur.location_id !== l) out.push((cur = { product_id: p, location_id: l, days: [], net: [], sold: [], revenue: [] }));
    cur.days.push(v[k + 2]);
    cur.net.push(v[k + 3]);
    cur.sold.push(v[k + 4]);
    cur.revenue.push(v[k + 5]);
  }
  return out;
}

/**
 * The numbers in a text of decimal numbers separated by spaces or commas (optional '-', digits, optional '.' and
 * digits), in order. Each is (integer digits as one integer) / 10^decimals: one rounding, as Number() gives.
 */
export function parseNumberList(t: string): Float64Array {
  let count = 1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 44) count++;
  }
  const out = new Float64Array(count);
  let n = 0;
  let i = 0;
  const len = t.length;
  while (i < len) {
    let neg = false;
    if (t.charCodeAt(i) === 45) {
      neg = true;
      i++;
    }
    let m = 0;
    let scale = 1;
    let frac = false;
    for (; i < len; i++) {
      const c = t.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        if (frac) scale *= 10;
      } else if (c === 46) frac = true;
      else if (c === 32 || c === 44) break;
      else throw new Error(`unexpected character ${JSON.stringify(t[i])} at ${i} in a number list`);
    }
    out[n++] = (neg ? -m : m) / scale;
    i++;
  }
  return n === count ? out : out.subarray(0, n);
}

/** 'YYYY-MM-DD' of a UTC instant (ledger_daily days are UTC days). */
const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The receipt layers (receipts, opening counts, transfers in) still on hand under FIFO: walking back from the
 * newest, only the layers needed to cover today's on-hand. Booked before `end`. Sent as text (see stockRows).
 */
export async function receiptLayers(db: Kysely<DB>, locationId: number | null, end: Date): Promise<ReceiptArrays[]> {
  const loc = locationId === null ? sql`` : sql`and m.location_id = ${locationId}`;
  const r = await sql<{ t: string | null }>`
    select string_agg(product_id || ' ' || location_id || ' ' || d || ' ' || q || ' ' || c, ',' order by product_id, location_id) as t
    from (
      select m.product_id, m.location_id, ${dayOf('m.occurred_at')}::int as d, m.qty as q,
        coalesce(m.unit_cost, p.cost) as c, s.on_hand,
        sum(m.qty) over (partition by m.product_id, m.location_id order by m.occurred_at desc, m.id desc) as cum
      from stock_movements m
      join stock_levels s on s.product_id = m.product_id and s.location_id = m.location_id
      join products p on p.id = m.product_id
      where m.kind in ('receipt', 'opening', 'transfer_in') and m.qty > 0 and s.on_hand > 0 and m.occurred_at < ${end} ${loc}) x
    where cum - q < on_hand`.execute(db);
  const out: ReceiptArrays[] = [];
  let cur: ReceiptArrays | null = null;
  for (const e of r.rows[0]?.t?.split(',') ?? []) {
    const [p, l, d, q, c] = e.split(' ').map(Number);
    if (!cur || cur.product_id !== p || cur.location_id !== l) out.push((cur = { product_id: p, location_id: l, days: [], qty: [], cost: [] }));
    cur.days.push(d);
    cur.qty.push(q);
    cur.cost.push(c);
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
