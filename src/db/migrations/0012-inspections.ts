import { sql, type Kysely } from 'kysely';

/**
 * Defect inspection at receiving (issue 12; docs/inspection.md).
 *
 * - inspection_batches: one receiving session of one product from one supplier into one location: quantity
 *   received, the sampling plan (inspect all, or n of N with an acceptance number), and an optional purchase-order
 *   reference. po_id / po_line_id have no foreign key on purpose: they are filled when #5's receiving calls this
 *   service (its purchase_orders tables arrive in a parallel branch), and a batch must not block deleting a draft PO.
 * - inspections: one photographed unit: the model's call (p, confidence, region, model version, ms) and the human's
 *   final call, both always kept; a photo path only when the store keeps photos (with its expiry).
 * - inspection_movements: the ledger movements a batch caused (receipt of good units, receipt into quarantine,
 *   return to supplier, write-off), so the ledger links back to the inspection.
 * - supplier_credit_lines: a credit-note line per return to the supplier (qty × unit cost), with the PO reference.
 * - stock_movements.kind gains 'return_to_supplier' (units leave quarantine back to the supplier). The check is
 *   rebuilt from the kinds it already allows, so kinds added by other migrations are kept.
 *
 * The references to products, locations and suppliers make the demo loader's `truncate … cascade` clear these too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await setMovementKinds(db, (kinds) => [...new Set([...kinds, 'return_to_supplier'])]);
  await sql`
create table inspection_batches (
  id bigserial primary key,
  supplier_id int not null references suppliers(id),
  product_id int not null references products(id),
  location_id int not null references locations(id),
  quarantine_location_id int not null references locations(id),
  qty_received int not null check (qty_received > 0),
  plan text not null check (plan in ('all','sample')),
  sample_size int not null check (sample_size >= 1 and sample_size <= qty_received),
  accept_max int not null default 0 check (accept_max >= 0),
  po_id bigint,
  po_line_id bigint,
  reference text,
  status text not null default 'open' check (status in ('open','closed')),
  lot_rejected boolean,
  good_qty int,
  defective_qty int,
  returned_qty int not null default 0,
  written_off_qty int not null default 0,
  actor_id int,
  actor text not null,
  created_at timestamptz not null default now(),
  closed_at timestamptz,
  check (returned_qty + written_off_qty <= coalesce(defective_qty, 0))
);
create index inspection_batches_supplier on inspection_batches(supplier_id, created_at);
create index inspection_batches_po on inspection_batches(po_id) where po_id is not null;
create table inspections (
  id bigserial primary key,
  batch_id bigint not null references inspection_batches(id) on delete cascade,
  model_defective boolean,
  model_p float8,
  model_confidence float8,
  model_region jsonb,
  model_version text,
  model_ms real,
  final_defective boolean,
  decided_by text,
  decided_at timestamptz,
  note text,
  photo_path text,
  photo_bytes int,
  photo_expires_at timestamptz,
  actor text not null,
  created_at timestamptz not null default now()
);
create index inspections_batch on inspections(batch_id, id);
create index inspections_photo_expiry on inspections(photo_expires_at) where photo_path is not null;
create table inspection_movements (
  batch_id bigint not null references inspection_batches(id) on delete cascade,
  movement_id bigint not null,
  purpose text not null check (purpose in ('receive_good','quarantine','return_to_supplier','write_off')),
  primary key (batch_id, movement_id)
);
create table supplier_credit_lines (
  id bigserial primary key,
  supplier_id int not null references suppliers(id),
  batch_id bigint not null references inspection_batches(id) on delete cascade,
  product_id int not null references products(id),
  po_id bigint,
  po_line_id bigint,
  movement_id bigint not null,
  qty int not null check (qty > 0),
  unit_cost numeric(14,4) not null,
  amount numeric(14,2) not null,
  reason text,
  actor text not null,
  created_at timestamptz not null default now()
);
create index supplier_credit_lines_supplier on supplier_credit_lines(supplier_id, created_at);
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists supplier_credit_lines, inspection_movements, inspections, inspection_batches cascade`.execute(db);
  await setMovementKinds(db, (kinds) => kinds.filter((k) => k !== 'return_to_supplier'));
}

/** Rewrites the stock_movements kind check with the kinds it allows now, changed by fn (no schema qualification). */
async function setMovementKinds(db: Kysely<any>, fn: (kinds: string[]) => string[]) {
  const r = await sql<{ name: string; def: string }>`
    select c.conname as name, pg_get_constraintdef(c.oid) as def from pg_constraint c
    where c.conrelid = 'stock_movements'::regclass and c.contype = 'c' and pg_get_constraintdef(c.oid) like '%kind%'`.execute(db);
  const current = r.rows[0];
  const kinds = current ? [...current.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]) : [];
  const next = fn(kinds);
  if (current) await sql`alter table stock_movements drop constraint ${sql.id(current.name)}`.execute(db);
  await sql`alter table stock_movements add constraint stock_movements_kind_check check (kind in (${sql.join(next.map((k) => sql.lit(k)))}))`.execute(db);
}
