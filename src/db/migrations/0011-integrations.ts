import { sql, type Kysely } from 'kysely';

/**
 * Integrations and scale-out (issue 11).
 *
 * jobs: background work claimed with `FOR UPDATE SKIP LOCKED` by any number of workers. A claimed job holds a lease
 * (locked_until) that its worker extends while it runs; a job whose lease ran out (its worker died) is claimed again.
 * state is the handler's checkpoint (kept across attempts) so a retried job can resume or clean up.
 *
 * outbox_events: written by emitEvent() in the same transaction as the change it describes, so an event exists
 * exactly when its change committed. A dispatcher turns each into one webhook_deliveries row per matching
 * subscription and one 'webhook.deliver' job each, in one statement (unique (subscription_id, event_id) keeps a
 * second dispatcher from doubling them).
 *
 * incoming_sources / incoming_events / external_levels: shops that send us orders and inventory levels, the log of
 * what they sent (unique per source and external id), and the last level each reported per item.
 *
 * forecast_runs: the one-running-run index becomes one running run per location scope, so a chain's stores can be
 * forecast by parallel workers (a whole-chain run and per-store runs still never overlap with their own kind).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table jobs (
  id bigserial primary key,
  type text not null,
  payload jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued','running','done','failed','cancelled')),
  priority int not null default 100,
  attempts int not null default 0,
  max_attempts int not null default 5 check (max_attempts between 1 and 100),
  backoff_ms int not null default 2000,
  run_at timestamptz not null default now(),
  locked_by text,
  locked_until timestamptz,
  progress_done int not null default 0,
  progress_total int not null default 0,
  progress_note text,
  state jsonb,
  result jsonb,
  error text,
  dedupe_key text,
  actor text not null default 'system',
  created_at timestamptz not null default now(),
  started_at timestamptz,
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_ready on jobs (priority, run_at, id) where status = 'queued';
create index jobs_lease on jobs (locked_until) where status = 'running';
create unique index jobs_dedupe on jobs (dedupe_key) where dedupe_key is not null and status in ('queued','running');
create index jobs_type on jobs (type, id desc);

create table outbox_events (
  id bigserial primary key,
  type text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  dispatched_at timestamptz
);
create index outbox_pending on outbox_events (id) where dispatched_at is null;

create table webhook_subscriptions (
  id serial primary key,
  url text not null,
  secret text not null,
  events text[] not null,
  description text not null default '',
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table webhook_deliveries (
  id bigserial primary key,
  subscription_id int not null references webhook_subscriptions(id) on delete cascade,
  event_id bigint not null references outbox_events(id),
  event_type text not null,
  status text not null default 'pending' check (status in ('pending','delivered','failed')),
  attempts int not null default 0,
  last_status int,
  last_error text,
  last_ms int,
  replay_of bigint references webhook_deliveries(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz
);
create unique index webhook_deliveries_once on webhook_deliveries (subscription_id, event_id) where replay_of is null;
create index webhook_deliveries_recent on webhook_deliveries (id desc);

create table incoming_sources (
  id serial primary key,
  code text not null unique,
  kind text not null check (kind in ('generic','shopify','woocommerce')),
  secret text not null,
  location_code text not null,
  item_map jsonb not null default '{}',
  location_map jsonb not null default '{}',
  apply_levels boolean not null default true,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table incoming_events (
  id bigserial primary key,
  source_id int not null references incoming_sources(id) on delete cascade,
  external_id text not null,
  topic text not null,
  status text not null check (status in ('applied','ignored','failed')),
  error text,
  result jsonb,
  received_at timestamptz not null default now(),
  unique (source_id, external_id)
);
create index incoming_events_recent on incoming_events (id desc);

create table external_levels (
  source_id int not null references incoming_sources(id) on delete cascade,
  product_id int not null references products(id),
  location_id int not null references locations(id),
  available int not null,
  external_updated_at timestamptz,
  received_at timestamptz not null default now(),
  primary key (source_id, location_id, product_id)
);

drop index forecast_runs_one_running;
create unique index forecast_runs_one_running on forecast_runs ((coalesce(scope->>'location', '*'))) where status = 'running';
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop index forecast_runs_one_running;
create unique index forecast_runs_one_running on forecast_runs ((true)) where status = 'running';
drop table external_levels; drop table incoming_events; drop table incoming_sources;
drop table webhook_deliveries; drop table webhook_subscriptions; drop table outbox_events; drop table jobs;
`.execute(db);
}
