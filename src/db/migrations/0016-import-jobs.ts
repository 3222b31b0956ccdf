import { sql, type Kysely } from 'kysely';

/**
 * Imports from the dashboard run as background jobs (issue 11: "imports go through the jobs table").
 * - import_uploads: the uploaded file's bytes until its job has read them. In the database, not on a disk, so a
 *   `shelfwise worker` on another machine (PostgreSQL) can run the import; deleted when the job finishes.
 * - imports.job_id: the job that committed an import, written in the import's own transaction, so a job retried
 *   after its worker died knows the import already committed and never imports the file twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table import_uploads (
  id bigserial primary key,
  kind text not null check (kind in ('products','stock','sales')),
  file_name text not null,
  options jsonb not null default '{}',
  content bytea not null,
  size int not null,
  actor text not null,
  created_at timestamptz not null default now()
);
alter table imports add column job_id bigint;
create unique index imports_job on imports (job_id) where job_id is not null;
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop index if exists imports_job;
alter table imports drop column if exists job_id;
drop table if exists import_uploads;
`.execute(db);
}
