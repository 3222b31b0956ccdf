import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { exportLayout, importLayout, LayoutSchema } from '../../services/placement-layout.ts';
import { placementServiceOf, WhatIfSchema } from '../../services/placement.service.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code } from '../schemas.ts';

const OptimiseBody = z.object({ location: Code, whatIf: WhatIfSchema.optional(), save: z.boolean().default(true) }).strict();
const LearnBody = z.object({ location: Code, days: z.number().int().min(7).max(3650).default(365) }).strict();
const Id = z.object({ id: z.coerce.number().int().positive() });

/** Placement optimisation (issue 9): layout editor, import/export, optimiser with what-if, plans, apply, lift learning. */
export function placementRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/placement/layout',
      tags: ['placement'],
      summary: 'A location\'s layout: settings, zones (kind, lift, capacity, grid, busy hours, learned lift ± sd) and current assignments',
      request: { query: z.object({ location: Code }) },
    }),
    async (c) => c.json(await placementServiceOf(c.get('services')).layout(c.req.valid('query').location), 200),
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/placement/layout/export',
      tags: ['placement'],
      summary: 'The layout as an importable JSON file (version 1)',
      request: { query: z.object({ location: Code }) },
    }),
    async (c) => {
      const loc = c.req.valid('query').location;
      c.header('Content-Disposition', `attachment; filename="layout-${loc}.json"`);
      return c.json(await exportLayout(c.get('services').database.db, loc), 200);
    },
  );
  app.openapi(
    defineRoute('manager', {
      method: 'put',
      path: '/api/placement/layout',
      tags: ['placement'],
      summary: 'Replace a location\'s layout (the editor\'s save and JSON import): zones upserted by code, settings and assignments replaced, in one audited transaction',
      request: { body: { content: { 'application/json': { schema: LayoutSchema } }, required: true } },
    }),
    async (c) => c.json(await importLayout(c.get('services').database.db, c.req.valid('json'), c.get('actor')!), 200),
  );
  app.openapi(
    defineRoute(
      'manager',
      {
        method: 'post',
        path: '/api/placement/optimise',
        tags: ['placement'],
        summary: 'Run the optimiser (what-if: weights, lifts, capacities, pins, month); returns the plan with moves, uplift, bound and gap; save=false for a preview',
        request: { body: { content: { 'application/json': { schema: OptimiseBody } }, required: true } },
      },
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await placementServiceOf(c.get('services')).optimise(b.location, c.get('actor')!, { whatIf: b.whatIf, save: b.save }), 201);
    },
  );
  app.openapi(
    defineRoute('staff', {
      method: 'get',
      path: '/api/placement/plans',
      tags: ['placement'],
      summary: 'Plans of a location, newest first',
      request: { query: z.object({ location: Code, limit: z.coerce.number().int().min(1).max(200).default(20) }) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await placementServiceOf(c.get('services')).plans(q.location, q.limit) }, 200);
    },
  );
  app.openapi(
    defineRoute('staff', { method: 'get', path: '/api/placement/plans/{id}', tags: ['placement'], summary: 'One plan: zones before/after, units, moves, summary, inputs, solver figures', request: { params: Id } }),
    async (c) => c.json(await placementServiceOf(c.get('services')).plan(c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/placement/plans/{id}/apply',
      tags: ['placement'],
      summary: 'Apply a proposed plan (409 when it is not proposed or the layout changed since); audited',
      request: { params: Id },
    }),
    async (c) => c.json(await placementServiceOf(c.get('services')).apply(c.req.valid('param').id, c.get('actor')!), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'post',
      path: '/api/placement/learn',
      tags: ['placement'],
      summary: 'Learn zone lifts from sales attributed to zones by the assignment history (posterior mean ± sd per zone)',
      request: { body: { content: { 'application/json': { schema: LearnBody } }, required: true } },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await placementServiceOf(c.get('services')).learn(b.location, c.get('actor')!, b.days), 200);
    },
  );
}
