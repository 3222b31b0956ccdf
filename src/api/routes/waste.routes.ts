import { OpenAPIHono, z } from '@hono/zod-openapi';
import { toCsv } from '../../services/reports.service.ts';
import { weeklyDigest } from '../../services/digest.service.ts';
import { effectivePrices, promotionsServiceOf } from '../../services/promotions.service.ts';
import { wasteServiceOf } from '../../services/waste.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code, Sku } from '../schemas.ts';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const Scope = {
  location: Code.optional(),
  windowDays: z.coerce.number().int().min(28).max(1095).optional(),
  horizonDays: z.coerce.number().int().min(1).max(365).optional(),
  deadDays: z.coerce.number().int().min(7).max(1095).optional(),
  slowCoverDays: z.coerce.number().int().min(7).max(1095).optional(),
  aShare: z.coerce.number().gt(0).max(1).optional(),
  bShare: z.coerce.number().gt(0).max(1).optional(),
};
const Classes = {
  abc: z.enum(['A', 'B', 'C']).optional(),
  xyz: z.enum(['X', 'Y', 'Z']).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
const OfferTarget = {
  days: z.coerce.number().int().min(1).max(365).optional(),
  until: IsoDate.optional(),
};
const AcceptBody = z
  .object({
    sku: Sku,
    location: Code.optional(),
    ...OfferTarget,
    depth: z.number().gt(0).max(0.95).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .openapi('AcceptOffer');
const PromotionBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    sku: Sku.optional(),
    category: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(['percent', 'fixed_price']),
    value: z.number().gt(0).max(1e9),
    startsOn: IsoDate.optional(),
    endsOn: IsoDate,
  })
  .strict()
  .openapi('Promotion');

function csv(c: { body(data: string, status: 200, headers: Record<string, string>): Response }, text: string, name: string) {
  return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }) as never;
}

/** Waste reduction (issue 6): classes, slow/dead stock, elasticities, markdown offers → promotions, effective prices. */
export function wasteRoutes(app: OpenAPIHono<Env>) {
  const waste = (c: { get(k: 'services'): Env['Variables']['services'] }) => wasteServiceOf(c.get('services'));
  const promos = (c: { get(k: 'services'): Env['Variables']['services'] }) => promotionsServiceOf(c.get('services'));

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/waste/classification',
      tags: ['waste'],
      summary: 'ABC (revenue share) × XYZ (weekly demand CV) matrix with counts, stock value and revenue, and the items of the chosen classes',
      request: { query: z.object({ ...Scope, ...Classes }) },
    }),
    async (c) => c.json(await waste(c).classification(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/waste/slow-stock',
      tags: ['waste'],
      summary: 'Slow, dead and excess stock ranked by tied-up value: days since last sale, days of cover, sell-through, FIFO stock age, excess units',
      request: { query: z.object({ ...Scope, ...Classes, status: z.enum(['all', 'dead', 'slow', 'excess']).default('all'), format: z.enum(['json', 'csv']).default('json') }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await waste(c).slowStock(q.format === 'csv' ? { ...q, limit: 1_000_000 } : q);
      if (q.format === 'json') return c.json(r, 200);
      const cols = ['sku', 'name', 'category', 'location', 'abc', 'xyz', 'status', 'onHand', 'daysSinceLastSale', 'dailyDemand', 'daysOfCover', 'sellThrough', 'avgAgeDays', 'excessUnits', 'tiedUpValue', 'stockValue'] as const;
      return csv(c, toCsv([...cols], r.items.map((i) => cols.map((k) => i[k]))), 'slow-stock');
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/waste/elasticities',
      tags: ['waste'],
      summary: 'Fitted price elasticities (log-log, shrunk toward the category): distribution and per-category estimates',
      request: { query: z.object(Scope) },
    }),
    async (c) => c.json(await waste(c).elasticities(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/waste/offers',
      tags: ['waste'],
      summary: 'Markdown offers for excess items: the discount that clears the excess by the target date at the best expected revenue',
      request: { query: z.object({ ...Scope, ...Classes, ...OfferTarget, sku: Sku.optional() }) },
    }),
    async (c) => c.json(await waste(c).offers(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/waste/bundles',
      tags: ['waste'],
      summary: 'Bundle partners for an item: frequent co-purchases that sell and are not excess themselves',
      request: { query: z.object({ sku: Sku, location: Code.optional() }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ sku: q.sku, items: await waste(c).bundles(q.sku, q) }, 200);
    },
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/waste/dead-stock/check',
      tags: ['waste'],
      summary: 'Raise a dead_stock alert for each item that turned dead since the previous check (the scheduler runs this daily); all: every dead item not alerted yet',
      request: { body: { content: { 'application/json': { schema: z.object({ all: z.boolean().optional(), location: Code.optional() }).strict() } }, required: false } },
    }),
    async (c) => c.json(await waste(c).checkDeadStock(c.get('actor')!, c.req.valid('json') ?? {}), 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/waste/offers/accept',
        tags: ['waste'],
        summary: 'Accept a markdown offer: recomputed on the server and saved as a percent-off promotion from today to the target date',
        request: { body: { content: { 'application/json': { schema: AcceptBody } }, required: true } },
      },
      201,
    ),
    async (c) => c.json(await promos(c).acceptOffer(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/waste/digest',
      tags: ['waste'],
      summary: 'The weekly digest as one email-ready HTML page: top 5 sellers, category movers, stock value, slow/dead stock, offers, new dead stock, promotions',
      request: { query: z.object({ location: Code.optional() }) },
    }),
    async (c) => c.html(await weeklyDigest(c.get('services').database.db, waste(c), c.req.valid('query')), 200) as never,
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/promotions',
      tags: ['promotions'],
      summary: 'Promotions, newest first, with their results so far (units per day vs the baseline, uplift)',
      request: { query: z.object({ status: z.enum(['all', 'scheduled', 'running', 'ended', 'cancelled']).default('all'), limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
    }),
    async (c) => c.json({ items: await promos(c).list(c.req.valid('query')) }, 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/promotions',
        tags: ['promotions'],
        summary: 'Create a promotion: a product (sku) or a category, percent off or a fixed price, from startsOn (default today) to endsOn',
        request: { body: { content: { 'application/json': { schema: PromotionBody } }, required: true } },
      },
      201,
    ),
    async (c) => c.json(await promos(c).create(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/promotions/{id}/cancel',
      tags: ['promotions'],
      summary: 'Cancel a promotion (prices return to regular at once)',
      request: { params: z.object({ id: z.coerce.number().int().positive() }) },
    }),
    async (c) => c.json(await promos(c).cancel(c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/prices',
      tags: ['promotions'],
      summary: 'Effective selling prices of SKUs on a day (default today): the lowest running promotion, else the regular price',
      request: { query: z.object({ sku: z.union([Sku, z.array(Sku).max(500)]), at: IsoDate.optional() }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const skus = Array.isArray(q.sku) ? q.sku : [q.sku];
      const db = c.get('services').database.db;
      const ids = await db.selectFrom('products').select(['id']).where('sku', 'in', skus).execute();
      const prices = await effectivePrices(db, ids.map((r) => r.id), q.at);
      return c.json({ at: q.at ?? new Date().toISOString().slice(0, 10), items: [...prices.values()] }, 200);
    },
  );
}
