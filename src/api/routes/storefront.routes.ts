import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../errors.ts';
import { effectivePrices } from '../../services/pricing.ts';
import { recommendServiceOf, type RecommendedItem } from '../../services/recommend.service.ts';
import { storefrontOf } from '../../services/storefront.service.ts';
import type { ShopCustomer } from '../../services/customer-auth.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { GenderEnum, Sku } from '../schemas.ts';
import { ordersRoutes } from './orders.routes.ts';

/** The shop's own session cookie (never the dashboard's sw_session). */
export const SHOP_COOKIE = 'sw_shop';

const Email = z.string().trim().toLowerCase().email().max(200);
const ShopQuery = z.object({
  q: z.string().trim().max(100).optional(),
  category: z.string().trim().max(100).optional(),
  gender: GenderEnum.optional(),
  size: z.string().trim().max(32).optional(),
  colour: z.string().trim().max(64).optional(),
  minPrice: z.coerce.number().min(0).max(1e9).optional(),
  maxPrice: z.coerce.number().min(0).max(1e9).optional(),
  inStock: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
  sort: z.enum(['relevance', 'price_asc', 'price_desc', 'newest', 'name']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(96).default(24),
});
const CheckoutBody = z
  .object({
    lines: z.array(z.object({ sku: Sku, qty: z.number().int().min(1).max(20) }).strict()).min(1, 'the cart is empty').max(50),
    email: Email.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    address: z.string().trim().max(500).optional(),
    provider: z.string().trim().min(1).max(32),
  })
  .strict()
  .openapi('Checkout');
const RefParams = z.object({ ref: z.string().trim().min(3).max(32) });
const KeyQuery = z.object({ key: z.string().max(100).optional() });

async function customerOf(c: Context<Env>): Promise<ShopCustomer | null> {
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(swc_\S+)$/i)?.[1];
  return storefrontOf(c.get('services')).customers.authenticate(bearer ?? getCookie(c, SHOP_COOKIE));
}

/** Recommended items with today's prices, one per style (sizes of one garment are one suggestion). */
async function withPrices(c: Context<Env>, items: RecommendedItem[], limit: number, excludeSku?: string) {
  const db = c.get('services').database.db;
  const ids = items.map((i) => i.productId);
  const [prices, styles] = await Promise.all([
    effectivePrices(db, ids),
    ids.length || excludeSku ? db.selectFrom('products').select(['id', 'sku', 'style_code']).where((eb) => eb.or([eb('id', 'in', [...ids, -1]), eb('sku', '=', excludeSku ?? '')])).execute() : [],
  ]);
  const styleOf = new Map(styles.map((s) => [s.id, s.style_code ?? `#${s.id}`]));
  const own = styles.find((s) => s.sku === excludeSku);
  const seen = new Set<string>(own ? [own.style_code ?? `#${own.id}`] : []); // not the product itself in another size
  const one = items.filter((i) => !seen.has(styleOf.get(i.productId)!) && seen.add(styleOf.get(i.productId)!)).slice(0, limit);
  return one.map((i) => ({ sku: i.sku, name: i.name, category: i.category, colour: i.colour, size: i.size, gender: i.gender, available: i.available, reason: i.reason, ...prices.get(i.productId)! }));
}

