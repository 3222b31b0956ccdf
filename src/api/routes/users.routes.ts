import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { RoleEnum } from '../schemas.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });

export function userRoutes(app: OpenAPIHono<Env>) {
  app.openapi(defineRoute('admin', { method: 'get', path: '/api/users', tags: ['users'], summary: 'List users' }), async (c) =>
    c.json({ items: await c.get('services').auth.listUsers() }, 200),
  );
  app.openapi(
    defineRoute(
      'admin',
      {
        method: 'post',
        path: '/api/users',
        tags: ['users'],
        summary: 'Create a user (a kiosk user has no password: give it an API token)',
        request: {
          body: {
            content: { 'application/json': { schema: z.object({ email: z.string().email(), name: z.string().max(100).optional(), role: RoleEnum, password: z.string().min(10).max(200).optional() }).strict() } },
            required: true,
          },
        },
      },
      201,
    ),
    async (c) => c.json(await c.get('services').auth.createUser(c.get('actor')!, c.req.valid('json')), 201),
  );
  app.openapi(
    defineRoute('admin', {
      method: 'patch',
      path: '/api/users/{id}',
      tags: ['users'],
      summary: 'Change a user (role, name, disabled, password)',
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: z.object({ name: z.string().max(100).optional(), role: RoleEnum.optional(), disabled: z.boolean().optional(), password: z.string().min(10).max(200).optional() }).strict() } }, required: true },
      },
    }),
    async (c) => c.json(await c.get('services').auth.updateUser(c.get('actor')!, c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(defineRoute('admin', { method: 'get', path: '/api/tokens', tags: ['users'], summary: 'List API tokens (never their secrets)' }), async (c) =>
    c.json({ items: await c.get('services').auth.listTokens() }, 200),
  );
  app.openapi(
    defineRoute(
      'admin',
      {
        method: 'post',
        path: '/api/tokens',
        tags: ['users'],
        summary: 'Create an API token for a user; the secret is shown once',
        request: { body: { content: { 'application/json': { schema: z.object({ userId: z.number().int().positive(), name: z.string().min(1).max(100) }).strict() } }, required: true } },
      },
      201,
    ),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await c.get('services').auth.createToken(c.get('actor')!, b.userId, b.name), 201);
    },
  );
  app.openapi(defineRoute('admin', { method: 'delete', path: '/api/tokens/{id}', tags: ['users'], summary: 'Revoke an API token', request: { params: IdParam } }), async (c) => {
    await c.get('services').auth.revokeToken(c.get('actor')!, c.req.valid('param').id);
    return c.json({ ok: true }, 200);
  });
}
