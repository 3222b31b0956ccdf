import { sql, type Kysely } from 'kysely';

/**
 * Placement (issue 9). The zones themselves stay in the foundation's `zones` table (kind, visibility = the
 * configured lift, capacity); placement_zones adds the layout grid position, busy hours, the capacity unit and
 * the learned lift with its uncertainty. placement_assignments keeps the assignment history of units (a SKU or
 * a category block key) to zones: the current row has valid_to null, and a sale is attributed to the zone its
 * unit's row covered at the time of the sale. placement_plans holds the optimiser's runs (inputs, before/after,
 * moves, bound and gap); applying one closes and opens assignment rows in one transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table placement_zones (
  zone_id int primary key references zones(id) on delete cascade,
  grid_x int not null default 0,
  grid_y int not null default 0,
  grid_w int not null default 1 check (grid_w between 1 and 12),
  grid_h int not null default 1 check (grid_h between 1 and 12),
  busy_hours int[] not null default '{}',
  capacity_unit text not null default 'facings' check (capacity_unit in ('facings','metres')),
  lift_learned float8,
  lift_sd float8,
  lift_evidence float8 not null default 0,
  lift_updated_at timestamptz
);
create table placement_settings (
  location_id int primary key references locations(id) on delete cascade,
  settings jsonb not null default '{}',
  updated_at timestamptz not null default now()
);
create table placement_plans (
  id serial primary key,
  location_id int not null references locations(id) on delete cascade,
  status text not null default 'proposed' check (status in ('proposed','applied','superseded')),
  params jsonb not null,
  result jsonb not null,
  objective_before float8 not null,
  objective_after float8 not null,
  bound float8 not null,
  gap float8 not null,
  greedy float8,
  method text not null,
  ms int not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text
);
create index placement_plans_location on placement_plans(location_id, id desc);
create table placement_assignments (
  id bigserial primary key,
  location_id int not null references locations(id) on delete cascade,
  unit_key text not null,
  zone_id int not null references zones(id) on delete cascade,
  pinned boolean not null default false,
  valid_from timestamptz not null default now(),
  valid_to timestamptz,
  plan_id int references placement_plans(id) on delete set null
);
create unique index placement_assignments_current on placement_assignments(location_id, unit_key) where valid_to is null;
create index placement_assignments_history on placement_assignments(location_id, valid_from);
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists placement_assignments, placement_plans, placement_settings, placement_zones cascade`.execute(db);
}
