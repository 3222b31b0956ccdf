// Replenishment in a real browser: run → suggestions → bulk approve → PO → mark sent → receive → on hand rises;
// the product page shows the policy panel and its projected stock chart. No console errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiClient, closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const skip = skipReason();
const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);

describe('replenishment pages (chromium)', { skip: skip ?? false, timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof apiClient>>;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    await call('POST', '/api/locations', { code: 'S1', name: 'High Street', kind: 'store' });
    await call('PUT', '/api/suppliers/POTS', { name: 'Pottery Ltd', leadTimeDays: 7, moq: 12, packSize: 12 });
    await call('POST', '/api/products', { sku: 'MUG', name: 'Blue mug', category: 'Kitchen', price: 8, cost: 3, defaultSupplier: 'POTS' });
    await call('POST', '/api/products', { sku: 'BOWL', name: 'Bowl', category: 'Kitchen', price: 12, cost: 5, defaultSupplier: 'POTS' });
    await call('POST', '/api/movements', { occurredAt: `${day(43)}T08:00:00Z`, lines: [{ sku: 'MUG', location: 'S1', kind: 'receipt', qty: 300 }, { sku: 'BOWL', location: 'S1', kind: 'receipt', qty: 200 }] });
    for (let d = 42; d >= 1; d--) await call('POST', '/api/sales', { location: 'S1', occurredAt: `${day(d)}T12:00:00Z`, lines: [{ sku: 'MUG', qty: 6 + (d % 3) }, { sku: 'BOWL', qty: 3 + (d % 2) }] });
    const run = await call<{ id: number }>('POST', '/api/forecasts/runs', { freq: 'D' });
    for (let i = 0; i < 300; i++) {
      const r = await call<{ status: string }>('GET', `/api/forecasts/runs/${run.id}`);
      if (r.status !== 'running') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser, { acceptDownloads: true }));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('run, approve in bulk, receive the PO: on hand rises by the received quantity', async () => {
    await signIn(page, `${server.url}/replenishment`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Replenishment', level: 1 }).waitFor();
    await page.getByTestId('run-replenishment').click();
    await page.getByRole('status').filter({ hasText: /Run \d+: 2 items planned/ }).waitFor();
    const mugRow = page.locator('[data-testid="suggestions"] tr[data-sku="MUG"]');
    await mugRow.waitFor();
    assert.match(await mugRow.innerText(), /P95 of 14-day demand/);
    await page.screenshot({ path: join(shots, 'replenishment.png'), fullPage: true });
    await page.getByLabel('Select all open').check();
    await page.getByTestId('approve-selected').click();
    await page.getByRole('status').filter({ hasText: /approved/ }).waitFor();

    const before = await call<{ items: { sku: string; onHand: number }[] }>('GET', '/api/inventory?q=MUG');
    const onHand0 = before.items.find((x) => x.sku === 'MUG')!.onHand;
    await page.getByRole('link', { name: 'Purchase orders' }).first().click();
    await page.locator('[data-testid="po-list"] tr[data-po]').first().waitFor();
    assert.match(await page.getByTestId('po-list').innerText(), /approved/);
    await page.locator('[data-testid="po-list"] tr[data-po] a').first().click();
    await page.getByRole('button', { name: 'Mark sent' }).click();
    await page.getByTestId('po-status').filter({ hasText: 'sent' }).waitFor();
    await page.getByRole('button', { name: 'Fill all open' }).click();
    const mugQty = Number(await page.getByLabel('Receive MUG').inputValue());
    assert.ok(mugQty > 0 && mugQty % 12 === 0, `MUG qty ${mugQty}`);
    await page.getByTestId('po-receive').click();
    await page.getByTestId('po-status').filter({ hasText: 'received' }).waitFor();
    await page.screenshot({ path: join(shots, 'purchase-order.png'), fullPage: true });
    const after = await call<{ items: { sku: string; onHand: number }[] }>('GET', '/api/inventory?q=MUG');
    assert.equal(after.items.find((x) => x.sku === 'MUG')!.onHand, onHand0 + mugQty);

    await page.goto(`${server.url}/products/MUG`);
    const panel = page.getByTestId('replenishment-panel');
    await panel.getByTestId('repl-summary').waitFor();
    await panel.locator('.uplot canvas').waitFor();
    assert.match(await panel.getByTestId('days-until-stockout').innerText(), /\d|horizon/);
    assert.deepEqual(consoleWatch.errors, []);
  });
});
