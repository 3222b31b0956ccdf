/** Plain queries behind replenishment: bulk reads for a run (one statement each) and the small lookups. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export interface ItemRow {
  product_id: number;
  location_id: number;
  sku: string;
  name: string;
  category: string;
  location: string;
  on_hand: number;
  reserved: number;
  cost: number;
  default_supplier_id: number | null;
  forecast_run_id: number | null;
  start_date: string | null;
  mean: number[] | null;
  p80: number[] | null;
  p95: number[] | null;
  rmse: number | null;
  model: string | null;
}

/**
 * SKU × location rows a run plans: active products at store/warehouse locations with a daily forecast or an
 * item policy, with on hand, reserved, cost and the latest daily forecast.
 */
export async function readPlanItems(db: Q, scope: { productIds?: number[]; locationId?: number } = {}): Promise<ItemRow[]> {
  const r = await sql<ItemRow>`
    select s.product_id, s.location_id, p.sku, p.name, p.category, l.code as location, s.on_hand, s.reserved, p.cost::float8 as cost,
      p.default_supplier_id, f.run_id as forecast_run_id, f.start_date, f.mean, f.rmse, f.model,
      -- The quantiles only serve as the spread when the back-test gave no error (the domain's order of hints).
      case when f.rmse is null then f.p80 end as p80, case when f.rmse is null then f.p95 end as p95
    from stock_levels s
    join products p on p.id = s.product_id and p.status = 'active'
    join locations l on l.id = s.location_id and l.kind <> 'quarantine'
    -- The newest daily forecast per row through the primary key (the view's DISTINCT ON sorts every forecast).
    left join lateral (select x.run_id, x.start_date, x.mean, x.p80, x.p95, x.model, nullif((x.backtest->>'rmse')::float8, 'NaN') as rmse from forecasts x
      where x.product_id = s.product_id and x.location_id = s.location_id and x.freq = 'D' order by x.run_id desc limit 1) f on true
    where (f.run_id is not null or exists (select 1 from replenishment_policies rp where rp.product_id = s.product_id and rp.location_id = s.location_id))
      ${scope.productIds ? sql`and s.product_id = any(${scope.productIds}::int[])` : sql``}
      ${scope.locationId !== undefined ? sql`and s.location_id = ${scope.locationId}::int` : sql``}
    order by p.sku, l.code`.execute(db);
  return r.rows;
}

export interface SupplierRow {
  id: number;
  code: string;
  name: string;
  currency: string;
  lead_time_days: number;
  lead_time_sd_days: number;
  moq: number;
  pack_size: number;
  min_order_value: number;
}

export async function readSuppliers(db: Q): Promise<SupplierRow[]> {
  return db
    .selectFrom('suppliers')
    .select(['id', 'code', 'name', 'currency', 'lead_time_days', 'lead_time_sd_days', 'moq', 'pack_size', 'min_order_value'])
    .execute() as Promise<SupplierRow[]>;
}

export interface SupplierProductRow {
  supplier_id: number;
  product_id: number;
  unit_cost: number;
  moq: number | null;
  pack_size: number | null;
}

export async function readSupplierProducts(db: Q, productIds?: number[]): Promise<SupplierProductRow[]> {
  let q = db.selectFrom('supplier_products').select(['supplier_id', 'product_id', 'unit_cost', 'moq', 'pack_size']);
  if (productIds) q = q.where('product_id', 'in', productIds.length ? productIds : [-1]);
  return q.execute();
}

export interface OpenLineRow {
  product_id: number;
  location_id: number;
  po_id: number;
  number: string;
  status: string;
  open_qty: number;
  expected_at: string | null;
}

/** Quantities still to arrive (IN subqueries, not correlated EXISTS: one hashed scan, whatever the statistics say): approved/sent/partially received POs, and draft POs not made by a run (or already decided on). */
export async function readOpenLines(db: Q, scope: { productIds?: number[]; locationId?: number } = {}): Promise<OpenLineRow[]> {
  const r = await sql<OpenLineRow>`
    select l.product_id, po.location_id, po.id as po_id, po.number, po.status, (l.qty_ordered - l.qty_received) as open_qty, po.expected_at
    from purchase_order_lines l join purchase_orders po on po.id = l.po_id
    where l.decision <> 'rejected' and l.qty_ordered > l.qty_received
      and (po.status in ('approved', 'sent', 'partially_received')
        or (po.status = 'draft' and (po.run_id is null or po.id in (select d.po_id from purchase_order_lines d where d.decision = 'approved'))))
      ${scope.productIds ? sql`and l.product_id = any(${scope.productIds}::int[])` : sql``}
      ${scope.locationId !== undefined ? sql`and po.location_id = ${scope.locationId}::int` : sql``}`.execute(db);
  return r.rows;
}

export interface PolicyRow {
  id: number;
  product_id: number | null;
  location_id: number | null;
  category: string | null;
  kind: 'rop' | 'rs' | 'eoq' | 'minmax' | 'jit';
  service_kind: 'csl' | 'fill';
  service_level: number;
  review_days: number;
  ordering_cost: number | null;
  holding_rate: number | null;
  min_qty: number | null;
  max_qty: number | null;
}

export async function readPolicies(db: Q): Promise<PolicyRow[]> {
  return db
    .selectFrom('replenishment_policies')
    .select(['id', 'product_id', 'location_id', 'category', 'kind', 'service_kind', 'service_level', 'review_days', 'ordering_cost', 'holding_rate', 'min_qty', 'max_qty'])
    .execute();
}

/** Next PO numbers (PO-000001…), one round trip. */
export async function nextPoNumbers(trx: Q, n: number): Promise<string[]> {
  if (n === 0) return [];
  const r = await sql<{ v: number }>`select nextval('purchase_order_number_seq')::int as v from generate_series(1, ${n}::int)`.execute(trx);
  return r.rows.map((x) => `PO-${String(x.v).padStart(6, '0')}`);
}
