import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

/** The event types subscriptions can filter on ('*' subscribes to all). */
export const EVENT_TYPES = ['stock.changed', 'stock.low', 'forecast.updated', 'purchase_order.approved', 'purchase_order.received', 'order.created'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Records an event in the outbox inside the caller's transaction: it exists exactly when the change commits (a rolled
 * back change sends nothing; a committed one is never lost). Workers dispatch it to the matching webhook
 * subscriptions afterwards (src/services/webhooks.service.ts). Returns the event id (sent as `id: "evt_<id>"`).
 *
 *   await emitEvent(trx, 'purchase_order.approved', { id: po.id, supplier, lines });
 */
export async function emitEvent(trx: Transaction<DB> | Kysely<DB>, type: EventType | (string & {}), payload: unknown): Promise<number> {
  const r = await trx.insertInto('outbox_events').values({ type, payload: JSON.stringify(payload ?? {}) }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
