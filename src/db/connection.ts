import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

/** Advisory lock key shared by migrations and schema drops (any constant; this one spells "shelf"). */
export const SCHEMA_DDL_LOCK = 0x7368656c66;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** The PGlite instance when kind = 'pglite' (bulk COPY, dumps). */
  pglite?: PGlite;
  /** PostgreSQL schema in use (search_path), if not the default. */
  schema?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… ; when absent, PGlite. */
  url?: string;
  /** PGlite data folder; absent = in memory. */
  dir?: string;
  /** PostgreSQL schema to use (created if missing) — lets test files run side by side on one database. */
  schema?: string;
  poolSize?: number;
}

// Same JavaScript types from both drivers: bigint counts and numeric money as numbers, dates as 'YYYY-MM-DD'.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const toNumber = (v: string) => Number(v);
const asIs = (v: string) => v;
pg.types.setTypeParser(INT8, toNumber);
pg.types.setTypeParser(NUMERIC, toNumber);
pg.types.setTypeParser(DATE, asIs);

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  if (opts.url) {
    if (opts.schema) await ensureSchema(opts.url, opts.schema);
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 20,
      options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', schema: opts.schema, close: () => db.destroy() };
  }
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const pglite = new PGlite({
    dataDir: opts.dir,
    extensions: { pg_trgm },
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber, [DATE]: asIs },
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', pglite, close: () => db.destroy() };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${schema}`);
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Same lock as migrateToLatest: never drop a schema while another process introspects the catalog.
    await client.query('select pg_advisory_lock($1)', [SCHEMA_DDL_LOCK]);
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

export { sql };
