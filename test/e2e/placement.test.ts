// The Placement page in a real browser: a store with three zones and sales, open Placement, see the zone grid,
// run the optimiser, see the move list and the before/after view, preview a what-if pin, apply the plan.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiClient, closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';
import { layout } from '../helpers/placement-data.ts';

const skip = skipReason();

describe('placement page (chromium)', { skip: skip ?? false, timeout: 150_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    await call('POST', '/api/locations', { code: 'S1', name: 'High Street', kind: 'store' });
    const products = [
      { sku: 'SH1', name: 'Shirt one', category: 'Apparel', subcategory: 'Topwear', articleType: 'Shirts', gender: 'men', price: 30, cost: 10 },
      { sku: 'DR1', name: 'Dress one', category: 'Apparel', subcategory: 'Dress', articleType: 'Dresses', gender: 'women', price: 40, cost: 20 },
      { sku: 'SO1', name: 'Socks one', category: 'Accessories', subcategory: 'Socks', articleType: 'Socks', gender: 'men', price: 6, cost: 3 },
    ];
    for (const p of products) await call('POST', '/api/products', p);
    const start = Date.now() - 40 * 86_400_000;
    await call('POST', '/api/movements', { occurredAt: new Date(start).toISOString(), lines: products.map((p) => ({ sku: p.sku, location: 'S1', kind: 'receipt', qty: 500 })) });
    for (let d = 30; d >= 1; d -= 3) {
      await call('POST', '/api/sales', { location: 'S1', occurredAt: new Date(Date.now() - d * 86_400_000).toISOString(), lines: [{ sku: 'SH1', qty: 6 }, { sku: 'DR1', qty: 2 }, { sku: 'SO1', qty: 1 }] });
    }
    await call('PUT', '/api/placement/layout', layout);
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('open Placement, run the optimiser, see the move list, before/after, apply', async () => {
    await signIn(page, `${server.url}/placement`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Placement', level: 1 }).waitFor();
    const grid = page.getByRole('list', { name: 'Zones' });
    await grid.getByRole('listitem').nth(2).waitFor();
    assert.equal(await grid.getByRole('listitem').count(), 3);
    await page.getByRole('button', { name: 'Run optimiser' }).click();
    const moves = page.getByRole('region', { name: 'Move list' });
    await moves.waitFor();
    assert.match(await moves.innerText(), /Move \d+ items? from Back to Window/);
    const first = (await moves.locator('tbody tr').first().innerText()).split('\t').map((s) => s.trim());
    assert.match(first[0], /Shirts/);
    assert.deepEqual([first[1], first[2]], ['BACK', 'WIN']);
    assert.match(await page.getByRole('status').innerText(), /Plan \d+: \d+ moves?,/);
    assert.match(await page.getByLabel('Plan summary').innerText(), /Gap to LP bound\s+0\.000 %/);
    assert.match(await grid.locator('[data-zone="WIN"]').innerText(), /Shirts/);
    await page.getByRole('button', { name: 'Before', exact: true }).click();
    assert.match(await grid.locator('[data-zone="BACK"]').innerText(), /Shirts/);
    await page.screenshot({ path: join(shots, 'placement.png'), fullPage: true });
    // what-if: pin the shirts to the wall and preview
    await page.getByLabel('Item to pin').fill('Shirts');
    await page.getByLabel('Pin to zone').selectOption('WALL');
    await page.getByRole('button', { name: 'Pin', exact: true }).click();
    await page.getByRole('button', { name: 'What-if preview' }).click();
    await page.getByRole('status').filter({ hasText: 'What-if preview' }).waitFor();
    await page.getByRole('button', { name: 'After', exact: true }).click();
    assert.match(await grid.locator('[data-zone="WALL"]').innerText(), /Shirts/);
    // run again without the pin, then apply
    await page.getByRole('button', { name: 'Unpin Shirts' }).click();
    await page.getByRole('button', { name: 'Run optimiser' }).click();
    await page.getByRole('button', { name: /^Apply plan \d+$/ }).click();
    await page.getByRole('status').filter({ hasText: /applied: \d+ units moved/ }).waitFor();
    assert.deepEqual(consoleWatch.errors, []);
  });
});
