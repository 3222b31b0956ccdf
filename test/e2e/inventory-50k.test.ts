// Speed check: the inventory page over 50,000 SKU × location rows (server paging). Reports figures; the only
// assertions are about correctness, since timings on a shared 2-core machine vary too much to gate on.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { closeBrowser, ensureWebBuilt, launchBrowser, screenshotDir, seedLargeStore, skipReason, startServer, watchConsole, type RunningServer, signIn } from './harness.ts';

// Opt-in: two cold PGlite starts and the seed take 30-50 s on a shared 2-core machine, which would break the
// e2e time budget. Run with `E2E_50K=1 npm test -- e2e/inventory-50k`.
const skip = skipReason() ?? (process.env.E2E_50K === '1' ? null : 'the 50,000-row speed check runs only with E2E_50K=1 (it takes 30-50 s)');

describe('inventory page at 50,000 rows (chromium)', { skip: skip ?? false, timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let watch: ReturnType<typeof watchConsole>;

  before(async () => {
    ensureWebBuilt();
    const [seed, b] = await Promise.all([seedLargeStore(25_000), launchBrowser()]);
    browser = b;
    console.log(`# seeded ${seed.rows} stock rows in ${seed.ms} ms`);
    server = await startServer({ dbDir: seed.dbDir, removeDbDir: true });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    watch = watchConsole(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });
  after(async () => {
    await closeBrowser(browser);
    await server?.stop();
  });

  test('first meaningful paint, sort, search and paging', async () => {
    const figures: Record<string, number> = {};
    // Cold load of /inventory (a full page load: HTML, JS chunks, session, first page of rows).
    await page.goto(`${server.url}/inventory`);
    await page.locator('#inv-count', { hasText: /items · page 1/ }).waitFor();
    console.log(`# listing says: ${await page.locator('#inv-count').textContent()}`);
    const marks = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      rows: performance.getEntriesByName('sw:inventory-rows')[0]?.startTime ?? -1,
    }));
    figures['first contentful paint (ms)'] = Math.round(marks.fcp);
    figures['first rows on screen (ms from navigation)'] = Math.round(marks.rows);
    assert.equal(await page.locator('table.data tbody tr').count(), 50);

    const timed = async (name: string, act: () => Promise<unknown>, done: () => Promise<unknown>) => {
      const t0 = Date.now();
      await act();
      await done();
      figures[name] = Date.now() - t0;
    };
    await timed('sort by on hand, descending (ms)', async () => {
      await page.getByRole('button', { name: 'On hand' }).click();
      await page.getByRole('button', { name: 'On hand' }).click();
    }, () => page.locator('th[aria-sort="descending"]').waitFor());
    await page.locator('table.data tbody tr td:nth-child(5)').first().filter({ hasText: '200' }).waitFor();
    await timed('next page (ms)', () => page.getByRole('button', { name: 'Next' }).click(), () => page.locator('#inv-count', { hasText: 'page 2' }).waitFor());
    await timed('search "mug" (ms, incl. 250 ms debounce)', () => page.getByRole('searchbox', { name: 'Search' }).fill('mug'), () => page.locator('#inv-count', { hasText: '10,000 items' }).waitFor());
    await timed('filter below threshold (ms)', () => page.getByLabel('Alert').selectOption('low'), () => page.locator('#inv-count', { hasText: /^[\d,]+ items · page 1/ }).filter({ hasNotText: '10,000 items' }).waitFor());
    const low = Number((await page.locator('#inv-count').textContent())!.split(' ')[0].replace(/,/g, ''));
    assert.ok(low > 0 && low < 10_000, `some mugs are below their threshold of 50 (${low})`);
    const csv = await page.evaluate(async () => {
      const href = document.querySelector<HTMLAnchorElement>('[data-testid="export-csv"]')!.href;
      const t0 = performance.now();
      const text = await (await fetch(href)).text();
      return { ms: Math.round(performance.now() - t0), lines: text.trim().split('\n').length };
    });
    figures[`CSV export of the filtered view, ${csv.lines - 1} rows (ms)`] = csv.ms;
    assert.equal(csv.lines - 1, low, 'the CSV holds exactly the filtered view');
    await page.screenshot({ path: join(screenshotDir(), 'inventory-50k-1280.png') });
    for (const [k, v] of Object.entries(figures)) console.log(`# ${k}: ${v}`);
    assert.ok(marks.rows > 0, 'the page marked its first rows');
    assert.deepEqual(watch.errors, []);
  });
});
