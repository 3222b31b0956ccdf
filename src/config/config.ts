import { resolve } from 'node:path';
import { z } from 'zod';
import { dataDir } from './data-dir.ts';
import { parseForecastAt } from './time-of-day.ts';

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
  /** Local time of the nightly forecast job ('HH:MM') or 'off' (read by the scheduler; checked here so serve fails fast). */
  FORECAST_AT: z
    .string()
    .optional()
    .refine((v) => {
      try {
        parseForecastAt(v);
        return true;
      } catch {
        return false;
      }
    }, 'expected HH:MM (24-hour local time) or off'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Storefront (docs/storefront.md): Stripe keys; card payments are offered only when the secret key is set. */
  STRIPE_SECRET_KEY: z.preprocess(blankAsUnset, z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'a Stripe secret key (sk_test_… or sk_live_…)').optional()),
  STRIPE_PUBLISHABLE_KEY: z.preprocess(blankAsUnset, z.string().regex(/^pk_(test|live)_\w+$/, 'a Stripe publishable key (pk_test_… or pk_live_…)').optional()),
  STRIPE_WEBHOOK_SECRET: z.preprocess(blankAsUnset, z.string().regex(/^whsec_\w+$/, 'a webhook signing secret (whsec_…)').optional()),
  /** Another Stripe API endpoint (stripe-mock, a test server): http(s)://host:port. Unset = api.stripe.com. */
  STRIPE_API_BASE: z.preprocess(blankAsUnset, z.string().url().regex(/^https?:\/\/[^/]+\/?$/, 'scheme, host and port only, e.g. http://127.0.0.1:12111').optional()),
  /** The location the shop sells from (default: the first warehouse, else the first location). */
  SHOP_LOCATION: z.preprocess(blankAsUnset, z.string().optional()),
  SHOP_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code such as GBP').default('GBP'),
  /** Minutes a checkout holds its stock while payment is pending. */
  SHOP_RESERVATION_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
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
  shop: ShopConfig;
};

export interface ShopConfig {
  location?: string;
  currency: string;
  reservationMinutes: number;
  stripe?: { secretKey: string; publishableKey?: string; webhookSecret?: string; live: boolean; apiBase?: string };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`configuration: ${i.path.join('.')}: ${i.message}`);
  }
  const e = parsed.data;
  const live = (k?: string) => (k ? /_live_/.test(k) : undefined);
  if (e.STRIPE_SECRET_KEY && /_live_/.test(e.STRIPE_SECRET_KEY) && !e.STRIPE_WEBHOOK_SECRET)
    throw new Error('configuration: STRIPE_WEBHOOK_SECRET: needed with a live key, or paid orders would only be confirmed when the shopper returns to the shop');
  if (e.STRIPE_PUBLISHABLE_KEY && !e.STRIPE_SECRET_KEY) throw new Error('configuration: STRIPE_SECRET_KEY: needed with STRIPE_PUBLISHABLE_KEY');
  if (e.STRIPE_SECRET_KEY && e.STRIPE_PUBLISHABLE_KEY && live(e.STRIPE_SECRET_KEY) !== live(e.STRIPE_PUBLISHABLE_KEY))
    throw new Error('configuration: STRIPE_PUBLISHABLE_KEY: one key is live and the other test; use a pair from the same mode');
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
    shop: {
      location: e.SHOP_LOCATION,
      currency: e.SHOP_CURRENCY,
      reservationMinutes: e.SHOP_RESERVATION_MINUTES,
      stripe: e.STRIPE_SECRET_KEY
        ? { secretKey: e.STRIPE_SECRET_KEY, publishableKey: e.STRIPE_PUBLISHABLE_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, live: live(e.STRIPE_SECRET_KEY)!, apiBase: e.STRIPE_API_BASE }
        : undefined,
    },
  };
}
