import { OpenAPIHono, z } from '@hono/zod-openapi';
import { MOVEMENT_KINDS } from '../../domain/inventory/movement-rules.ts';
import { INVENTORY_SORTS } from '../../services/stock-query.service.ts';
import type { Env } from '../context.ts';
import { defineRoute, IdempotencyHeader, keyset, paging } from '../route.ts';
import { Code, InventoryFilters, MovementBody, PositiveQty, SaleBody, Sku } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const MovementKind = z.enum(MOVEMENT_KINDS); // every kind the ledger has (return_to_supplier: issue 12)

/** Answers a write made under an Idempotency-Key, marking replays. */
function written(c: { header(k: string, v: string): void }, r: { replayed: boolean }) {
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
}

export function inventoryRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/inventory',
      tags: ['inventory'],
      summary: 'Stock per SKU × location: search, filter, sort (prefix with - for descending), page',
      request: {
        query: z.object({
          ...InventoryFilters,
          ...paging,
        }),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const desc = q.sort?.startsWith('-') ?? false;
      const sort = q.sort?.replace(/^-/, '') as (typeof INVENTORY_SORTS)[number] | undefined;
      return c.json(await c.get('services').queries.inventory({ ...q, sort, desc }), 200);
    },
  );
  app.openapi(
    defineRoute('manager', {
      method: 'put',
      path: '/api/inventory/{sku}/{location}/threshold',
      tags: ['inventory'],
      summary: 'Set the low-stock threshold of an item at a location (null removes it)',
      request: { params: z.object({ sku: Sku, location: Code }), body: json(z.object({ lowThreshold: z.number().int().min(0).max(1e7).nullable() }).strict()) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await c.get('services').inventory.setThreshold(c.get('actor')!, p.sku, p.location, c.req.valid('json').lowThreshold), 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/movements',
      tags: ['inventory'],
      summary: 'The stock ledger, newest first (keyset paging: pass next as before)',
      request: { query: z.object({ sku: Sku.optional(), location: Code.optional(), kind: MovementKind.optional(), ...keyset }) },
    }),
    async (c) => c.json(await c.get('services').queries.movements(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'post', path: '/api/movements', tags: ['inventory'], summary: 'Post receipts, adjustments or write-offs (all lines or none)', request: { headers: IdempotencyHeader, body: json(MovementBody) } }, 201),
    async (c) => {
      const b = c.req.valid('json');
      const r = await c.get('services').inventory.postMovements(c.get('actor')!, b.lines, b.occurredAt, c.req.valid('header')['idempotency-key']);
      written(c, r);
      return c.json({ movements: r.result }, 201);
    },
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/movements/{id}/reverse',
        tags: ['inventory'],
        summary: 'Correct a mistake with a reversing movement (movements are never edited or deleted)',
        request: { headers: IdempotencyHeader, params: z.object({ id: z.coerce.number().int().positive() }), body: json(z.object({ reason: z.string().min(1).max(500) }).strict()) },
      },
      201,
    ),
    async (c) => {
      const r = await c.get('services').inventory.reverse(c.get('actor')!, c.req.valid('param').id, c.req.valid('json').reason, c.req.valid('header')['idempotency-key']);
      written(c, r);
      return c.json(r.result, 201);
    },
  );
  app.openapi(
    defineRoute(
      'staff',
      {
        method: 'post',
        path: '/api/transfers',
        tags: ['inventory'],
        summary: 'Move stock from one location to another',
        request: { headers: IdempotencyHeader, body: json(z.object({ sku: Sku, from: Code, to: Code, qty: PositiveQty, reason: z.string().max(500).optional() }).strict()) },
      },
      201,
    ),
    async (c) => {
      const r = await c.get('services').inventory.transfer(c.get('actor')!, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      written(c, r);
      return c.json(r.result, 201);
    },
  );
  app.openapi(
    defineRoute(
      'staff',
      {
        method: 'post',
        path: '/api/stocktakes',
        tags: ['inventory'],
        summary: 'Record counted quantities; the difference to on-hand is posted as stocktake corrections',
        request: {
          headers: IdempotencyHeader,
          body: json(z.object({ location: Code, reason: z.string().max(500).optional(), counts: z.array(z.object({ sku: Sku, counted: z.number().int().min(0).max(1e7) }).strict()).min(1).max(50_000) }).strict()),
        },
      },
      201,
    ),
    async (c) => {
      const r = await c.get('services').inventory.stocktake(c.get('actor')!, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      written(c, r);
      return c.json(r.result, 201);
    },
  );

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/sales',
      tags: ['sales'],
      summary: 'Sales, newest first',
      request: { query: z.object({ location: Code.optional(), customer: z.string().max(64).optional(), from: z.coerce.date().optional(), to: z.coerce.date().optional(), ...keyset }) },
    }),
    async (c) => c.json(await c.get('services').queries.sales(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'post', path: '/api/sales', tags: ['sales'], summary: 'Record a sale: one movement per line, all or nothing, never below zero available', request: { headers: IdempotencyHeader, body: json(SaleBody) } }, 201),
    async (c) => {
      const r = await c.get('services').inventory.recordSale(c.get('actor')!, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      written(c, r);
      return c.json(r.result, 201);
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/sales/{id}', tags: ['sales'], summary: 'A sale with its movements (lines and returns)', request: { params: z.object({ id: z.coerce.number().int().positive() }) } }),
    async (c) => c.json(await c.get('services').queries.sale(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute(
      'staff',
      {
        method: 'post',
        path: '/api/sales/{id}/returns',
        tags: ['sales'],
        summary: 'Return part of a sale (at most what was sold and not yet returned)',
        request: {
          headers: IdempotencyHeader,
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: json(z.object({ reason: z.string().max(500).optional(), lines: z.array(z.object({ sku: Sku, qty: PositiveQty }).strict()).min(1).max(1000) }).strict()),
        },
      },
      201,
    ),
    async (c) => {
      const r = await c.get('services').inventory.recordReturn(c.get('actor')!, c.req.valid('param').id, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      written(c, r);
      return c.json(r.result, 201);
    },
  );

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/alerts',
      tags: ['alerts'],
      summary: 'Alerts (low stock, …), newest first',
      request: { query: z.object({ open: z.enum(['true', 'false']).optional(), kind: z.string().max(50).optional(), ...keyset }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await c.get('services').queries.alerts({ ...q, open: q.open === undefined ? undefined : q.open === 'true' }), 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'post',
      path: '/api/alerts/ack',
      tags: ['alerts'],
      summary: 'Acknowledge one or many alerts',
      request: { body: json(z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }).strict()) },
    }),
    async (c) => c.json(await c.get('services').queries.acknowledge(c.get('actor')!, c.req.valid('json').ids), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'get',
      path: '/api/audit',
      tags: ['audit'],
      summary: 'Who changed what and when (movements carry their own actor and time in the ledger)',
      request: { query: z.object({ entity: z.string().max(50).optional(), entityId: z.string().max(200).optional(), ...keyset }) },
    }),
    async (c) => c.json(await c.get('services').queries.audit(c.req.valid('query')), 200),
  );
  app.openapi(defineRoute('manager', { method: 'get', path: '/api/ledger/check', tags: ['inventory'], summary: 'Verify the ledger: items whose on-hand differs from the sum of their movements' }), async (c) => {
    const bad = await c.get('services').inventory.checkLedger();
    return c.json({ balanced: bad.length === 0, imbalances: bad }, 200);
  });
}
