import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';
import type { MovementRow, SaleHeader } from './stock.repository.ts';

type Trx = Transaction<DB>;

/** Rows per statement: PGlite costs ~0.3-0.6 ms per statement, so bulk work is batched, never row by row. */
export const BATCH = 5000;

/** A movement as the bulk paths write it (no reversals or transfers there). */
export type BulkMovement = Omit<MovementRow, 'reversesId' | 'transferRef'>;

/** A sale header with its id reserved in advance (reserveIds), for batched inserts. */
export type BulkSale = SaleHeader & { id: number };

/** Reserves n ids from a sequence, so parents and children can be written in batches without RETURNING order games. */
export async function reserveIds(trx: Trx, sequence: 'sales_id_seq' | 'stock_movements_id_seq', n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await sql<{ id: number }>`select nextval(${sequence}::regclass)::int8 as id from generate_series(1, ${n}::int)`.execute(trx);
  return r.rows.map((x) => Number(x.id));
}

export async function insertSales(trx: Trx, sales: BulkSale[], createdBy: number | null, onBatch?: (n: number) => void) {
  for (let i = 0; i < sales.length; i += BATCH) {
    const b = sales.slice(i, i + BATCH);
    await sql`insert into sales (id, location_id, customer_id, order_ref, channel, occurred_at, total, created_by)
      select *, ${createdBy}::int from unnest(${b.map((s) => s.id)}::int8[], ${b.map((s) => s.locationId)}::int[], ${b.map((s) => s.customerId)}::int[],
        ${b.map((s) => s.orderRef)}::text[], ${b.map((s) => s.channel)}::text[], ${b.map((s) => s.occurredAt.toISOString())}::timestamptz[],
        ${b.map((s) => s.total)}::numeric[])`.execute(trx);
    onBatch?.(b.length);
  }
}

/**
 * Appends movements (already in time order) and brings stock_levels to match, computing each movement's
 * balance_after from the item's current on-hand. Returns the final on-hand per "product:location".
 */
export async function appendMovements(
  trx: Trx,
  rows: BulkMovement[],
  actor: { id: number | null; label: string },
  onBatch?: (n: number) => void,
): Promise<Map<string, number>> {
  const key = (r: { productId: number; locationId: number }) => `${r.productId}:${r.locationId}`;
  const items = new Map<string, { productId: number; locationId: number }>();
  for (const r of rows) items.set(key(r), r);
  const onHand = new Map<string, number>();
  const list = [...items.values()];
  for (let i = 0; i < list.length; i += BATCH) {
    const b = list.slice(i, i + BATCH);
    const cur = await sql<{ product_id: number; location_id: number; on_hand: number }>`
      select s.product_id, s.location_id, s.on_hand from stock_levels s
      join unnest(${b.map((x) => x.productId)}::int[], ${b.map((x) => x.locationId)}::int[]) as k(p, l) on s.product_id = k.p and s.location_id = k.l
      for update of s`.execute(trx);
    for (const c of cur.rows) onHand.set(`${c.product_id}:${c.location_id}`, c.on_hand);
  }
  const balance = new Int32Array(rows.length);
  const lastAt = new Map<string, Date>();
  const lastSale = new Map<string, Date>();
  rows.forEach((r, i) => {
    const k = key(r);
    const b = (onHand.get(k) ?? 0) + r.qty;
    onHand.set(k, b);
    balance[i] = b;
    lastAt.set(k, r.occurredAt);
    if (r.kind === 'sale') lastSale.set(k, r.occurredAt);
  });
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    const col = <K extends keyof BulkMovement>(k: K) => b.map((r) => r[k]);
    await sql`insert into stock_movements (product_id, location_id, kind, qty, balance_after, unit_cost, unit_price, reason, sale_id, occurred_at, actor_id, actor)
      select *, ${actor.id}::int, ${actor.label}::text from unnest(${col('productId')}::int[], ${col('locationId')}::int[], ${col('kind')}::text[],
        ${col('qty')}::int[], ${Array.from(balance.subarray(i, i + b.length))}::int[], ${col('unitCost')}::numeric[], ${col('unitPrice')}::numeric[],
        ${col('reason')}::text[], ${col('saleId')}::int8[], ${b.map((r) => r.occurredAt.toISOString())}::timestamptz[])`.execute(trx);
    onBatch?.(b.length);
  }
  for (let i = 0; i < list.length; i += BATCH) {
    const b = list.slice(i, i + BATCH);
    const ks = b.map(key);
    await sql`insert into stock_levels as s (product_id, location_id, on_hand, last_movement_at, last_sale_at)
      select * from unnest(${b.map((x) => x.productId)}::int[], ${b.map((x) => x.locationId)}::int[], ${ks.map((k) => onHand.get(k)!)}::int[],
        ${ks.map((k) => lastAt.get(k)!.toISOString())}::timestamptz[], ${ks.map((k) => lastSale.get(k)?.toISOString() ?? null)}::timestamptz[])
      on conflict (product_id, location_id) do update set on_hand = excluded.on_hand,
        last_movement_at = greatest(s.last_movement_at, excluded.last_movement_at),
        last_sale_at = coalesce(greatest(s.last_sale_at, excluded.last_sale_at), s.last_sale_at, excluded.last_sale_at)`.execute(trx);
  }
  return onHand;
}

/** Inserts customers by code if missing; returns code → id for all given codes. */
export async function ensureCustomers(trx: Trx, customers: { code: string; country?: string | null }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < customers.length; i += BATCH) {
    const b = customers.slice(i, i + BATCH);
    await sql`insert into customers (code, country) select * from unnest(${b.map((c) => c.code)}::text[], ${b.map((c) => c.country ?? null)}::text[])
      on conflict (code) do nothing`.execute(trx);
    const r = await sql<{ id: number; code: string }>`select id, code from customers where code = any(${b.map((c) => c.code)}::text[])`.execute(trx);
    for (const x of r.rows) out.set(x.code, x.id);
  }
  return out;
}

/** Merges the products trigram index's pending list after a bulk product load, so searches do not scan it. */
export async function cleanPendingSearchIndex(db: Kysely<DB>): Promise<void> {
  await sql`select gin_clean_pending_list('products_name_trgm'::regclass)`.execute(db);
}
