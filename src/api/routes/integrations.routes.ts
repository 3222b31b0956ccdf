import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../../services/outbox.ts';
import { integrationsOf } from '../../services/integrations.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code, Sku } from '../schemas.ts';
import { jobRoutes } from './jobs.routes.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const Subscription = z
  .object({
    url: z.string().url().max(2000),
    events: z.array(z.enum([...EVENT_TYPES, '*'])).min(1),
    description: z.string().max(300).optional(),
    secret: z.string().min(16).max(200).optional(),
  })
  .strict()
  .openapi('WebhookSubscription');
const SourceBody = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, '1-32 lower-case letters, digits, _ or -'),
    kind: z.enum(['generic', 'shopify', 'woocommerce']),
    location: Code,
    secret: z.string().min(16).max(200).optional(),
    itemMap: z.record(z.string(), Sku).optional(),
    locationMap: z.record(z.string(), Code).optional(),
    applyLevels: z.boolean().optional(),
  })
  .strict()
  .openapi('IncomingSource');
const ReconcileBody = z
  .object({
    source: z.string().max(32).optional(),
    levels: z.array(z.object({ sku: Sku, location: Code, available: z.number().int().min(0) })).max(100_000).optional(),
    apply: z.boolean().default(false),
    reason: z.string().trim().max(300).optional(),
  })
  .strict()
  .openapi('Reconcile');

/** Webhooks out, shop events in, reconciliation (issue 11); jobs in jobs.routes.ts. */
export function integrationRoutes(app: OpenAPIHono<Env>) {
  const tags = ['integrations'];
  const svc = (c: { get(k: 'services'): Env['Variables']['services'] }) => integrationsOf(c.get('services'));
  app.openapi(defineRoute('admin', { method: 'get', path: '/api/integrations/webhooks', tags, summary: 'Webhook subscriptions with their delivery counts' }), async (c) =>
    c.json({ items: await svc(c).webhooks.list() }, 200),
  );
  app.openapi(
    defineRoute('admin', { method: 'post', path: '/api/integrations/webhooks', tags, summary: 'Subscribe a URL to events; the answer shows the signing secret once', request: { body: { content: { 'application/json': { schema: Subscription } } } } }, 201),
    async (c) => c.json(await svc(c).webhooks.subscribe(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('admin', { method: 'patch', path: '/api/integrations/webhooks/{id}', tags, summary: 'Pause or resume a subscription', request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ active: z.boolean() }).strict() } } } } }),
    async (c) => c.json(await svc(c).webhooks.setActive(c.get('actor')!, c.req.valid('param').id, c.req.valid('json').active), 200),
  );
  app.openapi(defineRoute('admin', { method: 'delete', path: '/api/integrations/webhooks/{id}', tags, summary: 'Delete a subscription and its delivery log', request: { params: IdParam } }), async (c) =>
    c.json(await svc(c).webhooks.remove(c.get('actor')!, c.req.valid('param').id), 200),
  );
  app.openapi(defineRoute('admin', { method: 'post', path: '/api/integrations/webhooks/{id}/ping', tags, summary: 'Send a ping event to a subscription', request: { params: IdParam } }, 201), async (c) =>
    c.json(await svc(c).webhooks.ping(c.get('actor')!, c.req.valid('param').id), 201),
  );
  app.openapi(
    defineRoute('admin', {
      method: 'get',
      path: '/api/integrations/deliveries',
      tags,
      summary: 'The delivery log, newest first: status, attempts, last HTTP status and error',
      request: { query: z.object({ status: z.enum(['pending', 'delivered', 'failed']).optional(), subscription: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(50), before: z.coerce.number().int().positive().optional() }) },
    }),
    async (c) => c.json({ items: await svc(c).webhooks.deliveries(c.req.valid('query')) }, 200),
  );
  app.openapi(defineRoute('admin', { method: 'post', path: '/api/integrations/deliveries/{id}/replay', tags, summary: 'Send a delivery’s event again (a new delivery in the log)', request: { params: IdParam } }, 201), async (c) =>
    c.json(await svc(c).webhooks.replay(c.get('actor')!, c.req.valid('param').id), 201),
  );
  app.openapi(defineRoute('admin', { method: 'get', path: '/api/integrations/sources', tags, summary: 'Incoming sources (external shops) with their event counts' }), async (c) =>
    c.json({ items: await svc(c).incoming.listSources() }, 200),
  );
  app.openapi(
    defineRoute('admin', { method: 'post', path: '/api/integrations/sources', tags, summary: 'Add an incoming source (generic, shopify or woocommerce); the answer shows its secret and URL', request: { body: { content: { 'application/json': { schema: SourceBody } } } } }, 201),
    async (c) => c.json(await svc(c).incoming.addSource(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('admin', { method: 'get', path: '/api/integrations/events', tags, summary: 'Incoming events, newest first (applied, ignored or failed)', request: { query: z.object({ source: z.string().max(32).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }) } }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await svc(c).incoming.events(q.source, q.limit) }, 200);
    },
  );
  app.openapi(
    defineRoute('public', {
      method: 'post',
      path: '/api/integrations/incoming/{source}',
      tags,
      summary: 'Webhook endpoint for an external shop: generic JSON (Shelfwise-Signature), Shopify (X-Shopify-Hmac-Sha256) or WooCommerce (X-WC-Webhook-Signature); authenticated by the signature; a replayed event changes nothing',
      request: { params: z.object({ source: z.string().max(64) }) },
    }),
    async (c) => {
      const raw = await c.req.text();
      const r = await svc(c).incoming.receive(c.req.valid('param').source, (n) => c.req.header(n), raw);
      if (r.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(r, 200);
    },
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/integrations/reconcile',
      tags,
      summary: 'Compare external levels (given, or the last a source reported) with the ledger; with apply, post the differences as adjustments with the reason',
      request: { body: { content: { 'application/json': { schema: ReconcileBody } } } },
    }),
    async (c) => c.json(await svc(c).incoming.reconcile(c.get('actor')!, c.req.valid('json')), 200),
  );
  jobRoutes(app);
}
