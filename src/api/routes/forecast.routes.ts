import { OpenAPIHono, z } from '@hono/zod-openapi';
import { log } from '../../log.ts';
import { forecastServiceOf, MAX_HORIZON } from '../../services/forecast.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code, Sku } from '../schemas.ts';

const Freq = z.enum(['D', 'W', 'M']);
const RunBody = z
  .object({
    freq: Freq.optional(),
    horizon: z.number().int().min(1).max(Math.max(...Object.values(MAX_HORIZON))).optional(),
    skus: z.array(Sku).min(1).max(10_000).optional(),
    location: Code.optional(),
  })
  .strict()
  .openapi('ForecastRun');

/** Forecasts (issue 4): latest per SKU × location, chart data, runs with progress, on-demand runs. */
export function forecastRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/forecasts',
      tags: ['forecasts'],
      summary: 'The latest forecast of a SKU (per location and frequency): periods with mean, P50, P80, P95, the model and why',
      request: { query: z.object({ sku: Sku, location: Code.optional(), freq: Freq.optional() }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await forecastServiceOf(c.get('services')).latest(q.sku, q.location, q.freq) }, 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/forecasts/chart',
      tags: ['forecasts'],
      summary: 'Chart data of a SKU at a location: demand history (out-of-stock periods flagged), then the latest forecast and its band',
      request: { query: z.object({ sku: Sku, location: Code, freq: Freq.default('D'), periods: z.coerce.number().int().min(1).max(1000).optional() }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await forecastServiceOf(c.get('services')).history(q.sku, q.location, q.freq, q.periods), 200);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/forecasts/runs',
      tags: ['forecasts'],
      summary: 'Forecast runs, newest first, with status and progress',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
    }),
    async (c) => c.json({ items: await forecastServiceOf(c.get('services')).listRuns(c.req.valid('query').limit) }, 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/forecasts/runs/{id}',
      tags: ['forecasts'],
      summary: 'One forecast run: status (running/done/failed), phase and progress done/total',
      request: { params: z.object({ id: z.coerce.number().int().positive() }) },
    }),
    async (c) => c.json(await forecastServiceOf(c.get('services')).getRun(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/forecasts/runs',
        tags: ['forecasts'],
        summary: 'Start a forecast run in the background (409 when one is running); follow it at /api/forecasts/runs/{id}',
        request: { body: { content: { 'application/json': { schema: RunBody } }, required: false } },
      },
      201,
    ),
    async (c) => {
      const b = c.req.valid('json') ?? {};
      const actor = c.get('actor')!;
      const { id, finished } = await forecastServiceOf(c.get('services')).start({ ...b, actor });
      finished.catch((e) => log.error('forecast run failed', { runId: id, error: String(e?.message ?? e) }));
      return c.json({ id, status: 'running', url: `/api/forecasts/runs/${id}` }, 201);
    },
  );
}
