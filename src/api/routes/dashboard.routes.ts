import { streamSSE } from 'hono/streaming';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { DashboardService, LiveVersion, readStoreSettings, writeStoreSettings } from '../../services/dashboard.service.ts';
import type { AppServices } from '../../services/index.ts';
import { INVENTORY_SORTS } from '../../services/stock-query.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { InventoryFilters, Sku } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const dash = (c: { get(k: 'services'): Env['Variables']['services'] }) => new DashboardService(c.get('services').database.db);

const CSV_MAX_ROWS = 100_000;

/** Read models for the web dashboard (/api/dashboard/…): charts, sparklines, CSV export, session probe, store settings. */
export function dashboardRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('public', { method: 'get', path: '/api/dashboard/session', tags: ['dashboard'], summary: 'Who is signed in, or null (never 401, so the page can ask on load)' }),
    (c) => {
      const a = c.get('actor');
      return c.json({ user: a && a.id !== null ? { id: a.id, email: a.label, role: a.role } : null }, 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/dashboard/overview',
      tags: ['dashboard'],
      summary: 'Orders, revenue, units sold and stock value per day up to "today" (the latest sale date when the data is historical)',
      request: { query: z.object({ days: z.coerce.number().int().min(8).max(366).default(56) }) },
    }),
    async (c) => c.json(await dash(c).overview(c.req.valid('query').days), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/dashboard/sparklines',
      tags: ['dashboard'],
      summary: 'Units sold per week (oldest first) for up to 500 items given as SKU@LOCATION, comma-separated',
      request: {
        query: z.object({
          items: z
            .string()
            .max(40_000)
            .transform((s) => s.split(',').filter(Boolean))
            .pipe(z.array(z.string().regex(/^[^\s,;@]+@[A-Za-z0-9_.-]+$/, 'SKU@LOCATION')).max(500)),
          weeks: z.coerce.number().int().min(1).max(52).default(8),
        }),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = q.items.map((s) => {
        const at = s.lastIndexOf('@');
        return { sku: s.slice(0, at), location: s.slice(at + 1) };
      });
      return c.json(await dash(c).sparklines(items, q.weeks), 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/dashboard/products/{sku}/sales',
      tags: ['dashboard'],
      summary: 'Units sold and revenue of a product per day or week',
      request: {
        params: z.object({ sku: Sku }),
        query: z.object({ bucket: z.enum(['day', 'week']).default('day'), days: z.coerce.number().int().min(7).max(730).default(90) }),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await dash(c).productSales(c.req.valid('param').sku, q.bucket, q.days), 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/dashboard/inventory.csv',
      tags: ['dashboard'],
      summary: `The inventory view (filters and sort as GET /api/inventory) as CSV, at most ${CSV_MAX_ROWS.toLocaleString('en')} rows`,
      request: { query: z.object(InventoryFilters) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const desc = q.sort?.startsWith('-') ?? false;
      const sort = q.sort?.replace(/^-/, '') as (typeof INVENTORY_SORTS)[number] | undefined;
      const r = await dash(c).inventoryCsv({ ...q, sort, desc }, CSV_MAX_ROWS);
      return c.body(r.csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="inventory.csv"',
        'x-total-rows': String(r.rows),
      }) as never;
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/dashboard/inventory.xlsx',
      tags: ['dashboard'],
      summary: `The inventory view (filters and sort as GET /api/inventory) as an Excel workbook, at most ${CSV_MAX_ROWS.toLocaleString('en')} rows`,
      request: { query: z.object(InventoryFilters) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const desc = q.sort?.startsWith('-') ?? false;
      const sort = q.sort?.replace(/^-/, '') as (typeof INVENTORY_SORTS)[number] | undefined;
      const r = await dash(c).inventoryXlsx({ ...q, sort, desc }, CSV_MAX_ROWS);
      return c.body(new Uint8Array(r.xlsx), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': 'attachment; filename="inventory.xlsx"',
        'x-total-rows': String(r.rows),
      }) as never;
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/dashboard/events', tags: ['dashboard'], summary: 'Server-sent events: a `version` event whenever the ledger or the alerts change (dashboards listen instead of polling)' }),
    (c) =>
      streamSSE(c, async (stream) => {
        const live = liveVersion(c.get('services'));
        let n = 0;
        const stop = live.subscribe((v) => void stream.writeSSE({ event: 'version', data: v, id: String(++n) }));
        // Open until the browser goes away; a ping every 15 s keeps proxies from closing an idle stream.
        await new Promise<void>((resolve) => {
          const ping = setInterval(() => void stream.writeSSE({ event: 'ping', data: '' }).catch(() => undefined), 15_000);
          stream.onAbort(() => {
            clearInterval(ping);
            stop();
            resolve();
          });
        });
      }) as never,
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/dashboard/version', tags: ['dashboard'], summary: 'A fingerprint of the ledger and alerts that changes on every movement, sale, alert or acknowledgement (dashboards poll it)' }),
    async (c) => c.json(await dash(c).version(), 200),
  );
  app.openapi(defineRoute('staff', { method: 'get', path: '/api/dashboard/categories', tags: ['dashboard'], summary: 'Product categories with their product counts' }), async (c) =>
    c.json(await dash(c).categories(), 200),
  );
  app.openapi(defineRoute('staff', { method: 'get', path: '/api/dashboard/settings', tags: ['dashboard'], summary: 'Store name, currency, default low-stock threshold' }), async (c) =>
    c.json(await readStoreSettings(c.get('services').database.db), 200),
  );
  app.openapi(
    defineRoute('admin', {
      method: 'put',
      path: '/api/dashboard/settings',
      tags: ['dashboard'],
      summary: 'Change store settings (audited)',
      request: {
        body: json(
          z
            .object({
              storeName: z.string().trim().min(1).max(100).optional(),
              currency: z.string().trim().length(3).regex(/^[A-Za-z]{3}$/, 'a three-letter ISO code such as GBP').toUpperCase().optional(),
              defaultLowThreshold: z.number().int().min(0).max(1e7).nullable().optional(),
            })
            .strict(),
        ),
      },
    }),
    async (c) => c.json(await writeStoreSettings(c.get('services').database.db, c.get('actor')!, c.req.valid('json')), 200),
  );
}

/** One LiveVersion per database (the API, tests and benches may build several apps in one process). */
const lives = new WeakMap<object, LiveVersion>();
function liveVersion(services: AppServices): LiveVersion {
  let l = lives.get(services.database);
  if (!l) {
    const svc = new DashboardService(services.database.db);
    l = new LiveVersion(async () => (await svc.version()).version);
    lives.set(services.database, l);
  }
  return l;
}
