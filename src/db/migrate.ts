import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './connection.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-inventory-listing.ts';
import * as m0003 from './migrations/0003-forecasts.ts';
import * as m0004 from './migrations/0004-search-index.ts';

/** Migrations live in code (not read from a folder) so they run the same under tsx, tests and bundles. */
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-inventory-listing': m0002,
  '0003-forecasts': m0003,
  '0004-search-index': m0004,
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
  const migrator = new Migrator({ db: database.db, provider: new StaticProvider(), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
