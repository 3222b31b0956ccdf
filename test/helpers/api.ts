import { buildApp } from '../../src/api/app.ts';
import type { Database } from '../../src/db/connection.ts';
import type { Role } from '../../src/db/schema.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';

/** The real app over a real database, called in-process (no mocks), with one token per role. */
export async function apiHarness(database: Database) {
  const services = createServices(database);
  const app = buildApp(services);
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'manager', 'staff', 'kiosk'] as Role[]) {
    const u = await services.auth.createUser(SYSTEM, { email: `${role}-${Math.random().toString(36).slice(2)}@test.local`, role, password: role === 'kiosk' ? undefined : 'correct horse battery' });
    tokens[role] = (await services.auth.createToken(SYSTEM, u.id, 'test')).token;
  }
  async function call(method: string, path: string, opts: { role?: Role; body?: unknown; raw?: string; headers?: Record<string, string>; headOnly?: boolean } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.role) headers.authorization = `Bearer ${tokens[opts.role]}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    if (opts.headOnly) {
      // A stream (server-sent events) never ends: take the status and hang up.
      await res.body?.cancel();
      return { status: res.status, body: null as any, headers: res.headers };
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }
  return { app, services, tokens, call };
}