/** The customer-facing shop under /api/shop (public, with its own customer session) and the staff order routes. */
export function storefrontRoutes(app: OpenAPIHono<Env>) {
  app.openapi(defineRoute('public', { method: 'get', path: '/api/shop/config', tags: ['shop'], summary: 'Payment methods, currency and the Stripe publishable key' }), async (c) => {
    const shop = storefrontOf(c.get('services'));
    const providers = [...shop.checkout.providers.values()].map((p) => ({ name: p.name, label: p.label, ...(p.publicConfig ?? {}) }));
    return c.json({ currency: shop.checkout.settings.currency, reservationMinutes: shop.checkout.settings.reservationMinutes, providers }, 200);
  });
  app.openapi(defineRoute('public', { method: 'get', path: '/api/shop/facets', tags: ['shop'], summary: 'Filter choices with counts: categories, genders, colours, sizes, price range' }), async (c) =>
    c.json(await storefrontOf(c.get('services')).catalog.facets(), 200),
  );
  app.openapi(
    defineRoute('public', {
      method: 'get',
      path: '/api/shop/products',
      tags: ['shop'],
      summary: 'Browse the shop: search and filters (category, gender, size, colour, price, in stock), one card per style',
      request: { query: ShopQuery },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) throw new AppError('invalid', 'minPrice is above maxPrice', 'minPrice');
      const shop = storefrontOf(c.get('services'));
      return c.json(await shop.catalog.list(await shop.locationId(), q), 200);
    },
  );
  app.openapi(
    defineRoute('public', { method: 'get', path: '/api/shop/products/{sku}', tags: ['shop'], summary: 'A product page: details, today’s price, stock status of every size of its style', request: { params: z.object({ sku: Sku }) } }),
    async (c) => {
      const shop = storefrontOf(c.get('services'));
      return c.json(await shop.catalog.product(await shop.locationId(), c.req.valid('param').sku), 200);
    },
  );
  app.openapi(
    defineRoute('public', {
      method: 'get',
      path: '/api/shop/recommendations',
      tags: ['shop'],
      summary: 'Recommendations: for a product (similar / bought together), for the signed-in customer (personal), else popular — in stock only',
      request: { query: z.object({ sku: Sku.optional(), limit: z.coerce.number().int().min(1).max(24).default(8) }) },
    }),
    async (c) => {
      const { sku, limit } = c.req.valid('query');
      const shop = storefrontOf(c.get('services'));
      const rec = recommendServiceOf(c.get('services'));
      const opts = { location: (await shop.checkout.shopLocation()).code, limit: limit * 3 }; // room for one per style
      const me = sku ? null : await customerOf(c);
      const items = sku ? await rec.forItem(sku, opts) : me ? await rec.forCustomer(me.id, opts) : await rec.popular(opts, {});
      return c.json({ basis: sku ? 'item' : me ? 'customer' : 'popular', items: await withPrices(c, items, limit, sku) }, 200);
    },
  );

  // ——— accounts ———
  const SignUp = z.object({ email: Email, password: z.string().min(8, 'at least 8 characters').max(200), name: z.string().trim().max(200).optional() }).strict().openapi('ShopSignUp');
  const SignIn = z.object({ email: Email, password: z.string().min(1).max(200) }).strict().openapi('ShopSignIn');
  app.openapi(defineRoute('public', { method: 'post', path: '/api/shop/account/signup', tags: ['shop'], summary: 'Create a shop account; signs in (cookie sw_shop)', request: { body: { content: { 'application/json': { schema: SignUp } }, required: true } } }, 201), async (c) => {
    const s = await storefrontOf(c.get('services')).customers.signUp(c.req.valid('json'));
    setCookie(c, SHOP_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', path: '/', expires: s.expiresAt });
    return c.json({ token: s.token, customer: s.customer }, 201);
  });
  app.openapi(defineRoute('public', { method: 'post', path: '/api/shop/account/signin', tags: ['shop'], summary: 'Sign in to a shop account (cookie sw_shop)', request: { body: { content: { 'application/json': { schema: SignIn } }, required: true } } }), async (c) => {
    const b = c.req.valid('json');
    const s = await storefrontOf(c.get('services')).customers.signIn(b.email, b.password);
    setCookie(c, SHOP_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', path: '/', expires: s.expiresAt });
    return c.json({ token: s.token, customer: s.customer }, 200);
  });
  app.openapi(defineRoute('public', { method: 'post', path: '/api/shop/account/signout', tags: ['shop'], summary: 'Sign out of the shop account' }), async (c) => {
    const t = getCookie(c, SHOP_COOKIE);
    if (t) await storefrontOf(c.get('services')).customers.signOut(t);
    deleteCookie(c, SHOP_COOKIE, { path: '/' });
    return c.json({ ok: true }, 200);
  });
  app.openapi(defineRoute('public', { method: 'get', path: '/api/shop/account', tags: ['shop'], summary: 'The signed-in shop customer, or null' }), async (c) => c.json({ customer: await customerOf(c) }, 200));
  app.openapi(
    defineRoute('public', { method: 'get', path: '/api/shop/account/orders', tags: ['shop'], summary: 'Order history of the signed-in shop customer', request: { query: z.object({ page: z.coerce.number().int().min(1).default(1) }) } }),
    async (c) => {
      const me = await customerOf(c);
      if (!me) throw new AppError('forbidden', 'sign in to your shop account to see your orders');
      return c.json(await storefrontOf(c.get('services')).orders.list({ customerId: me.id, page: c.req.valid('query').page, pageSize: 50 }), 200);
    },
  );

  // ——— checkout and orders ———
  app.openapi(
    defineRoute('public', {
      method: 'post',
      path: '/api/shop/checkout',
      tags: ['shop'],
      summary: 'Place an order: reserves the stock (409 insufficient_stock names the short lines), starts the payment; pay-in-store orders are confirmed at once',
      request: { body: { content: { 'application/json': { schema: CheckoutBody } }, required: true } },
    }, 201),
    async (c) => {
      const b = c.req.valid('json');
      const me = await customerOf(c);
      const email = b.email ?? me?.email;
      const name = b.name ?? me?.name ?? undefined;
      if (!email) throw new AppError('invalid', 'an email is needed for the receipt', 'email');
      if (!name) throw new AppError('invalid', 'a name is needed', 'name');
      const r = await storefrontOf(c.get('services')).checkout.checkout({ ...b, email, name, customerId: me?.id ?? null });
      return c.json({ ...r, confirmationUrl: `/shop/orders/${r.ref}?key=${r.accessKey}` }, 201);
    },
  );
  app.openapi(
    defineRoute('public', { method: 'get', path: '/api/shop/orders/{ref}', tags: ['shop'], summary: 'An order for its shopper (signed in, or with the key from the confirmation link)', request: { params: RefParams, query: KeyQuery } }),
    async (c) => {
      const me = await customerOf(c);
      return c.json(await storefrontOf(c.get('services')).orders.forShopper(c.req.valid('param').ref, { customerId: me?.id, key: c.req.valid('query').key }), 200);
    },
  );
  app.openapi(
    defineRoute('public', { method: 'post', path: '/api/shop/orders/{ref}/sync', tags: ['shop'], summary: 'Ask the payment provider how a pending payment ended and apply it (the return page after paying)', request: { params: RefParams, query: KeyQuery } }),
    async (c) => {
      const shop = storefrontOf(c.get('services'));
      const me = await customerOf(c);
      const who = { customerId: me?.id, key: c.req.valid('query').key };
      const o = await shop.orders.forShopper(c.req.valid('param').ref, who);
      await shop.checkout.sync(o.id);
      return c.json(await shop.orders.forShopper(o.ref, who), 200);
    },
  );
  app.openapi(
    defineRoute('public', { method: 'get', path: '/api/shop/orders/{ref}/receipt', tags: ['shop'], summary: 'The email-ready HTML receipt of an order', request: { params: RefParams, query: KeyQuery } }),
    async (c) => {
      const shop = storefrontOf(c.get('services'));
      const me = await customerOf(c);
      const o = await shop.orders.forShopper(c.req.valid('param').ref, { customerId: me?.id, key: c.req.valid('query').key });
      return c.html(shop.orders.receipt(o)) as never;
    },
  );
  app.openapi(
    defineRoute('public', {
      method: 'post',
      path: '/api/shop/webhooks/{provider}',
      tags: ['shop'],
      summary: 'Payment provider webhooks (stripe: Stripe-Signature verified with STRIPE_WEBHOOK_SECRET); each event applied once',
      request: { params: z.object({ provider: z.string().max(32) }) },
    }),
    async (c) => {
      const raw = await c.req.text();
      const r = await storefrontOf(c.get('services')).checkout.handleWebhook(c.req.valid('param').provider, raw, c.req.header('stripe-signature'));
      return c.json(r, 200);
    },
  );
  ordersRoutes(app);
}
