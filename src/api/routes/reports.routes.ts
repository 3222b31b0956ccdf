import { OpenAPIHono, z } from '@hono/zod-openapi';
import { categoryTrendCsv, inventoryValueCsv, ReportsService, topSellersCsv } from '../../services/reports.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code } from '../schemas.ts';

const reports = (c: { get(k: 'services'): Env['Variables']['services'] }) => new ReportsService(c.get('services').database.db);
const Format = z.enum(['json', 'csv']).default('json');
const Location = Code.optional();

function csv(c: { body(data: string, status: 200, headers: Record<string, string>): Response }, text: string, name: string) {
  return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }) as never;
}

/** Reports (/api/reports/…): each as JSON for the dashboard's chart and table, or `?format=csv`. */
export function reportsRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/reports/top-sellers',
      tags: ['reports'],
      summary: 'Top-N best sellers (net units) per ISO week up to "today", ties at the N-th place included, with current on-hand',
      request: {
        query: z.object({
          weeks: z.coerce.number().int().min(1).max(26).default(4),
          n: z.coerce.number().int().min(1).max(50).default(5),
          location: Location,
          format: Format,
        }),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await reports(c).topSellers(q.weeks, q.n, q.location);
      return q.format === 'csv' ? csv(c, topSellersCsv(r), 'top-sellers') : c.json(r, 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/reports/category-trend',
      tags: ['reports'],
      summary: 'Net units and revenue per category per ISO week, with the last-4 vs previous-4 weeks change',
      request: { query: z.object({ weeks: z.coerce.number().int().min(2).max(104).default(12), location: Location, format: Format }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await reports(c).categoryTrend(q.weeks, q.location);
      return q.format === 'csv' ? csv(c, categoryTrendCsv(r), 'category-trend') : c.json(r, 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/reports/inventory-value',
      tags: ['reports'],
      summary: 'Units on hand and their value at current unit cost at the end of each day up to "today"',
      request: { query: z.object({ days: z.coerce.number().int().min(2).max(366).default(90), location: Location, format: Format }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await reports(c).inventoryValue(q.days, q.location);
      return q.format === 'csv' ? csv(c, inventoryValueCsv(r), 'inventory-value') : c.json(r, 200);
    },
  );
}
