// The Integrations page in a real browser: a signed delivery to a local receiver (after one failed attempt) shows in
// the delivery log; Replay sends the same event again and the log shows the replay delivered.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startReceiver } from '../helpers/webhook-receiver.ts';
import { apiClient, closeBrowser, launchBrowser, newDashboardPage, ensureWebBuilt, type RunningServer, screenshotDir, signIn, skipReason, startServer, watchConsole } from './harness.ts';

const skip = skipReason();
const SECRET = 'whsec_e2e_0123456789abcdef';

describe('integrations page (chromium)', { skip: skip ?? false, timeout: 150_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const shots = skip ? '' : screenshotDir();

  before(async () => {
    ensureWebBuilt();
    process.env.WEBHOOK_BACKOFF_MS = '300'; // the server inherits it: a quick retry
    rx = await startReceiver(SECRET, { failFirst: 1 });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    await call('POST', '/api/locations', { code: 'S1', name: 'High Street', kind: 'store' });
    await call('POST', '/api/products', { sku: 'MUG', name: 'Blue mug', price: 8, cost: 3 });
    await call('POST', '/api/integrations/webhooks', { url: rx.url, events: ['stock.changed'], secret: SECRET, description: 'e2e receiver' });
    await call('POST', '/api/movements', { lines: [{ sku: 'MUG', location: 'S1', kind: 'receipt', qty: 12 }] });
    ({ ctx, page, consoleWatch } = await newDashboardPage(browser));
  });

  after(async () => {
    await ctx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
    await rx?.close();
  });

  test('a delivery shows in the log and replays', async () => {
    await signIn(page, `${server.url}/integrations`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    const log = page.getByRole('table', { name: 'Delivery log' });
    const first = log.locator('tbody tr[data-delivery]').first();
    await first.locator('.int-delivered').waitFor();
    assert.match(await first.innerText(), /stock\.changed/);
    assert.match(await first.innerText(), /HTTP 204/);
    assert.match(await first.innerText(), /\t2\t/, 'delivered on the second attempt (the receiver failed the first)');
    assert.equal(rx.accepted.length, 1);
    assert.equal(rx.rejected.badSignature, 0);
    const id = await first.getAttribute('data-delivery');
    await page.getByRole('button', { name: `Replay delivery ${id}` }).click();
    await page.getByRole('status').filter({ hasText: 'Replaying as delivery' }).waitFor();
    const replay = log.locator('tbody tr[data-delivery]').filter({ hasText: `replay of ${id}` });
    await replay.locator('.int-delivered').waitFor();
    assert.equal(rx.accepted.length, 2);
    assert.equal(rx.accepted[1].eventId, rx.accepted[0].eventId, 'the same event, so receivers can dedupe');
    await page.screenshot({ path: join(shots, 'integrations-1280.png'), fullPage: true });
    await page.goto(`${server.url}/jobs`);
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Jobs' }).locator('tbody tr[data-job]').first().waitFor();
    assert.ok((await page.getByRole('table', { name: 'Jobs' }).locator('tbody tr[data-job]').filter({ hasText: 'webhook.deliver' }).count()) >= 2);
    await page.screenshot({ path: join(shots, 'jobs-1280.png'), fullPage: true });
    assert.deepEqual(consoleWatch.errors, []);
  });
});
