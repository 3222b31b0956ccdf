import { sql } from 'kysely';
import { signShelfwise } from '../domain/integrations/signature.ts';
import { log } from '../log.ts';
import { SYSTEM } from '../services/actor.ts';
import type { AppServices } from '../services/index.ts';
import { integrationsOf } from '../services/integrations.ts';

/**
 * The demo's external web shop (issue 11): a generic incoming source for the clothing store, and one signed order and
 * one inventory level sent through the real endpoint logic, so /integrations shows incoming events on first start.
 */
export async function demoIntegrations(services: AppServices): Promise<void> {
  const { db } = services.database;
  const inc = integrationsOf(services).incoming;
  const secret = 'demo-webshop-secret-change-me';
  const exists = await db.selectFrom('incoming_sources').select('id').where('code', '=', 'webshop').executeTakeFirst();
  if (!exists) await inc.addSource(SYSTEM, { code: 'webshop', kind: 'generic', location: 'FASH1', secret });
  const stocked = await db
    .selectFrom('stock_levels as s')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .select(['p.sku', 's.on_hand'])
    .where('l.code', '=', 'FASH1')
    .where('s.on_hand', '>=', 3)
    .orderBy('p.sku')
    .limit(2)
    .execute();
  if (stocked.length < 2) return;
  const send = (body: unknown) => {
    const raw = JSON.stringify(body);
    const now = Math.floor(Date.now() / 1000);
    return inc.receive('webshop', (n) => (n === 'shelfwise-signature' ? signShelfwise(secret, raw, now) : undefined), raw, now);
  };
  // The order is dated in the demo's own time, an hour after its last sale: a sale dated today would move the
  // dashboard's "today" (and the forecasts' and the waste views' as-of day) from the Online Retail history to now.
  const last = await services.database.db.selectFrom('sales').select(sql<Date | null>`max(occurred_at)`.as('at')).executeTakeFirst();
  const occurredAt = new Date((last?.at ? new Date(last.at).getTime() : Date.now()) + 3_600_000).toISOString();
  try {
    await send({ id: 'demo-order-1', type: 'order.created', order: { ref: 'WEB-1001', occurredAt, lines: [{ sku: stocked[0].sku, qty: 1 }] } });
    await send({ id: 'demo-level-1', type: 'inventory.level', level: { sku: stocked[1].sku, available: stocked[1].on_hand - 1 } });
  } catch (e) {
    log.warn('demo web shop events not applied', { error: String((e as Error).message) });
  }
}
