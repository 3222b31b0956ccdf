// The shop in a real browser (phone-sized): browse, filter, product page with sizes, cart, checkout paying in store,
// confirmation; the order in the dashboard's Orders page with its sale movement. Card payments through the Stripe
// adapter against a local Stripe API server with signed webhooks: a failed payment gives the stock back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe.ts';
import { apiClient, axeViolations, closeBrowser, ensureWebBuilt, launchBrowser, screenshotDir, skipReason, startServer, type RunningServer, signIn } from './harness.ts';

const skip = skipReason();
const SK = 'sk_test_e2e';
const WHSEC = 'whsec_e2e';

describe('storefront (chromium)', { skip: skip ?? false, timeout: 240_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let fake: FakeStripe;
  let shopCtx: BrowserContext;
  let page: Page;
  let call: Awaited<ReturnType<typeof apiClient>>;
  const shots = skip ? '' : screenshotDir();
  const available = async (sku: string) => ((await (await fetch(`${server.url}/api/shop/products/${sku}`)).json()) as { available: number }).available;
  const sendWebhook = async (ref: string, type: 'payment_intent.succeeded' | 'payment_intent.payment_failed') => {
    const pi = [...fake.intents.values()].find((p) => p.metadata.order_ref === ref)!;
    const payload = fake.event(pi.id, type);
    const sig = new Stripe(SK).webhooks.generateTestHeaderString({ payload, secret: WHSEC });
    const r = await fetch(`${server.url}/api/shop/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': sig, 'content-type': 'application/json' }, body: payload });
    assert.equal(r.status, 200, await r.text());
  };

  before(async () => {
    ensureWebBuilt();
    fake = await startFakeStripe(SK);
    Object.assign(process.env, { STRIPE_SECRET_KEY: SK, STRIPE_WEBHOOK_SECRET: WHSEC, STRIPE_PUBLISHABLE_KEY: 'pk_test_e2e', STRIPE_API_BASE: `http://127.0.0.1:${fake.port}` });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    call = await apiClient(server.url, server.adminEmail, server.adminPassword);
    await call('POST', '/api/locations', { code: 'WEB', name: 'Web warehouse', kind: 'warehouse' });
    for (const size of ['S', 'M', 'L'])
      await call('POST', '/api/products', { sku: `OXF-${size}`, name: 'Oxford shirt', styleCode: 'OXF', size, gender: 'men', colour: 'Blue', category: 'Apparel', price: 35, cost: 14 });
    await call('POST', '/api/products', { sku: 'DRESS-RED', name: 'Wrap dress', gender: 'women', colour: 'Red', category: 'Apparel', price: 49, cost: 20 });
    await call('POST', '/api/products', { sku: 'CAP-GRN', name: 'Canvas cap', gender: 'unisex', colour: 'Green', category: 'Accessories', price: 12, cost: 4 });
    await call('POST', '/api/movements', { lines: [
      { sku: 'OXF-S', location: 'WEB', kind: 'receipt', qty: 5 },
      { sku: 'OXF-M', location: 'WEB', kind: 'receipt', qty: 4 },
      { sku: 'DRESS-RED', location: 'WEB', kind: 'receipt', qty: 2 },
      { sku: 'CAP-GRN', location: 'WEB', kind: 'receipt', qty: 6 },
    ] });
    shopCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    // Offline here: Stripe.js cannot load, so its request is answered empty (the card form stays unmounted).
    await shopCtx.route('https://js.stripe.com/**', (r) => r.fulfill({ status: 503, body: '' }));
    page = await shopCtx.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await shopCtx?.close().catch(() => undefined);
    await closeBrowser(browser);
    await server?.stop();
    await fake?.close();
  });

  async function labelled(p: Page) {
    // axe-core on WCAG 2 A/AA: no serious or critical violation; plus one h1, lang set, every control named.
    assert.deepEqual(await axeViolations(p), [], `accessibility of ${p.url()}`);
    assert.equal(await p.locator('h1').count(), 1, `one h1 on ${p.url()}`);
    assert.equal(await p.locator('html').getAttribute('lang'), 'en');
    for (const c of await p.locator('.shop input:visible, .shop select:visible, .shop textarea:visible').all()) {
      const named = (await c.getAttribute('aria-label')) || (await c.evaluate((el) => (el as HTMLInputElement).labels?.length ?? 0));
      assert.ok(named, `unlabelled control ${await c.evaluate((el) => el.outerHTML)}`);
    }
  }

  test('browse, filter, pick a size, pay in store: confirmed, stock drops, the order is in the dashboard', async () => {
    await page.goto(`${server.url}/shop`);
    await page.getByRole('heading', { name: /All products/ }).waitFor();
    await page.locator('.shop-count', { hasText: '3 styles' }).waitFor();
    await labelled(page);
    await page.locator('.shop-filters summary').click(); // folded on a phone
    await page.getByLabel('For').selectOption('men');
    await page.waitForURL(/gender=men/);
    await page.locator('.shop-count', { hasText: '1 styles' }).waitFor();
    await page.screenshot({ path: join(shots, 'shop-catalog-390.png') });
    await page.locator('.shop-grid').getByRole('link', { name: /Oxford shirt/ }).click();
    await page.getByRole('heading', { name: 'Oxford shirt' }).waitFor();
    assert.deepEqual(await page.locator('.shop-size').allTextContents(), ['SIn stock', 'MIn stock', 'LSold out']);
    await page.locator('.shop-size', { hasText: 'M' }).click();
    await labelled(page);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart (size M)' }).waitFor();
    await page.screenshot({ path: join(shots, 'shop-product-390.png') });
    await page.getByRole('link', { name: /Cart, 1 item/ }).click();
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    await page.getByLabel('Name').fill('Dana Shopper');
    await page.getByLabel('Email (for the receipt)').fill('dana@example.com');
    await page.getByLabel('Pay in store / cash on delivery').check();
    await labelled(page);
    await page.getByRole('button', { name: /Place order · £35\.00/ }).click();
    await page.getByRole('heading', { name: 'Thank you, your order is confirmed' }).waitFor();
    const ref = (await page.locator('.shop-ref strong').textContent())!;
    assert.match(ref, /^SW-[A-Z0-9]{10}$/);
    await page.getByText('Pay when you collect it in store.').waitFor();
    await page.screenshot({ path: join(shots, 'shop-confirmation-390.png') });
    assert.equal(await available('OXF-M'), 3, 'one unit of M sold');
    assert.equal(await page.locator('.shop-badge').textContent(), '0', 'the cart is empty after ordering');

    const staff = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const d = await staff.newPage();
    await signIn(d, server.url, server.adminEmail, server.adminPassword);
    await d.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop orders' }).click();
    await d.getByRole('link', { name: ref }).click();
    await d.getByRole('heading', { name: new RegExp(`Order ${ref}`) }).waitFor();
    await d.locator('table.data td', { hasText: 'sale' }).first().waitFor();
    assert.equal(await d.locator('.order-status').first().textContent(), 'confirmed');
    await d.screenshot({ path: join(shots, 'dashboard-order-1280.png') });
    await staff.close();
  });

  test('card payment through the Stripe adapter: a failed payment leaves stock unchanged, a paid one sells', async () => {
    const before = await available('CAP-GRN');
    const order = async () => {
      await page.goto(`${server.url}/shop/p/CAP-GRN`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.goto(`${server.url}/shop/cart`);
      await page.getByLabel('Name').fill('Eve Card');
      await page.getByLabel('Email (for the receipt)').fill('eve@example.com');
      await page.getByLabel('Card (Stripe)').check();
      await page.getByRole('button', { name: /Place order/ }).click();
      await page.getByRole('heading', { name: 'Almost there: complete your payment' }).waitFor();
      return (await page.locator('.shop-ref strong').textContent())!;
    };
    const failed = await order();
    assert.equal(await available('CAP-GRN'), before - 1, 'held while the payment is pending');
    await sendWebhook(failed, 'payment_intent.payment_failed');
    await page.getByRole('button', { name: 'I have paid: check again' }).click();
    await page.getByRole('heading', { name: 'The payment did not go through' }).waitFor();
    assert.equal(await available('CAP-GRN'), before, 'a failed payment gives the unit back');

    const paid = await order();
    await sendWebhook(paid, 'payment_intent.succeeded');
    await page.reload();
    await page.getByRole('heading', { name: 'Thank you, your order is confirmed' }).waitFor();
    assert.equal(await available('CAP-GRN'), before - 1);
    const o = await call<{ items: { ref: string; status: string; paymentStatus: string }[] }>('GET', `/api/orders?q=${paid}`);
    assert.deepEqual([o.items[0].status, o.items[0].paymentStatus], ['confirmed', 'paid']);
  });
});
