import { OpenAPIHono, z } from '@hono/zod-openapi';
import { storefrontOf } from '../../services/storefront.service.ts';
import type { Env } from '../context.ts';
import { defineRoute, paging } from '../route.ts';
import { PositiveQty, Sku } from '../schemas.ts';

const Id = z.object({ id: z.coerce.number().int().positive() });
const RefundBody = z
  .object({
    lines: z.array(z.object({ sku: Sku, qty: PositiveQty }).strict()).max(50).optional(),
    reason: z.string().trim().max(300).optional(),
  })
  .strict()
  .openapi('OrderRefund');

/** Shop orders in the dashboard: list, detail, receipt, refund (return movements), in-store payment taken, expiry sweep. */
export function ordersRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/orders',
      tags: ['orders'],
      summary: 'Shop orders, newest first; filter by status (or open) and by ref, email or name',
      request: {
        query: z.object({
          status: z.enum(['open', 'pending', 'confirmed', 'failed', 'expired', 'cancelled', 'refunded', 'partially_refunded']).optional(),
          q: z.string().trim().max(100).optional(),
          ...paging,
        }),
      },
    }),
    async (c) => c.json(await storefrontOf(c.get('services')).orders.list(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/orders/{id}', tags: ['orders'], summary: 'One order: lines, reservations, its sale and return movements, history', request: { params: Id } }),
    async (c) => c.json(await storefrontOf(c.get('services')).orders.detail(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/orders/{id}/receipt', tags: ['orders'], summary: 'The email-ready HTML receipt', request: { params: Id } }),
    async (c) => {
      const o = storefrontOf(c.get('services')).orders;
      return c.html(o.receipt(await o.detail(c.req.valid('param').id))) as never;
    },
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/orders/{id}/refund',
      tags: ['orders'],
      summary: 'Refund an order (all, or some lines): return movements on its sale, card payments refunded at the provider',
      request: { params: Id, body: { content: { 'application/json': { schema: RefundBody } }, required: false } },
    }),
    async (c) => c.json(await storefrontOf(c.get('services')).checkout.refund(c.get('actor')!, c.req.valid('param').id, c.req.valid('json') ?? {}), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'post', path: '/api/orders/{id}/paid', tags: ['orders'], summary: 'Record that a pay-in-store order was paid at the till', request: { params: Id } }),
    async (c) => c.json(await storefrontOf(c.get('services')).checkout.markPaid(c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('manager', { method: 'post', path: '/api/orders/release-expired', tags: ['orders'], summary: 'Release the stock of checkouts whose payment did not finish in time (the scheduler does this every minute)' }),
    async (c) => c.json(await storefrontOf(c.get('services')).checkout.releaseExpired(), 200),
  );
}
