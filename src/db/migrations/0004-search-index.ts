import { sql, type Kysely } from 'kysely';

/**
 * Substring search ("item 12" anywhere in a name or SKU) through a trigram GIN index on products, not on
 * stock_levels: every sale rewrites a stock_levels row, and a GIN index there would be updated on each sale (or,
 * with fastupdate, grow a pending list that every search scans). Bulk loads flush the products index's pending list
 * (cleanPendingSearchIndex in repositories/bulk.repository.ts) instead of turning fastupdate off, which made the demo's 48k product inserts take 23 s.
 * pg_trgm ships with PGlite (loaded in connection.ts) and is a trusted extension on PostgreSQL 13+. It lives in
 * public (extensions are per database, not per schema), so a DATABASE_SCHEMA install names its operator class there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
select pg_advisory_xact_lock(7272741);  -- CREATE EXTENSION IF NOT EXISTS races when two installs migrate at once
create extension if not exists pg_trgm with schema public;
create index products_name_trgm on products using gin (lower(name) public.gin_trgm_ops, lower(sku) public.gin_trgm_ops);
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists products_name_trgm;`.execute(db);
}

