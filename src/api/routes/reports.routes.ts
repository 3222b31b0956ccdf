import { OpenAPIHono, z } from '@hono/zod-openapi';
import { PlanningReportsService } from '../../services/planning-reports.service.ts';
import { forecastVsActualSheets, replenishmentVsForecastSheets, sheetsCsv, sheetsXlsx, stockoutsSheets, type Sheet } from '../../services/report-tables.ts';
import { categoryTrendCsv, inventoryValueCsv, ReportsService, topSellersCsv } from '../../services/reports.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code } from '../schemas.ts';

const reports = (c: { get(k: 'services'): Env['Variables']['services'] }) => new ReportsService(c.get('services').database.db);
const Format = z.enum(['json', 'csv']).default('json');
const Location = Code.optional();
const planning = (c: { get(k: 'services'): Env['Variables']['services'] }) => new PlanningReportsService(c.get('services').database.db);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional();
const Window = { from: Day, to: Day, weeks: z.coerce.number().int().min(1).max(104).optional() };
const Limit = z.coerce.number().int().min(1).max(100_000).default(50);
const FormatX = z.enum(['json', 'csv', 'xlsx']).default('json');

/** JSON, or the report's tables as CSV (the per-item table) or XLSX (every table, one sheet each). */
async function tables(c: any, format: 'json' | 'csv' | 'xlsx', name: string, report: unknown, sheets: (r: any) => Sheet[]): Promise<never> {
  if (format === 'csv') return csv(c, sheetsCsv(sheets(report)), name);
  if (format === 'xlsx')
    return c.body(await sheetsXlsx(sheets(report)), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${name}.xlsx"`,
    }) as never;
  return c.json(report, 200) as never;
}

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
      summary: 'Net units and revenue per category (by=store: per store) per ISO week, with the last-4 vs previous-4 weeks change',
      request: { query: z.object({ weeks: z.coerce.number().int().min(2).max(104).default(12), location: Location, by: z.enum(['category', 'store']).default('category'), format: Format }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await reports(c).categoryTrend(q.weeks, q.location, q.by);
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
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/reports/forecast-vs-actual',
      tags: ['reports'],
      summary: 'Stored daily forecasts (the one made last before each day) vs net units sold: per week (actual, mean, P50, Σ P80) and per item (MAE, bias, wMAPE, P80 coverage), worst first. Default window: the 8 (weeks) ISO weeks up to "today"',
      request: { query: z.object({ ...Window, location: Location, limit: Limit, format: FormatX }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await planning(c).forecastVsActual({ from: q.from, to: q.to, weeks: q.weeks, location: q.location, limit: q.limit });
      return tables(c, q.format, 'forecast-vs-actual', r, forecastVsActualSheets);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/reports/replenishment-vs-forecast',
      tags: ['reports'],
      summary: 'The latest replenishment plans (ROP, EOQ, order-up-to) next to the latest daily forecast (daily and lead-time demand), on hand and days of cover; highest demand first',
      request: { query: z.object({ location: Location, limit: Limit, format: FormatX }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await planning(c).replenishmentVsForecast({ location: q.location, limit: q.limit });
      return tables(c, q.format, 'replenishment-vs-forecast', r, replenishmentVsForecastSheets);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/reports/stockouts',
      tags: ['reports'],
      summary: 'Days out of stock per item (on hand ≤ 0 all day, nothing sold, while normally sold) and the lost-sales estimate (recent daily demand × days × price), per week and per item. Default window: the 8 (weeks) ISO weeks up to "today"',
      request: { query: z.object({ ...Window, location: Location, limit: Limit, lookbackDays: z.coerce.number().int().min(7).max(365).default(28), format: FormatX }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await planning(c).stockouts({ from: q.from, to: q.to, weeks: q.weeks, location: q.location, limit: q.limit, lookbackDays: q.lookbackDays });
      return tables(c, q.format, 'stockouts', r, stockoutsSheets);
    },
  );
}
