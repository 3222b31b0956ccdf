import { resolve } from 'node:path';
import { z } from 'zod';
import { dataDir } from './data-dir.ts';

/** Every setting, read from the environment once and validated. README "Configuration" lists them. */
/** An empty variable counts as unset (e.g. DATABASE_URL= to force the embedded database). */
const blankAsUnset = (v: unknown) => (v === '' ? undefined : v);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** postgres://… to run on a PostgreSQL server; unset = embedded PGlite in SHELFWISE_DB_DIR. */
  DATABASE_URL: z.preprocess(blankAsUnset, z.string().url().optional()),
  /** PostgreSQL schema to use (created if missing); default: the server's search_path (public). */
  DATABASE_SCHEMA: z.preprocess(blankAsUnset, z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').optional()),
  SHELFWISE_DB_DIR: z.string().default('./data/pglite'),
  /** Public data sets for the demo store (../shared/data in this repository's layout). */
  SHELFWISE_DATA: z.string().optional(),
  /** Load the demo store on first start when the data sets are there (1) or never (0). */
  SHELFWISE_DEMO: z.enum(['0', '1']).default('1'),
  /** Session lifetime for dashboard logins, in hours. */
  SESSION_HOURS: z.coerce.number().positive().default(12),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  databaseSchema?: string;
  dbDir: string;
  dataDir: string;
  demo: boolean;
  sessionHours: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`configuration: ${i.path.join('.')}: ${i.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    dbDir: resolve(e.SHELFWISE_DB_DIR),
    dataDir: e.SHELFWISE_DATA ? resolve(e.SHELFWISE_DATA) : dataDir(),
    demo: e.SHELFWISE_DEMO === '1',
    sessionHours: e.SESSION_HOURS,
    logLevel: e.LOG_LEVEL,
  };
}
