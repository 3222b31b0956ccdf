// Browser-test harness: the real server on a temporary embedded database, Debian's chromium through playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB = join(ROOT, 'web');
const DIST_INDEX = join(WEB, 'dist', 'index.html');

/** Why browser tests cannot run here, or null when they can. */
export function skipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests`;
  return null;
}

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const n of readdirSync(p)) m = Math.max(m, newestMtime(join(p, n)));
  return m;
}

/** True when web/dist is missing or older than any source of the web app. */
export function webDistStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const src = Math.max(newestMtime(join(WEB, 'src')), newestMtime(join(WEB, 'index.html')), newestMtime(join(WEB, 'vite.config.ts')));
  return statSync(DIST_INDEX).mtimeMs < src;
}

/** Builds web/dist when it is missing or stale (one build at a time across test processes). */
export function ensureWebBuilt(): { built: boolean; ms: number } {
  if (!webDistStale()) return { built: false, ms: 0 };
  const lock = join(WEB, '.build-lock');
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - t0 > 120_000) rmSync(lock, { recursive: true, force: true });
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (!webDistStale()) return { built: false, ms: Date.now() - t0 };
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
    return { built: true, ms: Date.now() - t0 };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export interface RunningServer {
  url: string;
  adminEmail: string;
  adminPassword: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `shelfwise serve` as the README does, on a fresh PGlite folder, without the demo store. */
/** opts.dbDir: serve an existing PGlite folder (kept unless removeDbDir). */
export async function startServer(opts: { dbDir?: string; removeDbDir?: boolean; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const port = await freePort();
  const dbDir = opts.dbDir ?? mkdtempSync(join(tmpdir(), 'shelfwise-e2e-db-'));
  const adminPassword = 'e2e-admin-password-1';
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', SHELFWISE_DB_DIR: dbDir, SHELFWISE_DEMO: '0', SHELFWISE_ADMIN_PASSWORD: adminPassword, LOG_LEVEL: 'warn', ...opts.env };
  delete env.DATABASE_URL; // always the embedded database
  delete env.NODE_TEST_CONTEXT; // the server is not a test file
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /api/health within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    adminEmail: 'admin@shelfwise.local',
    adminPassword,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      if (!opts.dbDir || opts.removeDbDir) rmSync(dbDir, { recursive: true, force: true });
    },
  };
}

/** A JSON client with a bearer session token, for seeding over the HTTP API. */
export async function apiClient(base: string, email: string, password: string) {
  const login = await fetch(`${base}/api/auth/login`, { signal: AbortSignal.timeout(30_000), method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${base}${path}`, {
      signal: AbortSignal.timeout(30_000),
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 60_000 });
}

/** Closes the browser, giving up after 10 s (a wedged chromium must not hang the test run). */
export async function closeBrowser(browser: Browser | undefined) {
  if (!browser) return;
  await Promise.race([browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
}

/**
 * Collects console errors and page errors. A test that provokes an HTTP error on purpose (a wrong password,
 * an invalid form) declares it with expect(status) first; Chromium logs those as "Failed to load resource".
 */
export function watchConsole(page: Page) {
  const errors: string[] = [];
  const expected: number[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(m.text())?.[1];
    const i = status ? expected.indexOf(Number(status)) : -1;
    if (i >= 0) expected.splice(i, 1);
    else errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    errors,
    expect(status: number) {
      expected.push(status);
    },
  };
}

export function screenshotDir(): string {
  const dir = process.env.E2E_SCREENSHOTS ?? join(tmpdir(), 'shelfwise-e2e-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A large store for the speed check, written straight into a fresh PGlite folder before the server opens it
 * (set-based SQL: seconds instead of minutes over HTTP): `products` products × 2 locations, each with an
 * opening movement so the ledger balances, every tenth item with a threshold, and the admin user created by serve.
 */
export async function seedLargeStore(products: number): Promise<{ dbDir: string; rows: number; ms: number }> {
  const t0 = Date.now();
  const dbDir = mkdtempSync(join(tmpdir(), 'shelfwise-e2e-big-'));
  const { openDatabase } = await import('../../src/db/connection.ts');
  const { migrateToLatest } = await import('../../src/db/migrate.ts');
  const { sql } = await import('kysely');
  const database = await openDatabase({ dir: dbDir });
  try {
    await migrateToLatest(database);
    const db = database.db;
    await sql`insert into locations (code, name, kind) values ('STORE1', 'High Street', 'store'), ('WH1', 'Warehouse', 'warehouse')`.execute(db);
    await sql`insert into products (sku, name, category, price, cost, source)
      select 'SKU-' || lpad(i::text, 6, '0'), 'Item ' || i || ' ' || (array['mug','lamp','scarf','candle','bowl'])[1 + i % 5],
        (array['Kitchen','Home','Apparel','Garden','Toys'])[1 + i % 5], 5 + i % 50, 2 + i % 20, 'e2e'
      from generate_series(1, ${products}) as i`.execute(db);
    await sql`insert into stock_movements (product_id, location_id, kind, qty, balance_after, unit_cost, reason, actor, occurred_at)
      select p.id, l.id, 'opening', 1 + (p.id * 7 + l.id) % 200, 1 + (p.id * 7 + l.id) % 200, p.cost, 'e2e seed', 'e2e', now() - interval '30 days'
      from products p cross join locations l`.execute(db);
    await sql`insert into stock_levels (product_id, location_id, on_hand, low_threshold, last_movement_at)
      select p.id, l.id, 1 + (p.id * 7 + l.id) % 200, case when p.id % 10 = 0 then 50 end, now() - interval '30 days'
      from products p cross join locations l`.execute(db);
    await sql`analyze`.execute(db); // as imports do: the listing's unfiltered total is the planner's estimate
  } finally {
    await database.close();
  }
  return { dbDir, rows: products * 2, ms: Date.now() - t0 };
}

/**
 * axe-core (the accessibility engine of Lighthouse and Deque) run in the page: the violations of impact
 * 'serious' or 'critical' on WCAG 2 A/AA rules, as "rule: target" lines (empty = none).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const { createRequire } = await import('node:module');
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}

/** A dashboard tab: a 1280-wide context, a page with a default timeout, and its console watched. */
export async function newDashboardPage(browser: Browser, opts: { height?: number; acceptDownloads?: boolean; timeout?: number } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: opts.height ?? 900 }, acceptDownloads: opts.acceptDownloads });
  const page = await ctx.newPage();
  page.setDefaultTimeout(opts.timeout ?? 20_000);
  return { ctx, page, consoleWatch: watchConsole(page) };
}

/** Opens a dashboard URL, which shows the login form first, and signs in. */
export async function signIn(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
