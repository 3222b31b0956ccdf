// The Waste page in a real browser: the ABC × XYZ matrix, the slow/dead list, a markdown offer accepted by the
// admin, and the promotion it created on the Promotions page. The store is the known one of test/helpers/waste-data.ts.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedWasteStore } from '../helpers/waste-data.ts';
import { closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const skip = skipReason();

describe('waste page (chromium)', { skip: skip ?? false, timeout: 180_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();

  before(async () => {
    ensureWebBuilt();
    const dbDir = mkdtempSync(join(tmpdir(), 'shelfwise-e2e-waste-'));
    const database = await openDatabase({ dir: dbDir });
    await migrateToLatest(database);
    await seedWasteStore(database);
    await database.close();
    [server, browser] = await Promise.all([startServer({ dbDir, removeDbDir: true }), launchBrowser()]);
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('matrix and offers → accept → promotion listed', async () => {
    await signIn(page, `${server.url}/waste`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Waste & markdowns', level: 1 }).waitFor();
    const matrix = page.getByTestId('abc-xyz-matrix');
    await matrix.locator('[data-cell="AX"]').waitFor();
    assert.match(await matrix.locator('[data-cell="AX"]').innerText(), /^2\n/);
    assert.match(await matrix.locator('[data-cell="CZ"]').innerText(), /^2\n/);
    assert.equal(await page.getByTestId('kpi-dead').innerText(), '2');
    // Filtering by the C-Z cell leaves the two dead items in the slow/dead list.
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/waste/slow-stock') && r.url().includes('abc=C')), matrix.locator('[data-cell="CZ"]').click()]);
    await page.getByTestId('slow-table').locator('tbody tr', { hasText: 'NEVER' }).waitFor();
    assert.equal(await page.getByTestId('slow-table').locator('tbody tr').count(), 2);
    await matrix.locator('[data-cell="CZ"]').click(); // clear
    const offer = page.locator('[data-offer="OVER"]');
    await offer.waitFor();
    assert.match(await offer.innerText(), /item/);
    await page.screenshot({ path: join(shots, 'waste-1280.png'), fullPage: true });
    await offer.getByRole('button', { name: 'Accept offer for OVER' }).click();
    await page.getByRole('status').filter({ hasText: /Promotion \d+ created/ }).waitFor();
    await offer.getByRole('link', { name: /promotion \d+/ }).waitFor();
    await page.getByRole('link', { name: 'Promotions' }).first().click();
    await page.getByRole('heading', { name: 'Promotions', level: 1 }).waitFor();
    const row = page.getByTestId('promotions-table').locator('tbody tr', { hasText: 'OVER' });
    await row.waitFor();
    assert.match(await row.innerText(), /running/);
    assert.match(await row.innerText(), /% off/);
    await page.screenshot({ path: join(shots, 'promotions-1280.png'), fullPage: true });
    assert.deepEqual(consoleWatch.errors, []);
  });
});
