// The customer page in a real browser: the model trains on first use, then a known customer's recommendations
// show with their reasons ("buy again…", "because you bought X"), and the product page shows bought-together items.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedRecommendStore } from '../helpers/recommend-data.ts';
import { closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const skip = skipReason();

describe('customer recommendations (chromium)', { skip: skip ?? false, timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();

  before(async () => {
    ensureWebBuilt();
    const dbDir = mkdtempSync(join(tmpdir(), 'shelfwise-e2e-recommend-'));
    const database = await openDatabase({ dir: dbDir });
    await migrateToLatest(database);
    await seedRecommendStore(database);
    await database.close();
    [server, browser] = await Promise.all([startServer({ dbDir, removeDbDir: true }), launchBrowser()]);
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('customers list → customer page with recommendations and reasons; product page shows bought together', async () => {
    await signIn(page, `${server.url}/customers`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    // the first request found no model and started training in the background; the panel follows its progress
    await page.getByTestId('models-panel').getByText(/Serving version \d+/).waitFor({ timeout: 150_000 });
    await page.getByRole('searchbox').fill('C0');
    await page.getByTestId('customers-table').getByRole('link', { name: 'C0', exact: true }).click();
    await page.getByRole('heading', { name: 'Recommended for this customer' }).waitFor();
    const recs = page.getByTestId('customer-recs');
    await recs.getByText(/because you bought/).first().waitFor();
    const items = await recs.locator('li').allInnerTexts();
    assert.match(items[0], /Item (CANDLE|HOLDER)[\s\S]*buy again: you bought it 3 times/);
    assert.ok(items.some((t) => /Item MATCHES[\s\S]*because you bought Item (CANDLE|HOLDER)/.test(t)), items.join('\n---\n'));
    assert.match(await page.getByTestId('most-bought').innerText(), /Item CANDLE/);
    // S2 has no HOLDER: choosing it drops HOLDER from the list
    await page.getByLabel('Location').selectOption('S2');
    await recs.locator('.rec-head').getByRole('link', { name: 'Item HOLDER', exact: true }).waitFor({ state: 'detached' });
    assert.match(await recs.locator('li').first().innerText(), /Item CANDLE/);
    await page.screenshot({ path: join(shots, 'customer-recommendations.png'), fullPage: true });
    await page.goto(`${server.url}/products/CANDLE`);
    const together = page.getByTestId('rec-together');
    await together.locator('.rec-head').getByRole('link', { name: 'Item HOLDER', exact: true }).waitFor();
    assert.match(await together.innerText(), /often bought together with Item CANDLE/);
    assert.deepEqual(consoleWatch.errors, []);
  });
});
