import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { signShelfwise } from '../domain/integrations/signature.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { enqueue } from './jobs.service.ts';
import { EVENT_TYPES, emitEvent } from './outbox.ts';
import { inTransaction } from './transaction.ts';

/** Delivery settings: WEBHOOK_MAX_ATTEMPTS (default 8), WEBHOOK_BACKOFF_MS (first retry, default 5000; doubles), WEBHOOK_TIMEOUT_MS (default 10000). */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env) {
  const num = (name: string, def: number, min: number, max: number) => {
    const v = env[name];
    if (v === undefined || v === '') return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`configuration: ${name}: expected an integer from ${min} to ${max}, got "${v}"`);
    return n;
  };
  return { maxAttempts: num('WEBHOOK_MAX_ATTEMPTS', 8, 1, 50), backoffMs: num('WEBHOOK_BACKOFF_MS', 5000, 1, 3_600_000), timeoutMs: num('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000) };
}

export interface SubscriptionInput {
  url: string;
  events: string[];
  description?: string;
  secret?: string;
}

const subView = (s: { id: number; url: string; events: string[]; description: string; active: boolean; created_at: Date; secret: string }) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  description: s.description,
  active: s.active,
  createdAt: s.created_at,
  secretHint: `${s.secret.slice(0, 8)}…`,
});

export class WebhookService {
  constructor(private readonly db: Kysely<DB>) {}

