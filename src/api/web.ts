import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppServices } from '../services/index.ts';
import type { Env } from './context.ts';

const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');
const SHELL = resolve(import.meta.dirname, 'shell.html');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built dashboard (web/dist) when there is one, else the small built-in shell page. */
export function webRoutes(app: OpenAPIHono<Env>, _services: AppServices) {
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404);
    if (existsSync(join(WEB_DIST, 'index.html'))) {
      const rel = normalize(decodeURIComponent(c.req.path)).replace(/^(\.\.[/\\])+/, '');
      const file = join(WEB_DIST, rel);
      if (file.startsWith(WEB_DIST) && extname(file) && existsSync(file)) {
        return c.body(readFileSync(file), 200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
      return c.html(readFileSync(join(WEB_DIST, 'index.html'), 'utf8'));
    }
    return c.html(readFileSync(SHELL, 'utf8'));
  });
}
