// Receiving inspection in a real browser: start a batch on /receiving, upload a real stain photo, see the model's
// call with its region, confirm it, close: quarantine stock rises; then the supplier-quality page charts the rate.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadTildaStain } from '../../src/vision/datasets.ts';
import { apiClient, closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const stain = loadTildaStain()?.find((r) => r.fair && r.split === 'test' && r.defective) ?? null;
const skip = skipReason() ?? (stain ? null : 'tilda_stain not found (set SHELFWISE_DATA)');

describe('receiving inspection (chromium)', { skip: skip ?? false, timeout: 180_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof apiClient>>;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();
  const quarantined = async () => ((await call('GET', '/api/inventory?location=QUAR')).items.find((x: { sku: string }) => x.sku === 'SHIRT')?.onHand ?? 0) as number;

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    await call('POST', '/api/locations', { code: 'S1', name: 'High Street', kind: 'store' });
    await call('POST', '/api/locations', { code: 'QUAR', name: 'Quarantine', kind: 'quarantine' });
    await call('PUT', '/api/suppliers/FAB', { name: 'Fabric mill' });
    await call('POST', '/api/products', { sku: 'SHIRT', name: 'Linen shirt', category: 'Apparel', price: 30, cost: 11 });
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
  });

  test('upload a photo → classification shown → confirm → close → quarantine stock rises', async () => {
    await signIn(page, `${server.url}/receiving`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Receiving inspection' }).waitFor();
    await page.getByLabel('Supplier').locator('option[value="FAB"]').waitFor({ state: 'attached' });
    await page.getByLabel('SKU').fill('SHIRT');
    await page.getByLabel('Quantity received').fill('1');
    await page.getByRole('radio', { name: 'Inspect every unit', exact: true }).check();
    assert.equal(await quarantined(), 0);
    await page.getByRole('button', { name: 'Start inspection' }).click();
    await page.getByRole('heading', { name: /Batch #\d+: SHIRT/ }).waitFor();
    await page.getByLabel('Take or upload a photo').setInputFiles(stain!.path);
    const card = page.locator('.insp-card').first();
    await card.locator('[data-model-call="defective"]').waitFor();
    assert.match(await card.innerText(), /Defective · \d+ % confidence/);
    assert.equal(await card.locator('.insp-region').count(), 1, 'the region is drawn on the photo');
    await page.screenshot({ path: join(shots, 'receiving-1280.png'), fullPage: true });
    await card.getByRole('button', { name: 'Confirm: defective' }).click();
    await card.locator('[data-final-call="defective"]').waitFor();
    await page.getByRole('button', { name: /Close and receive/ }).click();
    await page.locator('[data-closed]').waitFor();
    assert.match(await page.locator('[data-closed]').innerText(), /0 into S1, 1 into quarantine QUAR/);
    assert.equal(await quarantined(), 1);
    await page.locator('.insp-quar[data-batch]').waitFor();

    await page.getByRole('link', { name: 'Supplier quality' }).click();
    await page.getByRole('heading', { name: 'Supplier quality', level: 1 }).waitFor();
    await page.locator('.uplot canvas').first().waitFor();
    await page.locator('tr[data-supplier="FAB"]', { hasText: '100.0 %' }).waitFor();
    await page.screenshot({ path: join(shots, 'supplier-quality-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 800, height: 1200 }); // a tablet
    await page.getByRole('link', { name: 'Receiving' }).click();
    await page.locator('.insp-quar[data-batch]').waitFor();
    await page.screenshot({ path: join(shots, 'receiving-tablet.png'), fullPage: true });
    assert.deepEqual(consoleWatch.errors, []);
  });
});
