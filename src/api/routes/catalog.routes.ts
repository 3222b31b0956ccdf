import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from '../context.ts';
import { defineRoute, paging } from '../route.ts';
import { Code, GenderEnum, Money, PositiveQty, ProductBody, ProductPatch, Sku } from '../schemas.ts';

const SkuParam = z.object({ sku: Sku });
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

export function catalogRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/products',
      tags: ['catalog'],
      summary: 'Search products',
      request: { query: z.object({ q: z.string().max(100).optional(), category: z.string().max(100).optional(), gender: GenderEnum.optional(), status: z.enum(['active', 'discontinued']).optional(), ...paging }) },
    }),
    async (c) => c.json(await c.get('services').queries.listProducts(c.req.valid('query')), 200),
  );
  app.openapi(defineRoute('manager', { method: 'post', path: '/api/products', tags: ['catalog'], summary: 'Create a product', request: { body: json(ProductBody) } }, 201), async (c) =>
    c.json(await c.get('services').catalog.createProduct(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(defineRoute('kiosk', { method: 'get', path: '/api/products/{sku}', tags: ['catalog'], summary: 'A product with its stock per location', request: { params: SkuParam } }), async (c) => {
    const { sku } = c.req.valid('param');
    const s = c.get('services');
    return c.json({ ...(await s.catalog.getProduct(sku)), stock: await s.queries.productStock(sku) }, 200);
  });
  app.openapi(
    defineRoute('manager', { method: 'patch', path: '/api/products/{sku}', tags: ['catalog'], summary: 'Change a product (audited; price changes are logged as such)', request: { params: SkuParam, body: json(ProductPatch) } }),
    async (c) => c.json(await c.get('services').catalog.updateProduct(c.get('actor')!, c.req.valid('param').sku, c.req.valid('json')), 200),
  );

  app.openapi(defineRoute('kiosk', { method: 'get', path: '/api/locations', tags: ['locations'], summary: 'Stores and warehouses with their zones' }), async (c) =>
    c.json({ items: await c.get('services').catalog.listLocations() }, 200),
  );
  app.openapi(
    defineRoute(
      'admin',
      {
        method: 'post',
        path: '/api/locations',
        tags: ['locations'],
        summary: 'Create a store, warehouse or quarantine location',
        request: { body: json(z.object({ code: Code, name: z.string().min(1).max(100), kind: z.enum(['store', 'warehouse', 'quarantine']), allowNegative: z.boolean().optional() }).strict()) },
      },
      201,
    ),
    async (c) => c.json(await c.get('services').catalog.createLocation(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/locations/{code}/zones',
        tags: ['locations'],
        summary: 'Add a zone to a store',
        request: {
          params: z.object({ code: Code }),
          body: json(z.object({ code: Code, name: z.string().min(1).max(100), kind: z.string().max(32).optional(), visibility: z.number().min(0).max(100).optional(), capacity: PositiveQty.nullish() }).strict()),
        },
      },
      201,
    ),
    async (c) => c.json(await c.get('services').catalog.addZone(c.get('actor')!, c.req.valid('param').code, c.req.valid('json')), 201),
  );

  app.openapi(defineRoute('staff', { method: 'get', path: '/api/suppliers', tags: ['suppliers'], summary: 'List suppliers' }), async (c) =>
    c.json({ items: await c.get('services').catalog.listSuppliers() }, 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'put',
      path: '/api/suppliers/{code}',
      tags: ['suppliers'],
      summary: 'Create or update a supplier (lead time and its variability, MOQ, pack size, minimum order value)',
      request: {
        params: z.object({ code: Code }),
        body: json(
          z
            .object({
              name: z.string().min(1).max(200),
              email: z.string().email().nullish(),
              currency: z.string().length(3).toUpperCase().optional(),
              leadTimeDays: z.number().min(0).max(365).optional(),
              leadTimeSdDays: z.number().min(0).max(365).optional(),
              moq: PositiveQty.optional(),
              packSize: PositiveQty.optional(),
              minOrderValue: Money.optional(),
            })
            .strict(),
        ),
      },
    }),
    async (c) => c.json(await c.get('services').catalog.upsertSupplier(c.get('actor')!, { code: c.req.valid('param').code, ...c.req.valid('json') }), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'put',
      path: '/api/suppliers/{code}/products/{sku}',
      tags: ['suppliers'],
      summary: "Set a supplier's unit cost (and optional MOQ / pack size) for a product",
      request: {
        params: z.object({ code: Code, sku: Sku }),
        body: json(z.object({ unitCost: Money, supplierSku: z.string().max(64).nullish(), moq: PositiveQty.nullish(), packSize: PositiveQty.nullish() }).strict()),
      },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await c.get('services').catalog.setSupplierCost(c.get('actor')!, p.code, p.sku, c.req.valid('json')), 200);
    },
  );
}
