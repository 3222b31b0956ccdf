import { OpenAPIHono } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppServices } from '../services/index.ts';
import type { Env } from './context.ts';
import { docsPage } from './docs-page.ts';
import { errorHandler, zodBody } from './error-handler.ts';
import { authRoutes, SESSION_COOKIE } from './routes/auth.routes.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { dashboardRoutes } from './routes/dashboard.routes.ts';
import { forecastRoutes } from './routes/forecast.routes.ts';
import { inventoryRoutes } from './routes/inventory.routes.ts';
import { reportsRoutes } from './routes/reports.routes.ts';
import { summaryRoutes, systemRoutes } from './routes/system.routes.ts';
import { userRoutes } from './routes/users.routes.ts';
import { webRoutes } from './web.ts';
import { replenishmentRoutes } from './routes/replenishment.routes.ts';
import { wasteRoutes } from './routes/waste.routes.ts';
import { recommendRoutes } from './routes/recommend.routes.ts';
import { kioskRoutes } from './routes/vision.routes.ts';
import { placementRoutes } from './routes/placement.routes.ts';
import { storefrontRoutes } from './routes/storefront.routes.ts';
import { integrationRoutes } from './routes/integrations.routes.ts';
import { importRoutes } from './routes/imports.routes.ts';
import { inspectionRoutes } from './routes/inspection.routes.ts';

/** The whole HTTP app: API under /api, OpenAPI at /api/openapi.json, reference at /docs, dashboard at /. */
export function buildApp(services: AppServices) {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(zodBody(result.error), 400);
    },
  });
  app.use(
    '/api/*',
    createMiddleware<Env>(async (c, next) => {
      c.set('services', services);
      const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const token = bearer ?? getCookie(c, SESSION_COOKIE);
      c.set('actor', token ? await services.auth.authenticate(token) : null);
      await next();
    }),
  );
  systemRoutes(app);
  summaryRoutes(app);
  authRoutes(app);
  userRoutes(app);
  catalogRoutes(app);
  inventoryRoutes(app);
  forecastRoutes(app);
  dashboardRoutes(app);
  reportsRoutes(app);
  replenishmentRoutes(app);
  wasteRoutes(app);
  recommendRoutes(app);
  kioskRoutes(app);
  placementRoutes(app);
  storefrontRoutes(app);
  integrationRoutes(app);
  inspectionRoutes(app);
  importRoutes(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A session token (sws_…) from /api/auth/login or an API token (swt_…)' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Shelfwise API', version: '0.1.0', description: 'Inventory ledger, catalog, sales, alerts. Errors are JSON {error, field?, detail?}.' },
  });
  app.get('/docs', (c) => c.html(docsPage(app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Shelfwise API', version: '0.1.0' } }))));
  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404) : c.text('Not found', 404)));
  app.onError(errorHandler);
  webRoutes(app, services);
  return app;
}
