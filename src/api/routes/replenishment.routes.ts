import { OpenAPIHono, z } from '@hono/zod-openapi';
import { poCsv, poPdf } from '../../services/po-export.ts';
import { purchaseOrderServiceOf } from '../../services/purchase-order.service.ts';
import { deletePolicy, listPolicies, setPolicy } from '../../services/replenishment-policies.ts';
import { replenishmentServiceOf } from '../../services/replenishment.service.ts';
import type { Env } from '../context.ts';
import { defineRoute, IdempotencyHeader } from '../route.ts';
import { Code, Money, PositiveQty, Sku } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
type C = { get(k: 'services'): Env['Variables']['services'] };
const repl = (c: C) => replenishmentServiceOf(c.get('services'));
const pos = (c: C) => purchaseOrderServiceOf(c.get('services'));
const Id = z.object({ id: z.coerce.number().int().positive() });
const Kind = z.enum(['rop', 'rs', 'eoq', 'minmax', 'jit']);
const Level = z.number().gt(0).lt(1);
const Status = z.enum(['draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled']);

const RunBody = z.object({ location: Code.optional(), skus: z.array(Sku).min(1).max(10_000).optional(), budget: Money.nullable().optional() }).strict().openapi('ReplenishmentRun');
const Decisions = z
  .object({
    decisions: z
      .array(
        z.discriminatedUnion('action', [
          z.object({ lineId: z.number().int().positive(), action: z.literal('approve') }).strict(),
          z.object({ lineId: z.number().int().positive(), action: z.literal('reject') }).strict(),
          z.object({ lineId: z.number().int().positive(), action: z.literal('edit'), qty: PositiveQty }).strict(),
        ]),
      )
      .min(1)
      .max(5000),
  })
  .strict()
  .openapi('SuggestionDecisions');
const PolicyBody = z
  .object({
    sku: Sku.optional(),
    location: Code.optional(),
    category: z.string().trim().min(1).max(100).optional(),
    kind: Kind,
    serviceKind: z.enum(['csl', 'fill']).optional(),
    serviceLevel: Level.optional(),
    reviewDays: z.number().min(0).max(365).optional(),
    orderingCost: Money.nullable().optional(),
    holdingRate: z.number().min(0).max(5).nullable().optional(),
    min: z.number().int().min(0).max(1e7).nullable().optional(),
    max: z.number().int().min(0).max(1e7).nullable().optional(),
  })
  .strict()
  .openapi('ReplenishmentPolicy');
const SettingsBody = z
  .object({
    kind: Kind.optional(),
    serviceKind: z.enum(['csl', 'fill']).optional(),
    serviceLevel: Level.optional(),
    reviewDays: z.number().min(0).max(365).optional(),
    orderingCost: Money.optional(),
    holdingRate: z.number().min(0).max(5).optional(),
    managerApprovalLimit: Money.optional(),
    budget: Money.nullable().optional(),
  })
  .strict()
  .openapi('ReplenishmentSettings');
const ReceiveBody = z
  .object({ lines: z.array(z.object({ lineId: z.number().int().positive(), qty: PositiveQty, location: Code.optional() }).strict()).min(1).max(5000) })
  .strict()
  .openapi('PurchaseOrderReceipt');

