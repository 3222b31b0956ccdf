/**
 * Refreshes docs/screenshots/ from a running demo store: `npx tsx scripts/screenshots.ts` (SHELFWISE_DB_DIR names
 * the database, default ./data/pglite, which `npm start` fills with the demo on first start; stop the server first).
 * It creates or resets a `screenshots@shelfwise.local` admin with a random password, starts the server on a free
 * port, and photographs each main page at 1280×800 in Debian's chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runCli } from '../test/helpers/cli.ts';
import { freePort, ROOT } from '../bench/helpers.ts';
import { spawn } from 'node:child_process';

const out = join(ROOT, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const email = 'screenshots@shelfwise.local';
const password = randomBytes(12).toString('base64url');
const env = { FORECAST_AT: 'off', SHELFWISE_DEMO: '0' };
const add = await runCli(['user', 'add', email, '--role', 'admin', '--password', password], env);
if (add.code !== 0) {
  const pw = await runCli(['user', 'password', email, '--password', password], env);
  if (pw.code !== 0) throw new Error(pw.stderr);
}
const port = await freePort();
const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'serve'], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
server.stdout.on('data', (d) => (log += d));
server.stderr.on('data', (d) => (log += d));
while (!/running at/.test(log)) {
  if (server.exitCode !== null) throw new Error(log);
  await new Promise((r) => setTimeout(r, 200));
}
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  await page.fill('input[type=email]', email);
  await page.fill('input[type=password]', password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav');
  const top = await (await fetch(`${base}/api/inventory?location=UKR&sort=-on_hand&pageSize=1`, { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
  const sku = top.items?.[0]?.sku ?? '85123A';
  const pages: [string, string, boolean][] = [
    ['overview', '/', false],
    ['inventory', '/inventory', false],
    ['product', `/products/${encodeURIComponent('85123A')}`, true],
    ['reports', '/reports', true],
    ['alerts', '/alerts', false],
    ['replenishment', '/replenishment', false],
    ['waste', '/waste', true],
    ['customers', '/customers', false],
    ['placement', '/placement', true],
    ['demographics', '/demographics', true],
    ['supplier-quality', '/supplier-quality', true],
    ['integrations', '/integrations', false],
    ['shop', '/shop', false],
  ];
  for (const [name, path, full] of pages) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: full });
    console.log(`docs/screenshots/${name}.png`);
  }
  void sku;
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
