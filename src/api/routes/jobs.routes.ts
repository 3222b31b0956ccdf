import { z, type OpenAPIHono } from '@hono/zod-openapi';
import '../../jobs/handlers.ts';
import { registeredJobTypes } from '../../jobs/worker.ts';
import { AppError } from '../../errors.ts';
import { cancelJob, enqueue, getJob, listJobs, retryJob } from '../../services/jobs.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
/** Job types a manager may start by hand (others are enqueued by the app itself). */
const STARTABLE = new Set(['forecast.run']);

/** Background jobs (issue 11): list with progress, one job, retry, cancel, start a forecast run as a job. */
export function jobRoutes(app: OpenAPIHono<Env>) {
  const tags = ['jobs'];
  app.openapi(
    defineRoute('manager', {
      method: 'get',
      path: '/api/jobs',
      tags,
      summary: 'Jobs, newest first, with status, progress, attempts and errors; counts per status',
      request: { query: z.object({ status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']).optional(), type: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(500).default(50), before: z.coerce.number().int().positive().optional() }) },
    }),
    async (c) => c.json(await listJobs(c.get('services').database.db, c.req.valid('query')), 200),
  );
  app.openapi(defineRoute('manager', { method: 'get', path: '/api/jobs/{id}', tags, summary: 'One job with its progress', request: { params: IdParam } }), async (c) =>
    c.json(await getJob(c.get('services').database.db, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/jobs',
        tags,
        summary: 'Start a job (type forecast.run with payload {freq, horizon, location, skus}); follow it at /api/jobs/{id}',
        request: { body: { content: { 'application/json': { schema: z.object({ type: z.string().max(64), payload: z.record(z.string(), z.unknown()).default({}) }).strict() } } } },
      },
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      if (!STARTABLE.has(b.type) || !registeredJobTypes().includes(b.type)) throw new AppError('invalid', `type must be one of ${[...STARTABLE].join(', ')}`, 'type');
      const actor = c.get('actor')!;
      const id = await enqueue(c.get('services').database.db, b.type, { ...b.payload, actor: actor.label }, { actor: actor.label, maxAttempts: 3 });
      return c.json({ id, url: `/api/jobs/${id}` }, 201);
    },
  );
  app.openapi(defineRoute('manager', { method: 'post', path: '/api/jobs/{id}/retry', tags, summary: 'Queue a failed or cancelled job again', request: { params: IdParam } }), async (c) =>
    c.json(await retryJob(c.get('services').database.db, c.req.valid('param').id, c.get('actor')!), 200),
  );
  app.openapi(defineRoute('manager', { method: 'post', path: '/api/jobs/{id}/cancel', tags, summary: 'Cancel a queued job', request: { params: IdParam } }), async (c) =>
    c.json(await cancelJob(c.get('services').database.db, c.req.valid('param').id, c.get('actor')!), 200),
  );
}