  async subscribe(actor: Actor, s: SubscriptionInput) {
    let url: URL;
    try {
      url = new URL(s.url);
    } catch {
      throw new AppError('invalid', 'url must be an absolute http(s) URL', 'url');
    }
    if (!['http:', 'https:'].includes(url.protocol)) throw new AppError('invalid', 'url must be http or https', 'url');
    if (s.events.length === 0) throw new AppError('invalid', 'name at least one event (or *)', 'events');
    s.events.forEach((e, i) => {
      if (e !== '*' && !(EVENT_TYPES as readonly string[]).includes(e)) throw new AppError('invalid', `unknown event ${e}; one of ${EVENT_TYPES.join(', ')} or *`, `events.${i}`);
    });
    const secret = s.secret ?? `whsec_${randomBytes(24).toString('hex')}`;
    if (secret.length < 16) throw new AppError('invalid', 'secret must have at least 16 characters', 'secret');
    return inTransaction(this.db, async (trx) => {
      const row = await trx
        .insertInto('webhook_subscriptions')
        .values({ url: url.toString(), secret, events: [...new Set(s.events)], description: s.description ?? '' })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, 'webhook.subscribe', 'webhook_subscription', row.id, null, { url: row.url, events: row.events });
      return { ...subView(row), secret: row.secret };
    });
  }

  async list() {
    const rows = await this.db.selectFrom('webhook_subscriptions').selectAll().orderBy('id').execute();
    const stats = await this.db
      .selectFrom('webhook_deliveries')
      .select(['subscription_id', 'status', sql<number>`count(*)::int`.as('n')])
      .groupBy(['subscription_id', 'status'])
      .execute();
    return rows.map((r) => ({ ...subView(r), deliveries: Object.fromEntries(stats.filter((x) => x.subscription_id === r.id).map((x) => [x.status, x.n])) }));
  }

  async setActive(actor: Actor, id: number, active: boolean) {
    return inTransaction(this.db, async (trx) => {
      const r = await trx.updateTable('webhook_subscriptions').set({ active }).where('id', '=', id).returningAll().executeTakeFirst();
      if (!r) throw new AppError('not_found', `webhook subscription ${id} does not exist`, 'id');
      await audit(trx, actor, active ? 'webhook.enable' : 'webhook.disable', 'webhook_subscription', id, null, { active });
      return subView(r);
    });
  }

  async remove(actor: Actor, id: number) {
    return inTransaction(this.db, async (trx) => {
      const r = await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).returning(['id', 'url']).executeTakeFirst();
      if (!r) throw new AppError('not_found', `webhook subscription ${id} does not exist`, 'id');
      await audit(trx, actor, 'webhook.delete', 'webhook_subscription', id, { url: r.url }, null);
      return { id, deleted: true };
    });
  }

  /** Sends a `ping` event to one subscription (through the outbox and a job, like any other). */
  async ping(actor: Actor, id: number) {
    return inTransaction(this.db, async (trx) => {
      const s = await trx.selectFrom('webhook_subscriptions').select(['id']).where('id', '=', id).executeTakeFirst();
      if (!s) throw new AppError('not_found', `webhook subscription ${id} does not exist`, 'id');
      const eventId = await emitEvent(trx, 'ping', { subscription: id, by: actor.label });
      await trx.updateTable('outbox_events').set({ dispatched_at: new Date() }).where('id', '=', eventId).execute();
      const d = await trx.insertInto('webhook_deliveries').values({ subscription_id: id, event_id: eventId, event_type: 'ping' }).returning('id').executeTakeFirstOrThrow();
      const set = webhookSettings();
      await enqueue(trx, 'webhook.deliver', { deliveryId: d.id }, { maxAttempts: set.maxAttempts, backoffMs: set.backoffMs, priority: 50 });
      return { deliveryId: d.id };
    });
  }

  /**
   * Turns undispatched outbox events into deliveries (one per matching active subscription) and delivery jobs, in one
   * statement; SKIP LOCKED lets several workers dispatch side by side. Returns the number of events dispatched.
   */
  async dispatchOutbox(limit = 500): Promise<number> {
    const set = webhookSettings();
    const r = await sql<{ n: number }>`
      with ev as (
        select id, type from outbox_events where dispatched_at is null order by id limit ${limit}::int for update skip locked
      ), d as (
        insert into webhook_deliveries (subscription_id, event_id, event_type)
        select s.id, ev.id, ev.type from ev join webhook_subscriptions s on s.active and (ev.type = any(s.events) or '*' = any(s.events))
        on conflict (subscription_id, event_id) where replay_of is null do nothing
        returning id
      ), j as (
        insert into jobs (type, payload, max_attempts, backoff_ms)
        select 'webhook.deliver', jsonb_build_object('deliveryId', d.id), ${set.maxAttempts}::int, ${set.backoffMs}::int from d
        returning id
      ), u as (
        update outbox_events o set dispatched_at = now() from ev where o.id = ev.id returning o.id
      )
      select (select count(*) from u)::int as n, (select count(*) from j)::int as jobs`.execute(this.db);
    return r.rows[0]?.n ?? 0;
  }

  /**
   * One delivery attempt (the 'webhook.deliver' job): POST the event, record the outcome. Throws on a non-2xx answer
   * or a network error so the job retries with backoff; on the last attempt the delivery is marked failed.
   */
  async deliver(deliveryId: number, attempt: number, maxAttempts: number, now = () => Date.now()): Promise<{ status: number; ms: number } | { skipped: string }> {
    const d = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .innerJoin('outbox_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.status', 'd.event_id', 'd.event_type', 'd.replay_of', 's.url', 's.secret', 's.active', 'e.payload', 'e.created_at'])
      .where('d.id', '=', deliveryId)
      .executeTakeFirst();
    if (!d) return { skipped: 'delivery no longer exists (its subscription was deleted)' };
    if (d.status === 'delivered') return { skipped: 'already delivered' };
    if (!d.active) {
      await this.record(deliveryId, 'failed', null, 'subscription disabled', null);
      return { skipped: 'subscription disabled' };
    }
    const body = JSON.stringify({ id: `evt_${d.event_id}`, type: d.event_type, createdAt: d.created_at, data: d.payload });
    const { timeoutMs } = webhookSettings();
    const t0 = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Shelfwise-Webhooks/1',
          'shelfwise-event': d.event_type,
          'shelfwise-event-id': `evt_${d.event_id}`,
          'shelfwise-delivery-id': String(deliveryId),
          'shelfwise-signature': signShelfwise(d.secret, body, Math.floor(now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((e as Error & { cause?: Error })?.cause?.message ?? (e as Error)?.message ?? e);
    }
    const ms = Math.round(performance.now() - t0);
    if (!error) {
      await this.record(deliveryId, 'delivered', status, null, ms);
      return { status: status!, ms };
    }
    await this.record(deliveryId, attempt >= maxAttempts ? 'failed' : 'pending', status, error, ms);
    throw new Error(`delivery ${deliveryId} to ${d.url}: ${error}`);
  }

  private async record(id: number, status: 'pending' | 'delivered' | 'failed', httpStatus: number | null, error: string | null, ms: number | null) {
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status,
        attempts: eb('attempts', '+', 1),
        last_status: httpStatus,
        last_error: error,
        last_ms: ms,
        updated_at: new Date(),
        delivered_at: status === 'delivered' ? new Date() : null,
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Sends a delivery's event again as a new delivery (the log keeps both). */
  async replay(actor: Actor, id: number) {
    return inTransaction(this.db, async (trx) => {
      const d = await trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      if (!d) throw new AppError('not_found', `delivery ${id} does not exist`, 'id');
      const n = await trx
        .insertInto('webhook_deliveries')
        .values({ subscription_id: d.subscription_id, event_id: d.event_id, event_type: d.event_type, replay_of: d.replay_of ?? d.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      const set = webhookSettings();
      const jobId = await enqueue(trx, 'webhook.deliver', { deliveryId: n.id }, { maxAttempts: set.maxAttempts, backoffMs: set.backoffMs, priority: 50, actor: actor.label });
      await audit(trx, actor, 'webhook.replay', 'webhook_delivery', id, null, { deliveryId: n.id });
      return { deliveryId: n.id, replayOf: id, jobId };
    });
  }

  async deliveries(f: { status?: string; subscription?: number; limit?: number; before?: number } = {}) {
    let q = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .innerJoin('outbox_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.subscription_id', 's.url', 'd.event_id', 'd.event_type', 'd.status', 'd.attempts', 'd.last_status', 'd.last_error', 'd.last_ms', 'd.replay_of', 'd.created_at', 'd.delivered_at', 'e.payload'])
      .orderBy('d.id', 'desc')
      .limit(f.limit ?? 50);
    if (f.status) q = q.where('d.status', '=', f.status as 'pending');
    if (f.subscription) q = q.where('d.subscription_id', '=', f.subscription);
    if (f.before) q = q.where('d.id', '<', f.before);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      subscriptionId: r.subscription_id,
      url: r.url,
      eventId: `evt_${r.event_id}`,
      event: r.event_type,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      lastMs: r.last_ms,
      replayOf: r.replay_of,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      payload: r.payload,
    }));
  }
}
