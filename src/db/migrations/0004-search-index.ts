import { sql, type Kysely } from 'kysely';

/**
 * Substring search ("item 12" anywhere in a name or SKU) as trigram GIN indexes instead of a scan of every row.
 * pg_trgm ships with PGlite (loaded in connection.ts) and is a trusted extension on PostgreSQL 13+. It lives in
 * public (extensions are per database, not per schema), so a DATABASE_SCHEMA install names its operator class there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
select pg_advisory_xact_lock(7272741);  -- CREATE EXTENSION IF NOT EXISTS races when two installs migrate at once
create extension if not exists pg_trgm with schema public;
create index stock_levels_name_trgm on stock_levels using gin (lower(name) public.gin_trgm_ops, lower(sku) public.gin_trgm_ops);
create index products_name_trgm on products using gin (lower(name) public.gin_trgm_ops, lower(sku) public.gin_trgm_ops);
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists stock_levels_name_trgm; drop index if exists products_name_trgm;`.execute(db);
}
