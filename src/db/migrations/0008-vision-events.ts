import { sql, type Kysely } from 'kysely';

/**
 * Anonymous camera events (issue 8, docs/vision.md "Privacy design"). One row per person seen by a kiosk or
 * a watched camera: when, where, coarse age band, gender, confidence, how long they stayed. No image, crop,
 * embedding, exact age or identifier is ever stored; `recommended` holds the product ids the kiosk showed
 * (catalog ids, nothing about the person) so the dashboard can tell which were sold in the hour after.
 * Rows older than the retention setting are deleted by the scheduler (vision.service purge).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table vision_events (
  id bigserial primary key,
  occurred_at timestamptz not null,
  location_id int not null references locations(id) on delete cascade,
  zone text,
  source text not null check (source in ('kiosk','camera')),
  age_group text not null check (age_group in ('child','teen','20-29','30-44','45-59','60+')),
  gender text not null check (gender in ('male','female')),
  confidence real not null check (confidence between 0 and 1),
  dwell_ms int not null check (dwell_ms >= 0),
  recommended int[] not null default '{}',
  recorded_at timestamptz not null default now()
);
create index vision_events_time on vision_events (occurred_at);
create index vision_events_location_time on vision_events (location_id, occurred_at);
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists vision_events`.execute(db);
}
