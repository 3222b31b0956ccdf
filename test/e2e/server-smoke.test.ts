import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from '../helpers/cli.ts';

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });

/** Starts the server exactly as the README's quick start does (`npm start`) and talks to it over HTTP. */
describe('npm start, then HTTP', () => {
  let base = '';
  let child: ReturnType<typeof spawn>;
  let out = '';
  const password = 'smoke-test-password';
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), SHELFWISE_DB_DIR: join(mkdtempSync(join(tmpdir(), 'sw-smoke-')), 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0', SHELFWISE_ADMIN_PASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const deadline = Date.now() + 120_000;
    while (!/running at/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(() => {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  });

  test('first start prints the admin login; the API works end to end', async () => {
    assert.match(out, /email: +admin@shelfwise\.local/);
    assert.match(out, new RegExp(`password: +${password}`));
    const health = await (await fetch(`${base}/api/health`)).json();
    assert.deepEqual([health.ok, health.database], [true, 'pglite']);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@shelfwise.local', password }) });
    assert.equal(login.status, 200);
    const { token } = await login.json();
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    };
    assert.equal((await call('POST', '/api/locations', { code: 'S1', name: 'Store', kind: 'store' })).status, 201);
    assert.equal((await call('POST', '/api/products', { sku: 'SMOKE-1', name: 'Smoke tee', price: 10 })).status, 201);
    assert.equal((await call('POST', '/api/movements', { lines: [{ sku: 'SMOKE-1', location: 'S1', kind: 'receipt', qty: 5 }] })).status, 201);
    const sale = await call('POST', '/api/sales', { location: 'S1', lines: [{ sku: 'SMOKE-1', qty: 2 }] });
    assert.equal(sale.status, 201);
    assert.equal(sale.body.total, 20);
    const inv = await call('GET', '/api/inventory?q=SMOKE');
    assert.equal(inv.body.items[0].available, 3);
    const check = await call('GET', '/api/ledger/check');
    assert.equal(check.body.balanced, true);
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/);
    const docs = await fetch(`${base}/docs`);
    assert.match(await docs.text(), /Shelfwise API/);
  });
});
