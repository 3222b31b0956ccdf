import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { readStoreSettings } from '../../services/dashboard.service.ts';
import { DemographicsService } from '../../services/demographics.service.ts';
import { visionServiceOf } from '../../services/vision.service.ts';
import { AppError } from '../../errors.ts';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';
import { Code } from '../schemas.ts';
import { KIOSK_WS_PATH } from '../sockets.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const DAY = 86_400_000;

const SettingsBody = z
  .object({
    retentionDays: z.number().int().min(1).max(3650).optional(),
    disabledLocations: z.array(Code).max(1000).optional(),
  })
  .strict()
  .openapi('VisionSettings');

const Zone = z.string().trim().min(1).max(40);

/**
 * Camera kiosk and anonymous demographics (issue 8). The frame stream itself is the WebSocket at
 * /api/kiosk/ws (src/api/sockets.ts); these routes are the kiosk's start-up check, the settings (retention,
 * per-store switch), the purge and the analytics. No route accepts or returns an image.
 */
export function kioskRoutes(app: OpenAPIHono<Env>) {
  app.openapi(
    defineRoute('kiosk', {
      method: 'get',
      path: '/api/kiosk/config',
      tags: ['kiosk'],
      summary: 'What a kiosk screen needs to start: its store, whether the camera is allowed there, the frame socket path',
      request: { query: z.object({ location: Code.optional() }) },
    }),
    async (c) => {
      const services = c.get('services');
      const { location } = c.req.valid('query');
      const store = await readStoreSettings(services.database.db);
      try {
        const loc = await visionServiceOf(services).cameraLocation(location);
        return c.json({ location: loc.code, locationName: loc.name, enabled: true, reason: null, storeName: store.storeName, currency: store.currency, socket: KIOSK_WS_PATH }, 200);
      } catch (e) {
        if (e instanceof AppError && e.kind === 'forbidden') {
          return c.json({ location: location ?? null, locationName: null, enabled: false, reason: e.message, storeName: store.storeName, currency: store.currency, socket: KIOSK_WS_PATH }, 200);
        }
        throw e;
      }
    },
  );
  app.openapi(
    defineRoute('manager', { method: 'get', path: '/api/vision/settings', tags: ['vision'], summary: 'Camera settings: event retention (days) and the stores where camera features are off' }),
    async (c) => c.json(await visionServiceOf(c.get('services')).settings(), 200),
  );
  app.openapi(
    defineRoute('admin', {
      method: 'put',
      path: '/api/vision/settings',
      tags: ['vision'],
      summary: 'Change the retention or switch camera features off/on per store (audited)',
      request: { body: json(SettingsBody) },
    }),
    async (c) => c.json(await visionServiceOf(c.get('services')).updateSettings(c.get('actor')!, c.req.valid('json')), 200),
  );
  app.openapi(
    defineRoute('admin', { method: 'post', path: '/api/vision/purge', tags: ['vision'], summary: 'Delete the events older than the retention now (the scheduler does it daily)' }),
    async (c) => c.json(await visionServiceOf(c.get('services')).purgeExpired(c.get('actor')!), 200),
  );
  app.openapi(
    defineRoute('manager', {
      method: 'get',
      path: '/api/vision/demographics',
      tags: ['vision'],
      summary:
        'Anonymous visitor analytics: visitors by day, weekday × hour, age band × gender (small counts suppressed), trend vs the previous period, dwell time, per store/zone, attach rate of recommended items',
      request: {
        query: z.object({
          from: z.coerce.date().optional().openapi({ description: 'Start (default: 28 days before `to`)' }),
          to: z.coerce.date().optional().openapi({ description: 'End, exclusive (default: now)' }),
          location: Code.optional(),
          zone: Zone.optional(),
          tz: z.coerce.number().int().min(-840).max(840).default(0).openapi({ description: "Minutes east of UTC of the store's clock" }),
          minCount: z.coerce.number().int().min(1).max(100).default(5),
        }),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const to = q.to ?? new Date();
      const from = q.from ?? new Date(to.getTime() - 28 * DAY);
      const report = await new DemographicsService(c.get('services').database.db).report({ from, to, location: q.location, zone: q.zone, tzOffsetMinutes: q.tz, minCount: q.minCount });
      return c.json(report, 200);
    },
  );
}
