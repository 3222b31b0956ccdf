// The dashboard in a real browser: log in, KPIs, inventory search/sort/CSV, product page receipt and inline
// validation, alerts acknowledgement, role-aware menus, no console errors; screenshots at 1280×800 and tablet width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiClient, closeBrowser, ensureWebBuilt, launchBrowser, screenshotDir, skipReason, startServer, watchConsole, type RunningServer } from './harness.ts';

const skip = skipReason();
const DAY = 86_400_000;

describe('web dashboard (chromium)', { skip: skip ?? false, timeout: 180_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();

  before(async () => {
    const b = ensureWebBuilt();
    if (b.built) console.log(`# built web/dist in ${b.ms} ms`);
    const t0 = Date.now();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const t1 = Date.now();
    const call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    // Seed over the HTTP API: two locations, three products, receipts, a threshold, and sales over the last days.
    await call('POST', '/api/locations', { code: 'STORE1', name: 'High Street', kind: 'store' });
    await call('POST', '/api/locations', { code: 'WH1', name: 'Warehouse', kind: 'warehouse' });
    await call('POST', '/api/products', { sku: 'MUG-BLUE', name: 'Blue enamel mug', category: 'Kitchen', price: 8, cost: 3 });
    await call('POST', '/api/products', { sku: 'SCARF-RED', name: 'Red wool scarf', category: 'Apparel', price: 25, cost: 9 });
    await call('POST', '/api/products', { sku: 'LAMP-OAK', name: 'Oak desk lamp', category: 'Home', price: 60, cost: 22 });
    await call('POST', '/api/movements', {
      occurredAt: new Date(Date.now() - 20 * DAY).toISOString(),
      lines: [
        { sku: 'MUG-BLUE', location: 'STORE1', kind: 'receipt', qty: 40 },
        { sku: 'MUG-BLUE', location: 'WH1', kind: 'receipt', qty: 100 },
        { sku: 'SCARF-RED', location: 'STORE1', kind: 'receipt', qty: 30 },
        { sku: 'LAMP-OAK', location: 'STORE1', kind: 'receipt', qty: 12 },
      ],
    });
    await call('PUT', '/api/inventory/SCARF-RED/STORE1/threshold', { lowThreshold: 10 });
    for (let d = 14; d >= 0; d--) {
      await call('POST', '/api/sales', { location: 'STORE1', occurredAt: new Date(Date.now() - d * DAY).toISOString(), lines: [{ sku: 'MUG-BLUE', qty: 1 + (d % 3) }, ...(d % 2 ? [{ sku: 'SCARF-RED', qty: 1 + (d % 2) }] : [])] });
    }
    await call('POST', '/api/sales', { location: 'STORE1', lines: [{ sku: 'SCARF-RED', qty: 12 }] }); // below the threshold: a low-stock alert
    console.log(`# server and chromium up in ${t1 - t0} ms; seeded over HTTP in ${Date.now() - t1} ms`);
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    consoleWatch = watchConsole(page);
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('a wrong password shows an inline error; the right one opens the overview with KPIs and charts', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.adminEmail);
    await page.getByLabel('Password').fill('not-the-password');
    consoleWatch.expect(401);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-error', { hasText: 'wrong email or password' }).waitFor();
    await page.screenshot({ path: join(shots, 'login-error-1280.png') });
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const alerts = page.locator('[data-kpi="Open alerts"] .kpi-value');
    await alerts.filter({ hasText: /^1$/ }).waitFor();
    const below = await page.locator('[data-kpi="Items below threshold"] .kpi-value').textContent();
    assert.equal(below, '1');
    const stock = await page.locator('[data-kpi="Stock value (at cost)"] .kpi-value').textContent();
    assert.match(stock ?? '', /£\d/);
    // The charts are drawn after the KPIs (uPlot is created in an effect once its box is laid out): wait for the
    // second, then there must be exactly two.
    await page.locator('.uplot canvas').nth(1).waitFor();
    assert.equal(await page.locator('.uplot').count(), 2, 'two uPlot charts');
    // Admins see Users in the menu.
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count(), 1);
    await page.screenshot({ path: join(shots, 'overview-1280.png') });
  });

  test('inventory: search, sort by a header, export the view as CSV', async () => {
    const t0 = Date.now();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.locator('table.data tbody tr').first().waitFor();
    console.log(`# inventory page: first rows visible ${Date.now() - t0} ms after the click (4 rows)`);
    assert.equal(await page.locator('table.data tbody tr').count(), 4);
    await page.getByRole('searchbox', { name: 'Search' }).fill('mug');
    await page.waitForURL(/q=mug/);
    await page.locator('#inv-count', { hasText: '2 items' }).waitFor();
    const skus = await page.locator('table.data tbody tr td:first-child').allTextContents();
    assert.deepEqual(skus, ['MUG-BLUE', 'MUG-BLUE']);
    await page.getByRole('button', { name: 'On hand' }).click();
    await page.waitForURL(/sort=on_hand/);
    await page.getByRole('button', { name: 'On hand' }).click();
    await page.waitForURL(/sort=-on_hand/);
    await page.locator('th[aria-sort="descending"]').waitFor();
    const locs = await page.locator('table.data tbody tr td:nth-child(4)').allTextContents();
    assert.deepEqual(locs, ['WH1', 'STORE1'], 'WH1 (100) before STORE1 (less) when sorted by on hand, descending');
    // Sparklines: STORE1 sold mugs in the last weeks, WH1 sold none.
    const spark = (loc: string) => page.locator('table.data tbody tr', { has: page.locator(`td:nth-child(4)`, { hasText: loc }) }).locator('svg.spark');
    await spark('STORE1').waitFor({ state: 'attached' });
    assert.match((await spark('STORE1').getAttribute('aria-label')) ?? '', /^30 sold in 8 weeks/);
    assert.match((await spark('WH1').getAttribute('aria-label')) ?? '', /^0 sold in 8 weeks/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    assert.match(csv[0], /^sku,name,category,status,location,on_hand/);
    assert.equal(csv.length, 3, 'header plus the two rows of the filtered view');
    assert.match(csv[1], /^MUG-BLUE,Blue enamel mug,Kitchen,active,WH1,100,/);
    await page.screenshot({ path: join(shots, 'inventory-1280.png') });
  });

  test('product page: record a receipt and see on hand change; an invalid quantity is shown inline', async () => {
    await page.getByRole('link', { name: 'MUG-BLUE' }).first().click();
    await page.getByRole('heading', { name: /Blue enamel mug/ }).waitFor();
    const onHand = page.locator('[data-testid="stock-table"] tr[data-location="STORE1"] .on-hand');
    const before = Number((await onHand.textContent())!.replace(/,/g, ''));
    assert.equal(before, 40 - 30, '40 received, 30 sold over 15 days');
    await page.locator('[data-testid="ledger"] tbody tr').first().waitFor();
    await page.locator('.uplot canvas').first().waitFor();
    // Invalid: zero is refused by the API and the message lands under the quantity field.
    const form = page.locator('section', { has: page.getByRole('heading', { name: 'Record stock' }) });
    await form.getByLabel('Location').selectOption('STORE1');
    await form.getByLabel(/Quantity/).fill('0');
    consoleWatch.expect(400);
    await form.getByRole('button', { name: 'Record' }).click();
    await form.locator('#mv-qty-error', { hasText: 'must not be zero' }).waitFor();
    assert.equal(await form.getByLabel(/Quantity/).getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: join(shots, 'product-error-1280.png'), fullPage: true });
    // A second page on the inventory, to see the live update arrive without a reload.
    const other = await ctx.newPage();
    const otherWatch = watchConsole(other);
    await other.goto(`${server.url}/inventory?q=MUG-BLUE&location=STORE1`);
    const otherOnHand = other.locator('table.data tbody tr td:nth-child(5)');
    await otherOnHand.filter({ hasText: String(before) }).waitFor();
    // Valid receipt.
    await form.getByLabel(/Quantity/).fill('7');
    await form.getByLabel('Reason (optional)').fill('e2e delivery');
    const posted = Date.now();
    await form.getByRole('button', { name: 'Record' }).click();
    await form.getByRole('status').filter({ hasText: `on hand is now ${before + 7}` }).waitFor();
    await onHand.filter({ hasText: String(before + 7) }).waitFor();
    await otherOnHand.filter({ hasText: String(before + 7) }).waitFor({ timeout: 5000 });
    const liveMs = Date.now() - posted;
    console.log(`# live update reached the second page ${liveMs} ms after clicking Record (server-sent events)`);
    assert.ok(liveMs < 4000, `live update took ${liveMs} ms`);
    assert.deepEqual(otherWatch.errors, []);
    await other.close();
    assert.equal(await form.locator('#mv-qty-error').textContent(), '');
    await page.locator('[data-testid="ledger"] tbody tr').first().filter({ hasText: 'e2e delivery' }).waitFor();
    // Transfer: same location twice is refused under "To location"; then 5 from WH1 to STORE1.
    await form.getByRole('radio', { name: 'Transfer' }).click();
    await form.getByLabel('From location').selectOption('WH1');
    await form.getByLabel('To location').selectOption('WH1');
    await form.getByLabel(/Quantity/).fill('5');
    consoleWatch.expect(400);
    await form.getByRole('button', { name: 'Record' }).click();
    await form.locator('#mv-to-error', { hasText: 'two different locations' }).waitFor();
    await form.getByLabel('To location').selectOption('STORE1');
    await form.getByRole('button', { name: 'Record' }).click();
    await form.getByRole('status').filter({ hasText: 'Moved 5 from WH1 (now 95) to STORE1' }).waitFor();
    await onHand.filter({ hasText: String(before + 7 + 5) }).waitFor();
    // Edit the product (managers and admins): the new price shows in the attributes.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit product' });
    await edit.getByLabel('Price').fill('9.5');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('dl.attrs', { hasText: '£9.50' }).waitFor();
    // Weekly toggle.
    await page.getByRole('button', { name: 'Weekly' }).click();
    await page.getByText(/units sold in these \d+ weeks/).waitFor();
  });

  test('alerts inbox: acknowledge the low-stock alert', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const row = page.locator('tr[data-alert]', { hasText: 'SCARF-RED' });
    await row.waitFor();
    await page.screenshot({ path: join(shots, 'alerts-1280.png') });
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: /Acknowledge selected/ }).click();
    await page.getByRole('status').filter({ hasText: 'Acknowledged 1 alert.' }).waitFor();
    assert.equal(await page.locator('tr[data-alert]').count(), 0);
    await page.getByText('No open alerts').waitFor();
  });

  test('users page: an admin creates a staff user, whose menu has no Users entry', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add a user' }) });
    await form.getByLabel('Email').fill('clerk@example.com');
    await form.getByLabel('Role').selectOption('staff');
    await form.getByLabel(/Password/).fill('short');
    consoleWatch.expect(400);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.locator('#u-password-error').filter({ hasText: /10/ }).waitFor();
    await form.getByLabel(/Password/).fill('clerk-password-1');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'Created clerk@example.com (staff).' }).waitFor();
    await page.getByRole('cell', { name: 'clerk@example.com' }).waitFor();
    await page.screenshot({ path: join(shots, 'users-1280.png') });

    const ctx2 = await browser.newContext({ viewport: { width: 820, height: 1180 } });
    try {
      const p2 = await ctx2.newPage();
      const w2 = watchConsole(p2);
      await p2.goto(`${server.url}/inventory`);
      await p2.getByLabel('Email').fill('clerk@example.com');
      await p2.getByLabel('Password').fill('clerk-password-1');
      await p2.getByRole('button', { name: 'Sign in' }).click();
      await p2.getByRole('heading', { name: 'Inventory' }).waitFor();
      await p2.locator('table.data tbody tr').first().waitFor();
      const nav = await p2.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
      assert.deepEqual(nav, ['Overview', 'Inventory', 'Alerts', 'Products', 'Receiving', 'Reports', 'Purchase orders', 'Waste & markdowns', 'Promotions', 'Customers', 'Shop orders', 'Settings']);
      const sections = await p2.getByRole('navigation', { name: 'Main' }).locator('h2').allTextContents();
      assert.deepEqual(sections, ['Store', 'Plan', 'Sell', 'Admin'], 'staff see no manager-only page, in sections');
      await p2.screenshot({ path: join(shots, 'inventory-tablet-820.png') });
      await p2.goto(`${server.url}/users`);
      await p2.getByText('This page needs the admin role').waitFor();
      await p2.getByRole('button', { name: 'Log out' }).click();
      await p2.getByRole('button', { name: 'Sign in' }).waitFor();
      assert.deepEqual(w2.errors, []);
    } finally {
      await ctx2.close();
    }
  });

  test('keyboard: the skip link and the menu are reachable with Tab', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      seen.push((await page.evaluate(() => document.activeElement?.textContent)) ?? '');
    }
    assert.ok(seen.includes('Inventory') && seen.includes('Alerts'), `tab order reaches the menu: ${seen.join(' | ')}`);
  });

  test('no console errors on any page', () => {
    assert.deepEqual(consoleWatch.errors, []);
    console.log(`# screenshots in ${shots}`);
  });
});
