import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import { log } from '../../log.ts';
import type { AppServices } from '../../services/index.ts';
import { CustomersService } from '../../services/customers.service.ts';
import { setRecommendSettings, getRecommendSettings } from '../../services/recommend-models.service.ts';
import { RatingsService } from '../../services/recommend-ratings.service.ts';
import { recommendServiceOf } from '../../services/recommend.service.ts';
import type { Env } from '../context.ts';
import { defineRoute, keyset } from '../route.ts';
import { Code, Sku } from '../schemas.ts';

type Ctx = { get: (k: 'services') => AppServices };

const Limit = z.coerce.number().int().min(1).max(100).default(10);
const Exclude = z
  .string()
  .max(2000)
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
  .openapi({ description: 'comma-separated SKUs never to return (cart, current page)' });
const Where = { location: Code.optional().openapi({ description: 'only what is available at this location' }), limit: Limit, exclude: Exclude };
const GenderQ = z.enum(['male', 'female', 'unknown']);
const AgeQ = z.enum(['child', 'teen', 'adult', 'senior', 'unknown']);
const TrainBody = z
  .object({ evaluate: z.boolean().optional(), testDays: z.number().int().min(1).max(365).optional(), collaborative: z.enum(['auto', 'ease', 'ials', 'ease+ials', 'item-knn']).optional() })
  .strict()
  .openapi('RecommendTrain');
const SettingsBody = z
  .object({ boostWeight: z.number().min(0).max(1).optional(), promotionWeight: z.number().min(0).max(1).optional(), collaborative: z.enum(['auto', 'ease', 'ials', 'ease+ials', 'item-knn']).optional() })
  .strict()
  .openapi('RecommendSettings');
const RatingBody = z.object({ customer: z.string().trim().min(1).max(64), sku: Sku, rating: z.number().min(1).max(5) }).strict().openapi('Rating');
const DemographicBody = z.object({ gender: z.enum(['male', 'female']).nullable(), ageGroup: z.enum(['child', 'teen', 'adult', 'senior']).nullable() }).strict().openapi('SaleDemographic');

async function customerIdOf(c: Ctx, key: string) {
  const db = c.get('services').database.db;
  const n = /^\d+$/.test(key) && Number(key) <= 2_147_483_647 ? Number(key) : null;
  const row = (n !== null ? await db.selectFrom('customers').select('id').where('id', '=', n).executeTakeFirst() : undefined) ?? (await db.selectFrom('customers').select('id').where('code', '=', key).executeTakeFirst());
  if (!row) throw new AppError('not_found', `customer ${key} does not exist`, 'customer');
  return row.id;
}

async function checkLocation(c: Ctx, code: string | undefined) {
  if (!code) return;
  const l = await c.get('services').database.db.selectFrom('locations').select('id').where('code', '=', code).executeTakeFirst();
  if (!l) throw new AppError('not_found', `location ${code} does not exist`, 'location');
}

