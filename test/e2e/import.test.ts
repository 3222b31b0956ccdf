// The Import page in a real browser, on an empty store: the onboarding card links to it; a products CSV is uploaded,
// imported by a background job (progress, then the outcome), and the products exist; a sales file with bad rows
// writes nothing and lists each bad row with its line.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiClient, closeBrowser, ensureWebBuilt, launchBrowser, newDashboardPage, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const skip = skipReason();

describe('import page (chromium)', { skip: skip ?? false, timeout: 150_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser));
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('onboarding → Import page → a CSV imported by a job; bad rows listed with their lines, nothing written', async () => {
    await signIn(page, `${server.url}/`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Welcome: this store is empty' }).waitFor();
    await page.getByRole('link', { name: 'Import page' }).click();
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();

    await page.getByLabel('File (CSV or XLSX)').setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,name,price,category\nMUG,Blue mug,8,Kitchen\nJUG,Milk jug,12.5,Kitchen\n') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    assert.match(await outcome.innerText(), /2 of 2 rows written from catalog\.csv/);
    assert.equal(await page.getByRole('progressbar', { name: 'import progress' }).getAttribute('value'), '100');
    await page.getByRole('table', { name: 'Recent imports' }).getByRole('cell', { name: 'catalog.csv' }).waitFor();

    await page.getByLabel('What').selectOption('sales');
    await page.getByLabel('Store (for rows without one)').fill('S1');
    await page.getByLabel('File (CSV or XLSX)').setInputFiles({ name: 'sales.csv', mimeType: 'text/csv', buffer: Buffer.from('date,sku,qty\n2026-01-05,MUG,1\nyesterday,MUG,1\n2026-01-06,NOPE,2\n') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('table', { name: 'Bad rows' }).waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('import-outcome').innerText(), /Nothing was written/);
    const lines = await page.getByRole('table', { name: 'Bad rows' }).locator('tbody tr td:first-child').allInnerTexts();
    assert.ok(lines.includes('3') && lines.includes('4'), `bad lines ${lines}`);
    await page.screenshot({ path: join(screenshotDir(), 'import-1280.png'), fullPage: true });

    const call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    const products = (await call('GET', '/api/products?q=mug')) as { items: { sku: string }[] };
    assert.ok(products.items.some((p) => p.sku === 'MUG'));
    assert.deepEqual(consoleWatch.errors, []);
  });
});
