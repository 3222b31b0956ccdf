import { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { Env } from '../context.ts';
import { defineRoute } from '../route.ts';

export function systemRoutes(app: OpenAPIHono<Env>) {
  app.openapi(defineRoute('public', { method: 'get', path: '/api/health', tags: ['system'], summary: 'Liveness, database kind, demo status' }), async (c) => {
    const s = c.get('services');
    // While the demo loads, its transaction holds the embedded database: answer from memory instead of waiting.
    if (s.status.demo !== 'loading') await sql`select 1`.execute(s.database.db);
    return c.json({ ok: true, database: s.database.kind, demo: s.status.demo, demoProgress: s.status.demoProgress ?? null }, 200);
  });
}

export function summaryRoutes(app: OpenAPIHono<Env>) {
  app.openapi(defineRoute('staff', { method: 'get', path: '/api/summary', tags: ['system'], summary: 'The store at a glance: products, stock value, alerts, sales today' }), async (c) => {
    const { db } = c.get('services').database;
    const r = await sql<{ products: number; stock_value: number; below: number; alerts: number; sales_today: number }>`
      select (select count(*) from products)::int as products,
        (select coalesce(sum(greatest(s.on_hand, 0) * p.cost), 0)::float8 from stock_levels s join products p on p.id = s.product_id) as stock_value,
        (select count(*) from stock_levels where on_hand - reserved < low_threshold)::int as below,
        (select count(*) from alerts where acknowledged_at is null)::int as alerts,
        (select count(*) from sales where occurred_at >= date_trunc('day', now()))::int as sales_today`.execute(db);
    const x = r.rows[0];
    return c.json({ products: x.products, stockValue: x.stock_value, belowThreshold: x.below, openAlerts: x.alerts, salesToday: x.sales_today }, 200);
  });
}
