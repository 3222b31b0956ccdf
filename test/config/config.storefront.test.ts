import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';

test('storefront settings: defaults, Stripe keys validated and paired', () => {
  const d = loadConfig({});
  assert.deepEqual(d.shop, { location: undefined, currency: 'GBP', reservationMinutes: 15, stripe: undefined });
  const ok = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_PUBLISHABLE_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_API_BASE: 'http://127.0.0.1:12111', SHOP_RESERVATION_MINUTES: '30' });
  assert.deepEqual(ok.shop.stripe, { secretKey: 'sk_test_abc', publishableKey: 'pk_test_abc', webhookSecret: 'whsec_abc', live: false, apiBase: 'http://127.0.0.1:12111' });
  assert.equal(ok.shop.reservationMinutes, 30);
  assert.throws(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_abc' }), /STRIPE_SECRET_KEY: a Stripe secret key/);
  assert.throws(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }), /one key is live and the other test/);
  assert.throws(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc' }), /STRIPE_WEBHOOK_SECRET: needed with a live key/);
  assert.throws(() => loadConfig({ STRIPE_PUBLISHABLE_KEY: 'pk_test_abc' }), /STRIPE_SECRET_KEY: needed/);
  assert.throws(() => loadConfig({ SHOP_CURRENCY: 'pounds' }), /SHOP_CURRENCY/);
  assert.throws(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_API_BASE: 'http://x:1/v1' }), /STRIPE_API_BASE/);
});
