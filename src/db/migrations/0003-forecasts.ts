import { sql, type Kysely } from 'kysely';

/**
 * Forecasts (issue 4). One row per run in forecast_runs; one row per SKU × location × run in forecasts with the
 * per-period values as arrays (mean, p50, p80, p95 for the periods from start_date on): a run writes ~1 row
 * per series instead of horizon rows (4,000 rows instead of 112,000 for a 28-day daily run), and a product
 * page reads one row through the primary key.
 *
 * Rows are written only in the transaction that marks the run done, so every row belongs to a finished run
 * and "the latest forecast of an item" is simply its highest run_id (view forecasts_latest; the primary key
 * (product_id, location_id, freq, run_id) serves it). At most one run is 'running' at a time (unique index),
 * across processes too. The references to products and locations make `truncate products … cascade` (the demo
 * loader's reload, which restarts ids) clear forecasts too, so a reused id never shows another product's forecast.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table forecast_runs (
  id serial primary key,
  status text not null default 'running' check (status in ('running','done','failed')),
  freq text not null check (freq in ('D','W','M')),
  horizon int not null check (horizon between 1 and 1000),
  scope jsonb not null default '{}',
  as_of date,
  phase text not null default 'read',
  series int not null default 0,
  progress_done int not null default 0,
  progress_total int not null default 0,
  error text,
  actor text not null,
  timings jsonb,
  started_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create unique index forecast_runs_one_running on forecast_runs ((true)) where status = 'running';
create table forecasts (
  run_id int not null references forecast_runs(id) on delete cascade,
  product_id int not null references products(id),
  location_id int not null references locations(id),
  freq text not null check (freq in ('D','W','M')),
  start_date date not null,
  model text not null,
  reason text not null,
  demand_class text not null,
  distribution text not null,
  history_periods int not null,
  out_of_stock_periods int not null,
  backtest jsonb,
  mean float8[] not null,
  p50 float8[] not null,
  p80 float8[] not null,
  p95 float8[] not null,
  primary key (product_id, location_id, freq, run_id)
);
create index forecasts_run on forecasts(run_id);
create view forecasts_latest as
  select distinct on (product_id, location_id, freq) * from forecasts order by product_id, location_id, freq, run_id desc;
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view if exists forecasts_latest; drop table if exists forecasts, forecast_runs cascade`.execute(db);
}
