// The Reports page in a real browser: three charts (canvas drawn), their tables, a CSV download, no console errors.
// Historical sales (December 2011), so "this week" is the week of the latest sale, as with the demo store.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiClient, closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const skip = skipReason();

describe('reports page (chromium)', { skip: skip ?? false, timeout: 150_000 }, () => {
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
      { sku: 'MUG', name: 'Blue mug', category: 'Kitchen', price: 8, cost: 3 },
      { sku: 'BOWL', name: 'Bowl', category: 'Kitchen', price: 12, cost: 5 },
      { sku: 'SCARF', name: 'Red scarf', category: 'Apparel', price: 25, cost: 9 },
      { sku: 'LAMP', name: 'Desk lamp', category: 'Home', price: 60, cost: 22 },
    ];
    for (const p of products) await call('POST', '/api/products', p);
    await call('POST', '/api/movements', { occurredAt: '2011-10-01T09:00:00Z', lines: products.map((p) => ({ sku: p.sku, location: 'S1', kind: 'receipt', qty: 200 })) });
    for (let d = 1; d <= 30; d += 2) {
      const day = `2011-11-${String(d).padStart(2, '0')}`;
      await call('POST', '/api/sales', { location: 'S1', occurredAt: `${day}T10:00:00Z`, lines: [{ sku: 'MUG', qty: 1 + (d % 4) }, { sku: 'SCARF', qty: 1 + (d % 3) }, ...(d % 5 ? [] : [{ sku: 'LAMP', qty: 1 }])] });
    }
    await call('POST', '/api/sales', { location: 'S1', occurredAt: '2011-12-02T10:00:00Z', lines: [{ sku: 'MUG', qty: 6 }, { sku: 'BOWL', qty: 4 }, { sku: 'SCARF', qty: 2 }] });
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser, { height: 800, acceptDownloads: true, timeout: 15_000 }));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('charts with tables, CSV download, no console errors', async () => {
    await signIn(page, `${server.url}/reports`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Reports' }).first().waitFor();
    await page.locator('.uplot canvas').nth(3).waitFor();
    // Top sellers, category trend, inventory value, stockouts; no forecast or plan here, so those two cards say why.
    assert.equal(await page.locator('.uplot').count(), 4, 'four uPlot charts');
    await page.getByTestId('fva-empty').waitFor();
    assert.match(await page.getByTestId('so-summary').innerText(), /items out of stock/);
    assert.match((await page.getByTestId('xlsx-stockouts').getAttribute('href')) ?? '', /stockouts\?.*weeks=8.*format=xlsx/);
    // The week of the latest sale (Mon 2011-11-28): MUG 2 + 6, SCARF 3 + 2, BOWL 4.
    const top = page.getByTestId('top-table');
    await top.locator('tbody tr').first().waitFor();
    const firstRow = (await top.locator('tbody tr').first().innerText()).split('\t').map((s) => s.trim());
    assert.equal(firstRow[0], '1');
    assert.equal(firstRow[1], 'MUG');
    assert.equal(await page.getByTestId('trend-table').locator('tbody tr').count(), 3, 'Kitchen, Apparel, Home');
    assert.ok((await page.getByTestId('value-table').locator('tbody tr').count()) >= 30);
    assert.match(await page.getByRole('note').innerText(), /historical/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-top-sellers').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
    assert.equal(csv[0], 'week_start,rank,sku,name,category,qty,revenue,on_hand');
    assert.ok(csv.some((l) => l.startsWith('2011-11-28,1,MUG,Blue mug,Kitchen,')), csv.join('\n'));
    // Changing N re-draws the bar chart with fewer bars.
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/reports/top-sellers') && r.url().includes('n=3')),
      page.getByLabel('Top').selectOption('3'),
    ]);
    assert.match((await page.getByTestId('csv-top-sellers').getAttribute('href')) ?? '', /n=3.*format=csv/);
    // Sales trend by store: one series per store (only S1 here), the table headed "Store".
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/reports/category-trend') && r.url().includes('by=store')), page.getByTestId('trend-by').selectOption('store')]);
    await page.getByTestId('trend-table').getByRole('columnheader', { name: 'Store' }).waitFor();
    assert.equal(await page.getByTestId('trend-table').locator('tbody tr').count(), 1);
    await page.locator('.uplot canvas').nth(2).waitFor();
    await page.screenshot({ path: join(shots, 'reports-1280.png'), fullPage: true });
    assert.deepEqual(consoleWatch.errors, []);
  });
});