/** Replenishment (issue 5): runs, suggestions, item plans, policies, settings, and the purchase-order life cycle. */
export function replenishmentRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/replenishment/suggestions',
      tags: ['replenishment'],
      summary: 'Open suggestions: lines of the draft POs a run made, most expected shortage first, each with the numbers that explain it',
      request: { query: z.object({ location: Code.optional(), supplier: Code.optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) }) },
    }),
    async (c) => c.json(await pos(c).suggestions(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/replenishment/suggestions/decide',
      tags: ['replenishment'],
      summary: 'Approve, reject or change the quantity of suggestions in bulk (one transaction); a draft PO with no open line left is approved (within the approval limit) or cancelled',
      request: { body: json(Decisions) },
    }),
    async (c) => c.json(await pos(c).decide(c.get('actor')!, c.req.valid('json').decisions), 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      { method: 'post', path: '/api/replenishment/runs', tags: ['replenishment'], summary: 'Run replenishment now (auto-restock): drafts POs grouped by supplier; returns the counts and timings', request: { body: { content: { 'application/json': { schema: RunBody } }, required: false } } },
      201,
    ),
    async (c) => {
      const b = c.req.valid('json') ?? {};
      return c.json(await repl(c).run({ ...b, actor: c.get('actor')! }), 201);
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/replenishment/runs', tags: ['replenishment'], summary: 'Replenishment runs, newest first', request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) } }),
    async (c) => c.json({ items: await repl(c).listRuns(c.req.valid('query').limit) }, 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/replenishment/runs/{id}', tags: ['replenishment'], summary: 'One replenishment run with what it skipped and why', request: { params: Id } }),
    async (c) => c.json(await repl(c).getRun(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/replenishment/plans',
      tags: ['replenishment'],
      summary: 'The latest run\'s plan per SKU × location (reorder point, order-up-to, days until stockout), soonest stockout first',
      request: { query: z.object({ location: Code.optional(), alert: z.enum(['1', 'true']).optional(), limit: z.coerce.number().int().min(1).max(5000).default(200) }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await repl(c).plans({ location: q.location, alert: !!q.alert, limit: q.limit }), 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/replenishment/items/{sku}',
      tags: ['replenishment'],
      summary: 'One item\'s live plan at a location: policy numbers with how each was computed, days until stockout and the projected stock curve (on hand + open POs − forecast)',
      request: { params: z.object({ sku: Sku }), query: z.object({ location: Code }) },
    }),
    async (c) => c.json(await repl(c).itemPlan(c.req.valid('param').sku, c.req.valid('query').location), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/replenishment/policies', tags: ['replenishment'], summary: 'Policies set per item or per category (everything else uses the settings\' defaults)' }),
    async (c) => c.json({ items: await listPolicies(c.get('services').database.db) }, 200),
  );
  app.openapi(
    defineRoute('manager', { method: 'put', path: '/api/replenishment/policies', tags: ['replenishment'], summary: 'Set the policy of one item (sku + location) or of a category (optionally at one location)', request: { body: json(PolicyBody) } }),
    async (c) => c.json(await setPolicy(c.get('services').database.db, c.get('actor')!, c.req.valid('json')), 200),
  );
  app.openapi(
    defineRoute('manager', { method: 'delete', path: '/api/replenishment/policies/{id}', tags: ['replenishment'], summary: 'Remove a policy (the item falls back to its category or the defaults)', request: { params: Id } }),
    async (c) => c.json(await deletePolicy(c.get('services').database.db, c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/replenishment/settings', tags: ['replenishment'], summary: 'Default policy, service level, costs, the managers\' approval limit and the budget cap' }),
    async (c) => c.json(await repl(c).settings(), 200),
  );
  app.openapi(
    defineRoute('admin', { method: 'put', path: '/api/replenishment/settings', tags: ['replenishment'], summary: 'Change the replenishment settings (audited)', request: { body: json(SettingsBody) } }),
    async (c) => c.json(await repl(c).updateSettings(c.get('actor')!, c.req.valid('json')), 200),
  );

  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/purchase-orders',
      tags: ['purchase orders'],
      summary: 'Purchase orders, newest first, with counts per status',
      request: { query: z.object({ status: Status.optional(), supplier: Code.optional(), location: Code.optional(), limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }) },
    }),
    async (c) => c.json(await pos(c).list(c.req.valid('query')), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/purchase-orders/{id}', tags: ['purchase orders'], summary: 'One PO with its lines (and their explanations), receipts and audit history', request: { params: Id } }),
    async (c) => c.json(await pos(c).get(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('manager', { method: 'post', path: '/api/purchase-orders/{id}/approve', tags: ['purchase orders'], summary: 'Approve a draft (managers up to the approval limit, admins any value)', request: { params: Id } }),
    async (c) => c.json(await pos(c).approve(c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('manager', { method: 'post', path: '/api/purchase-orders/{id}/send', tags: ['purchase orders'], summary: 'Mark an approved PO sent to the supplier (expected date = today + lead time)', request: { params: Id } }),
    async (c) => c.json(await pos(c).send(c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'post',
      path: '/api/purchase-orders/{id}/receive',
      tags: ['purchase orders'],
      summary: 'Receive quantities against PO lines: ledger receipts at the PO unit cost, never past the ordered quantity (safe with several receivers)',
      request: { params: Id, headers: IdempotencyHeader, body: json(ReceiveBody) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await pos(c).receiveLines(c.get('actor')!, c.req.valid('param').id, b.lines.map((l) => ({ lineId: l.lineId, qty: l.qty, locationCode: l.location })), c.req.valid('header')['idempotency-key']);
      if (r.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(r, 200);
    },
  );
  app.openapi(
    defineRoute('manager', { method: 'post', path: '/api/purchase-orders/{id}/cancel', tags: ['purchase orders'], summary: 'Cancel a PO that has no receipts', request: { params: Id, body: json(z.object({ reason: z.string().trim().min(1).max(500) }).strict()) } }),
    async (c) => c.json(await pos(c).cancel(c.get('actor')!, c.req.valid('param').id, c.req.valid('json').reason), 200),
  );
  app.openapi(
    defineRoute('manager', { method: 'post', path: '/api/purchase-orders/{id}/close', tags: ['purchase orders'], summary: 'Close a received PO, or short-close a partly received one', request: { params: Id } }),
    async (c) => c.json(await pos(c).close(c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/purchase-orders/{id}/export.csv', tags: ['purchase orders'], summary: 'The PO as CSV for the supplier', request: { params: Id } }),
    async (c) => {
      const po = await pos(c).get(c.req.valid('param').id);
      return c.body(poCsv(po), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${po.number}-${po.supplier}.csv"` }) as never;
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/purchase-orders/{id}/export.pdf', tags: ['purchase orders'], summary: 'The PO as a PDF for the supplier', request: { params: Id } }),
    async (c) => {
      const po = await pos(c).get(c.req.valid('param').id);
      return c.body(new Uint8Array(await poPdf(po)), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${po.number}-${po.supplier}.pdf"` }) as never;
    },
  );
}
