import type { Config } from './config/config.ts';
import { openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createServices, type AppServices } from './services/index.ts';

/** Opens the configured database (PGlite in SHELFWISE_DB_DIR, or DATABASE_URL), migrates it, builds the services. */
export async function bootstrap(config: Config): Promise<AppServices> {
  const database = config.databaseUrl ? await openDatabase({ url: config.databaseUrl, schema: config.databaseSchema }) : await openDatabase({ dir: config.dbDir });
  await migrateToLatest(database);
  return createServices(database, { sessionHours: config.sessionHours });
}
