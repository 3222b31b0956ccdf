import { OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';

export const SESSION_COOKIE = 'sw_session';

export function authRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('public', {
      method: 'post',
      path: '/api/auth/login',
      tags: ['auth'],
      summary: 'Sign in with email and password; sets a session cookie and returns the token',
      request: { body: { content: { 'application/json': { schema: z.object({ email: z.string().email(), password: z.string().min(1).max(200) }) } }, required: true } },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const s = await c.get('services').auth.login(email, password);
      setCookie(c, SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', path: '/', expires: s.expiresAt });
      return c.json({ token: s.token, expiresAt: s.expiresAt, user: s.user }, 200);
    },
  );
  app.openapi(defineRoute('kiosk', { method: 'post', path: '/api/auth/logout', tags: ['auth'], summary: 'End this session' }), async (c) => {
    const token = getCookie(c, SESSION_COOKIE) ?? c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    if (token?.startsWith('sws_')) await c.get('services').auth.logout(token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true }, 200);
  });
  app.openapi(defineRoute('kiosk', { method: 'get', path: '/api/auth/me', tags: ['auth'], summary: 'Who am I' }), (c) => {
    const a = c.get('actor')!;
    return c.json({ id: a.id, email: a.label, role: a.role }, 200);
  });
}
