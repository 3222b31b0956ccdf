import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { SCHEMA_DDL_LOCK, type Database } from './connection.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-inventory-listing.ts';
import * as m0003 from './migrations/0003-forecasts.ts';
import * as m0004 from './migrations/0004-search-index.ts';
import * as m0005 from './migrations/0005-replenishment.ts';
import * as m0006 from './migrations/0006-promotions.ts';
import * as m0007 from './migrations/0007-recommendations.ts';
import * as m0008 from './migrations/0008-vision-events.ts';
import * as m0009 from './migrations/0009-placement.ts';
import * as m0010 from './migrations/0010-storefront.ts';
import * as m0011 from './migrations/0011-integrations.ts';
import * as m0012 from './migrations/0012-inspections.ts';
import * as m0013 from './migrations/0013-vision-demo-source.ts';
import * as m0014 from './migrations/0014-ledger-daily.ts';
import * as m0016 from './migrations/0016-import-jobs.ts';

/** Migrations live in code (not read from a folder) so they run the same under tsx, tests and bundles. */
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-inventory-listing': m0002,
  '0003-forecasts': m0003,
  '0004-search-index': m0004,
  '0005-replenishment': m0005,
  '0006-promotions': m0006,
  '0007-recommendations': m0007,
  '0008-vision-events': m0008,
  '0009-placement': m0009,
  '0010-storefront': m0010,
  '0011-integrations': m0011,
  '0012-inspections': m0012,
  '0013-vision-demo-source': m0013,
  '0014-ledger-daily': m0014,
  // 0015 is the reports branch's (planning reports); numbers only order the migrations.
  '0016-import-jobs': m0016,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

export async function migrateToLatest(database: Database): Promise<string[]> {
  // Kysely looks for its own tables in any schema unless told which: name it, or a second schema on the
  // same server would see the first one's migration tables.
  const migrationTableSchema = database.kind === 'postgres' ? (database.schema ?? 'public') : undefined;
  if (await upToDate(database, migrationTableSchema)) return [];
  const migrator = new Migrator({ db: database.db, provider: new StaticProvider(), migrationTableSchema });
  const run = async () => {
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  if (database.kind !== 'postgres') return run();
  // Kysely's introspection reads the catalog of every schema on the server; a schema dropped by another
  // process in the middle of that read fails it with "schema … does not exist". Migrations and schema drops
  // (dropSchema) take the same server-wide advisory lock, held on one pooled connection while the migrator
  // uses others.
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SCHEMA_DDL_LOCK})`.execute(conn);
    try {
      return await run();
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_DDL_LOCK})`.execute(conn);
    }
  });
}

/**
 * Every migration in the code is recorded, and nothing else: nothing to do. Every CLI command and server start
 * migrates first; Kysely's migrator introspects the catalog and locks its tables even when nothing is pending
 * (~0.3 s of each CLI command on PGlite), and on PostgreSQL it would also wait for the server-wide DDL lock.
 * Anything else (no table yet, a migration pending or unknown) goes through the migrator, which decides.
 */
async function upToDate(database: Database, schema: string | undefined): Promise<boolean> {
  const table = schema ? sql`${sql.id(schema, 'kysely_migration')}` : sql`kysely_migration`;
  try {
    const r = await sql<{ name: string }>`select name from ${table}`.execute(database.db);
    const done = new Set(r.rows.map((x) => x.name));
    const wanted = Object.keys(migrations);
    return done.size === wanted.length && wanted.every((n) => done.has(n));
  } catch {
    return false;
  }
}
