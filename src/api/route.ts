import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { roleRank } from '../services/auth.service.ts';
import type { Env } from './context.ts';

/** Who may call a route: 'public', or the lowest role (admin ⊃ manager ⊃ staff ⊃ kiosk). */
export type Access = 'public' | Role;

/** Every API route with its access rule, for the table-driven role test and the docs page. */
export const routeTable: { method: string; path: string; access: Access; summary: string }[] = [];

export function guard(access: Access) {
  return createMiddleware<Env>(async (c, next) => {
    if (access !== 'public') {
      const actor = c.get('actor');
      if (!actor) throw new AppError('unauthorized', 'sign in or send an API token (Authorization: Bearer …)');
      if (roleRank(actor.role) < roleRank(access)) throw new AppError('forbidden', `this needs the ${access} role or above; you are ${actor.role}`);
    }
    await next();
  });
}

/** createRoute() plus its access rule, recorded in routeTable. */
export function defineRoute<const R extends Omit<RouteConfig, 'middleware' | 'responses'>>(
  access: Access,
  cfg: R,
  status: 200 | 201 = 200,
) {
  routeTable.push({ method: cfg.method.toUpperCase(), path: cfg.path.replace(/\{(\w+)\}/g, ':$1'), access, summary: cfg.summary ?? '' });
  return createRoute({
    ...cfg,
    middleware: [guard(access)] as const,
    security: access === 'public' ? [] : [{ bearer: [] }],
    description: `${cfg.description ?? cfg.summary ?? ''}\n\nAccess: ${access === 'public' ? 'public' : `${access} or above`}.`,
    responses: {
      [status]: { description: 'OK', content: { 'application/json': { schema: z.any() } } },
      400: errorResponse('Invalid input: the field and the reason'),
      401: errorResponse('Not signed in'),
      403: errorResponse('Role too low'),
      404: errorResponse('Not found'),
      409: errorResponse('Conflict or insufficient stock'),
    },
  } as R & { responses: RouteConfig['responses']; middleware: [ReturnType<typeof guard>] });
}

export const ErrorBody = z
  .object({ error: z.string(), field: z.string().optional(), detail: z.any().optional() })
  .openapi('Error');

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ErrorBody } } };
}

/** Common query pieces. */
export const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
};
export const keyset = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
};
export const IdempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'Repeat-safe key: the same key returns the first result and writes nothing' }),
});