/** Recommendations (issue 7): per customer, per item, per demographic; models, settings, ratings; customers. */
export function recommendRoutes(app: OpenAPIHono<Env>) {
  const svc = (c: Ctx) => recommendServiceOf(c.get('services'));

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/recommendations/customers/{customer}',
      tags: ['recommendations'],
      summary: 'Top-N for a known customer (id or code): buy-again + collaborative blend with reasons, in stock at the location',
      request: { params: z.object({ customer: z.string().min(1).max(64) }), query: z.object(Where) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      await checkLocation(c, q.location);
      const id = await customerIdOf(c, c.req.valid('param').customer);
      const s = svc(c);
      const items = await s.forCustomer(id, q);
      return c.json({ customerId: id, model: s.serving(), items }, 200);
    },
  );
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/recommendations/items/{sku}',
      tags: ['recommendations'],
      summary: 'Frequently bought together and similar items for a product, in stock at the location',
      request: { params: z.object({ sku: Sku }), query: z.object({ ...Where, kind: z.enum(['together', 'similar', 'both']).default('both') }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const sku = c.req.valid('param').sku;
      await checkLocation(c, q.location);
      const exists = await c.get('services').database.db.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirst();
      if (!exists) return c.json({ error: `product ${sku} does not exist`, field: 'sku' }, 404);
      const s = svc(c);
      return c.json({ sku, model: s.serving(), items: await s.forItem(sku, q) }, 200);
    },
  );
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/recommendations/demographic',
      tags: ['recommendations'],
      summary: 'For an anonymous shopper (kiosk): hard filter by the catalog gender / age range, ranked by that slice\'s recent and seasonal sales',
      request: { query: z.object({ ...Where, gender: GenderQ, ageGroup: AgeQ }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      await checkLocation(c, q.location);
      return c.json({ items: await svc(c).forDemographic(q) }, 200);
    },
  );
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/recommendations/popular',
      tags: ['recommendations'],
      summary: 'Most sold in the last 90 days, in stock at the location',
      request: { query: z.object({ location: Where.location, limit: Limit, category: z.string().max(100).optional() }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      await checkLocation(c, q.location);
      return c.json({ items: await svc(c).popular(q, { category: q.category }) }, 200);
    },
  );

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/recommendations/models',
      tags: ['recommendations'],
      summary: 'Model versions, newest first: status, progress, metrics (hold-out NDCG@10 when evaluated), size; and which one serves',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
    }),
    async (c) => {
      const s = svc(c);
      await s.model();
      return c.json({ serving: s.serving(), items: await s.models.list(c.req.valid('query').limit) }, 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/recommendations/models/{id}',
      tags: ['recommendations'],
      summary: 'One training run: status (running/done/failed), phase and progress (0..1), metrics',
      request: { params: z.object({ id: z.coerce.number().int().positive() }) },
    }),
    async (c) => c.json(await svc(c).models.get(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/recommendations/models',
        tags: ['recommendations'],
        summary: 'Retrain now in the background (409 while one runs); follow it at /api/recommendations/models/{id}',
        request: { body: { content: { 'application/json': { schema: TrainBody } }, required: false } },
      },
      201,
    ),
    async (c) => {
      const b = c.req.valid('json') ?? {};
      const { id, finished } = await svc(c).train({ ...b, actor: c.get('actor')! });
      finished.catch((e) => log.error('recommendation training failed', { id, error: String(e?.message ?? e) }));
      return c.json({ id, status: 'running', url: `/api/recommendations/models/${id}` }, 201);
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/recommendations/settings', tags: ['recommendations'], summary: 'Overstock / slow-mover boost weight, promotion weight, collaborative model' }),
    async (c) => c.json(await getRecommendSettings(c.get('services').database.db), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'put',
      path: '/api/recommendations/settings',
      tags: ['recommendations'],
      summary: 'Change the boost weights (0..1) or the collaborative model (audited)',
      request: { body: { content: { 'application/json': { schema: SettingsBody } }, required: true } },
    }),
    async (c) => {
      const r = await setRecommendSettings(c.get('services').database.db, c.get('actor')!, c.req.valid('json'));
      svc(c).settingsChanged();
      return c.json(r, 200);
    },
  );

  const ratings = (c: Ctx) => new RatingsService(c.get('services').database.db, svc(c));
  app.openapi(
    defineRoute(
      'staff',
      {
        method: 'post',
        path: '/api/recommendations/ratings',
        tags: ['recommendations'],
        summary: 'Record a customer\'s 1-5 rating of a product (replaces their earlier one); Funk-SVD learns from them at the next training',
        request: { body: { content: { 'application/json': { schema: RatingBody } }, required: true } },
      },
      201,
    ),
    async (c) => c.json(await ratings(c).rate(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/recommendations/ratings/{sku}',
      tags: ['recommendations'],
      summary: 'Average rating, count, and Funk-SVD\'s predicted rating (for a typical customer, and for ?customer=CODE)',
      request: { params: z.object({ sku: Sku }), query: z.object({ customer: z.string().trim().min(1).max(64).optional() }) },
    }),
    async (c) => c.json(await ratings(c).summary(c.req.valid('param').sku, c.req.valid('query').customer), 200),
  );
  app.openapi(
    defineRoute('kiosk', {
      method: 'put',
      path: '/api/recommendations/sales/{id}/demographic',
      tags: ['recommendations'],
      summary: 'Tag a sale with the kiosk\'s estimate of the shopper (gender, age group; null = unknown); the demographic ranker learns from it (audited)',
      request: { params: z.object({ id: z.coerce.number().int().positive() }), body: { content: { 'application/json': { schema: DemographicBody } }, required: true } },
    }),
    async (c) => c.json(await ratings(c).tagSale(c.get('actor')!, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/customers',
      tags: ['customers'],
      summary: 'Customers, newest first (keyset: pass next as before), with orders, spend and last order; q searches code, name, email',
      request: { query: z.object({ q: z.string().max(100).optional(), ...keyset }) },
    }),
    async (c) => c.json(await new CustomersService(c.get('services').database.db).list(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/customers/{id}',
      tags: ['customers'],
      summary: 'One customer (id or code): totals, the last 20 orders, the 50 most-bought products',
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
    }),
    async (c) => c.json(await new CustomersService(c.get('services').database.db).get(c.req.valid('param').id), 200),
  );
}
