import { sql, type Kysely } from 'kysely';

/**
 * Recommendations (issue 7).
 *
 * - recommend_models: one row per training run (versioned). `model` holds the encoded model (model-codec:
 *   the recommender and, when the store has ratings, Funk-SVD) as base64 text so a restart serves without retraining;
 *   blobs of old versions are cleared (metrics are kept, for "model quality over time"). At most one run is
 *   'running' at a time, across processes (unique index). `last_sale_id` is the newest sale the model saw;
 *   its reference makes the demo loader's `truncate sales … cascade` (which restarts ids) drop the models too,
 *   so a reused customer or product id never gets another one's recommendations.
 * - ratings: explicit 1-5 ratings of a product by a customer (one per pair; a new rating replaces the old).
 * - sales.shopper_gender / shopper_age_group: the camera kiosk's estimate of an anonymous shopper
 *   (male|female, child|teen|adult|senior), set on the sale it led to; the demographic ranker learns from them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table recommend_models (
  id serial primary key,
  status text not null default 'running' check (status in ('running','done','failed')),
  phase text not null default 'read',
  progress real not null default 0,
  actor text not null,
  options jsonb not null default '{}',
  metrics jsonb,
  error text,
  model text,
  model_bytes int,
  last_sale_id bigint references sales(id),
  started_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  trained_at timestamptz
);
-- base64, stored uncompressed out of line: PGlite converts bytea through hex in JavaScript (33 MB took 10-30 s
-- each way here), text moves in ~1 s; the model's float arrays do not compress anyway
alter table recommend_models alter column model set storage external;
create unique index recommend_models_one_running on recommend_models ((true)) where status = 'running';
create table ratings (
  customer_id int not null references customers(id),
  product_id int not null references products(id),
  rating real not null check (rating >= 1 and rating <= 5),
  rated_at timestamptz not null default now(),
  primary key (customer_id, product_id)
);
create index ratings_product on ratings(product_id);
alter table sales add column shopper_gender text check (shopper_gender in ('male','female'));
alter table sales add column shopper_age_group text check (shopper_age_group in ('child','teen','adult','senior'));
create index sales_shopper on sales(occurred_at) where shopper_gender is not null or shopper_age_group is not null;
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists ratings, recommend_models;
alter table sales drop column if exists shopper_gender;
alter table sales drop column if exists shopper_age_group;`.execute(db);
}
