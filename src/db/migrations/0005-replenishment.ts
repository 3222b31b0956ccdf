import { sql, type Kysely } from 'kysely';

/**
 * Replenishment (issue 5): policies per SKU × location or per category, runs, the latest plan per item, purchase
 * orders with their lines and receipts.
 *
 * Suggestions are the lines of draft POs made by a run (purchase_orders.run_id set): each line keeps the numbers
 * that explain it (explain jsonb) and a decision (open → approved / rejected). replenishment_plans holds one row
 * per SKU × location from the latest run (policy numbers, days until stockout) for lists and alerts.
 * A receipt row links each received quantity to the ledger movement it wrote (quality inspection builds on it).
 * qty_received ≤ qty_ordered is a CHECK, so no concurrency bug can over-receive a line.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table replenishment_policies (
  id serial primary key,
  product_id int references products(id) on delete cascade,
  location_id int references locations(id) on delete cascade,
  category text,
  kind text not null check (kind in ('rop','rs','eoq','minmax','jit')),
  service_kind text not null default 'csl' check (service_kind in ('csl','fill')),
  service_level numeric(6,4) not null default 0.95 check (service_level > 0 and service_level < 1),
  review_days numeric(6,2) not null default 7 check (review_days >= 0),
  ordering_cost numeric(12,2) check (ordering_cost >= 0),
  holding_rate numeric(6,4) check (holding_rate >= 0),
  min_qty int check (min_qty >= 0),
  max_qty int check (max_qty >= 0),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  check ((product_id is not null and location_id is not null and category is null) or (product_id is null and category is not null))
);
create unique index replenishment_policies_item on replenishment_policies(product_id, location_id) where product_id is not null;
create unique index replenishment_policies_class on replenishment_policies(category, coalesce(location_id, 0)) where category is not null;
create table replenishment_runs (
  id serial primary key,
  status text not null default 'running' check (status in ('running','done','failed')),
  options jsonb not null default '{}',
  items int not null default 0,
  suggestions int not null default 0,
  purchase_orders int not null default 0,
  total_value numeric(16,2) not null default 0,
  skipped jsonb not null default '[]',
  alerts int not null default 0,
  timings jsonb,
  error text,
  actor text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
-- Only product_id is a foreign key here and on the lines (truncating products clears both): each foreign key is a
-- trigger per inserted row, and a run writes one plan per SKU × location (50,000 rows in the issue's floor).
create table replenishment_plans (
  product_id int not null references products(id) on delete cascade,
  location_id int not null,
  run_id int not null,
  supplier_id int,
  kind text not null,
  reorder_point numeric(14,2) not null,
  order_up_to numeric(14,2) not null,
  eoq numeric(14,2),
  safety_stock numeric(14,2) not null,
  inventory_position int not null,
  suggested_qty int not null,
  expected_shortage float8 not null,
  days_until_stockout float8,
  stockout_alert boolean not null default false,
  summary text not null,
  note text,
  primary key (product_id, location_id)
);
create table purchase_orders (
  id serial primary key,
  number text not null unique,
  supplier_id int not null references suppliers(id),
  location_id int not null references locations(id),
  status text not null default 'draft' check (status in ('draft','approved','sent','partially_received','received','closed','cancelled')),
  currency text not null,
  total numeric(16,2) not null default 0,
  run_id int references replenishment_runs(id) on delete set null,
  why text,
  notes text,
  expected_at date,
  created_by text not null,
  created_at timestamptz not null default now(),
  approved_by text,
  approved_at timestamptz,
  sent_at timestamptz,
  received_at timestamptz,
  closed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text,
  updated_at timestamptz not null default now()
);
create index purchase_orders_status on purchase_orders(status, id);
create index purchase_orders_supplier on purchase_orders(supplier_id, id);
create table purchase_order_lines (
  id bigserial primary key,
  po_id int not null references purchase_orders(id) on delete cascade,
  product_id int not null,
  qty_ordered int not null check (qty_ordered > 0),
  qty_received int not null default 0 check (qty_received >= 0 and qty_received <= qty_ordered),
  unit_cost numeric(14,4) not null check (unit_cost >= 0),
  suggested_qty int,
  decision text not null default 'open' check (decision in ('open','approved','rejected')),
  summary text,
  explain text,
  expected_shortage float8,
  days_until_stockout float8,
  unique (po_id, product_id)
);
create index purchase_order_lines_product on purchase_order_lines(product_id);
create table purchase_order_receipts (
  id bigserial primary key,
  po_id int not null references purchase_orders(id) on delete cascade,
  line_id bigint not null references purchase_order_lines(id) on delete cascade,
  movement_id bigint not null,
  location_id int not null references locations(id),
  qty int not null check (qty > 0),
  actor text not null,
  received_at timestamptz not null default now()
);
create index purchase_order_receipts_po on purchase_order_receipts(po_id);
create sequence purchase_order_number_seq;
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists purchase_order_receipts, purchase_order_lines, purchase_orders, replenishment_plans, replenishment_runs, replenishment_policies cascade;
    drop sequence if exists purchase_order_number_seq`.execute(db);
}
