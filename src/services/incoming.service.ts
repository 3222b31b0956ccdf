import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { ZodError } from 'zod';
import type { DB } from '../db/schema.ts';
import type { IntegrationTables } from '../db/schema/integrations.ts';
import { fromGeneric, fromShopifyLevel, fromShopifyOrder, fromWooOrder, type ExternalEvent, type ExternalLevel, type ExternalOrder } from '../domain/integrations/adapters.ts';
import { verifyBase64Hmac, verifyShelfwise, type VerifyResult } from '../domain/integrations/signature.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { InventoryService } from './inventory.service.ts';
import { inTransaction } from './transaction.ts';

type Source = Selectable<IntegrationTables['incoming_sources']>;
export type SourceKind = Source['kind'];

export interface SourceInput {
  code: string;
  kind: SourceKind;
  location: string;
  secret?: string;
  /** External item id → SKU (Shopify inventory_item_id). */
  itemMap?: Record<string, string>;
  /** External location id → location code. */
  locationMap?: Record<string, string>;
  /** Inventory-level events set the ledger at once (true, default) or only record the level for `reconcile`. */
  applyLevels?: boolean;
}

export interface ReceiveResult {
  status: 'applied' | 'ignored' | 'recorded';
  replayed: boolean;
  eventId: string;
  topic: string;
  detail?: unknown;
}

const sourceView = (s: Source, showSecret = false) => ({
  code: s.code,
  kind: s.kind,
  location: s.location_code,
  itemMap: s.item_map,
  locationMap: s.location_map,
  applyLevels: s.apply_levels,
  active: s.active,
  createdAt: s.created_at,
  url: `/api/integrations/incoming/${s.code}`,
  ...(showSecret ? { secret: s.secret } : {}),
});

/** External shops sending orders and inventory levels in; reconciliation of their levels with the ledger. */
export class IncomingService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly inventory: InventoryService,
  ) {}

  async addSource(actor: Actor, s: SourceInput) {
    if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(s.code)) throw new AppError('invalid', 'code: 1-32 lower-case letters, digits, _ or -', 'code');
    const loc = await this.db.selectFrom('locations').select('id').where('code', '=', s.location).executeTakeFirst();
    if (!loc) throw new AppError('not_found', `unknown location ${s.location}`, 'location');
    const secret = s.secret ?? randomBytes(24).toString('hex');
    if (secret.length < 16) throw new AppError('invalid', 'secret must have at least 16 characters', 'secret');
    return inTransaction(this.db, async (trx) => {
      const row = await trx
        .insertInto('incoming_sources')
        .values({ code: s.code, kind: s.kind, secret, location_code: s.location, item_map: JSON.stringify(s.itemMap ?? {}), location_map: JSON.stringify(s.locationMap ?? {}), apply_levels: s.applyLevels ?? true })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((e) => {
          if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `source ${s.code} already exists`, 'code');
          throw e;
        });
      await audit(trx, actor, 'integration.source.add', 'incoming_source', s.code, null, { kind: s.kind, location: s.location });
      return sourceView(row, true);
    });
  }

  async listSources() {
    const rows = await this.db.selectFrom('incoming_sources').selectAll().orderBy('code').execute();
    const stats = await this.db.selectFrom('incoming_events').select(['source_id', 'status', sql<number>`count(*)::int`.as('n')]).groupBy(['source_id', 'status']).execute();
    return rows.map((r) => ({ ...sourceView(r), events: Object.fromEntries(stats.filter((x) => x.source_id === r.id).map((x) => [x.status, x.n])) }));
  }

  async events(code: string | undefined, limit = 50) {
    let q = this.db
      .selectFrom('incoming_events as e')
      .innerJoin('incoming_sources as s', 's.id', 'e.source_id')
      .select(['e.id', 's.code', 'e.external_id', 'e.topic', 'e.status', 'e.error', 'e.result', 'e.received_at'])
      .orderBy('e.id', 'desc')
      .limit(limit);
    if (code) q = q.where('s.code', '=', code);
    return (await q.execute()).map((e) => ({ id: e.id, source: e.code, externalId: e.external_id, topic: e.topic, status: e.status, error: e.error, result: e.result, receivedAt: e.received_at }));
  }

  private async source(code: string): Promise<Source> {
    const s = await this.db.selectFrom('incoming_sources').selectAll().where('code', '=', code).executeTakeFirst();
    if (!s || !s.active) throw new AppError('not_found', `no active incoming source ${code}`, 'source');
    return s;
  }

  /**
   * One webhook from a source: verify its signature over the raw body, normalize it, apply it once. Orders become a
   * sale with the idempotency key order:<external order id> (a replay, or a later event of the same order, changes
   * nothing); levels set the item's on-hand at the location (a stocktake) unless older than the last level seen.
   */
  async receive(code: string, headers: (name: string) => string | undefined, raw: string, nowSeconds = Date.now() / 1000): Promise<ReceiveResult> {
    const src = await this.source(code);
    const check: VerifyResult =
      src.kind === 'shopify'
        ? verifyBase64Hmac(src.secret, raw, headers('x-shopify-hmac-sha256'), 'X-Shopify-Hmac-Sha256')
        : src.kind === 'woocommerce'
          ? verifyBase64Hmac(src.secret, raw, headers('x-wc-webhook-signature'), 'X-WC-Webhook-Signature')
          : verifyShelfwise(src.secret, raw, headers('shelfwise-signature'), nowSeconds);
    if (!check.ok) {
      // WooCommerce pings a new webhook with a form body (webhook_id=…) before it signs anything.
      if (src.kind === 'woocommerce' && /^webhook_id=\d+$/.test(raw.trim())) return { status: 'ignored', replayed: false, eventId: 'ping', topic: 'ping' };
      throw new AppError('unauthorized', check.reason, 'signature');
    }
    let json: unknown;
    try {
      // Shopify ids (e.g. inventory_item_id 271878346596884015) exceed 2^53: read long integers as strings.
      json = JSON.parse(raw.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
    } catch {
      throw new AppError('invalid', 'the body is not JSON', 'body');
    }
    const bodyHash = createHash('sha256').update(raw).digest('hex').slice(0, 32);
    let parsed: { id: string; topic: string; event: ExternalEvent };
    try {
      parsed = this.normalize(src, headers, json, bodyHash);
    } catch (e) {
      if (e instanceof ZodError) {
        const i = e.issues[0];
        throw new AppError('invalid', `${i.path.join('.') || 'body'}: ${i.message}`, i.path.join('.') || 'body');
      }
      throw e;
    }
    const prev = await this.db.selectFrom('incoming_events').select(['status', 'result']).where('source_id', '=', src.id).where('external_id', '=', parsed.id).executeTakeFirst();
    if (prev && prev.status !== 'failed') return { status: prev.status === 'applied' ? 'applied' : 'ignored', replayed: true, eventId: parsed.id, topic: parsed.topic, detail: prev.result };
    const actor: Actor = { id: null, label: `integration:${src.code}`, role: 'system' };
    try {
      const out = parsed.event.kind === 'order' ? await this.applyOrder(src, actor, parsed.event) : await this.applyLevel(src, actor, parsed.event);
      await this.log(src.id, parsed, out.status === 'ignored' ? 'ignored' : 'applied', null, out.detail);
      return { status: out.status, replayed: out.replayed, eventId: parsed.id, topic: parsed.topic, detail: out.detail };
    } catch (e) {
      await this.log(src.id, parsed, 'failed', (e as Error).message, (e as AppError).detail ?? null);
      throw e;
    }
  }

  private normalize(src: Source, headers: (n: string) => string | undefined, json: unknown, bodyHash: string): { id: string; topic: string; event: ExternalEvent } {
    if (src.kind === 'generic') return fromGeneric(json);
    if (src.kind === 'shopify') {
      const topic = headers('x-shopify-topic') ?? '';
      const id = headers('x-shopify-webhook-id') ?? headers('x-shopify-event-id') ?? `${topic}:${bodyHash}`;
      if (topic === 'orders/create') return { id, topic, event: fromShopifyOrder(json) };
      if (topic === 'inventory_levels/update') return { id, topic, event: fromShopifyLevel(json) };
      throw new AppError('invalid', `unsupported X-Shopify-Topic ${topic || '(none)'}: send orders/create or inventory_levels/update`, 'X-Shopify-Topic');
    }
    const topic = headers('x-wc-webhook-topic') ?? '';
    const id = headers('x-wc-webhook-delivery-id') ?? `${topic}:${bodyHash}`;
    if (topic === 'order.created' || topic === 'order.updated') return { id, topic, event: fromWooOrder(json) };
    throw new AppError('invalid', `unsupported X-WC-Webhook-Topic ${topic || '(none)'}: send order.created or order.updated`, 'X-WC-Webhook-Topic');
  }

  private locationOf(src: Source, e: { location?: string; externalLocation?: string }): string {
    if (e.location) return e.location;
    if (e.externalLocation && src.location_map[e.externalLocation]) return src.location_map[e.externalLocation];
    return src.location_code;
  }

  private async applyOrder(src: Source, actor: Actor, o: ExternalOrder) {
    if (o.ignore) return { status: 'ignored' as const, replayed: false, detail: { reason: o.ignore } };
    const location = this.locationOf(src, o);
    const r = await this.inventory.recordSale(actor, { location, orderRef: o.ref, channel: src.code, occurredAt: o.occurredAt, lines: o.lines }, `order:${o.orderId}`);
    return { status: 'applied' as const, replayed: r.replayed, detail: { saleId: r.result.id, location, lines: o.lines.length, skippedLines: o.skippedLines } };
  }

  private async applyLevel(src: Source, actor: Actor, l: ExternalLevel) {
    const sku = l.sku ?? (l.externalItem ? src.item_map[l.externalItem] : undefined);
    if (!sku) throw new AppError('not_found', `no SKU mapped for external item ${l.externalItem}: add it to the source's itemMap`, 'inventory_item_id');
    const location = this.locationOf(src, l);
    const ids = await this.db
      .selectFrom('products')
      .select('id')
      .where('sku', '=', sku)
      .executeTakeFirst()
      .then(async (p) => ({ p, loc: await this.db.selectFrom('locations').select('id').where('code', '=', location).executeTakeFirst() }));
    if (!ids.p) throw new AppError('not_found', `unknown SKU ${sku}`, 'sku');
    if (!ids.loc) throw new AppError('not_found', `unknown location ${location}`, 'location');
    const at = l.updatedAt ?? new Date();
    // Keep the newest level per item: an older event arriving late (retries, reordering) is recorded but not applied.
    const stored = await sql<{ applied: boolean }>`
      insert into external_levels (source_id, product_id, location_id, available, external_updated_at, received_at)
      values (${src.id}, ${ids.p.id}, ${ids.loc.id}, ${l.available}, ${at}, now())
      on conflict (source_id, location_id, product_id) do update set available = excluded.available, external_updated_at = excluded.external_updated_at, received_at = now()
        where external_levels.external_updated_at is null or external_levels.external_updated_at <= excluded.external_updated_at
      returning true as applied`.execute(this.db);
    if (stored.rows.length === 0) return { status: 'ignored' as const, replayed: false, detail: { reason: 'older than the last level received', sku, location } };
    if (!src.apply_levels) return { status: 'recorded' as const, replayed: false, detail: { sku, location, available: l.available } };
    const r = await this.inventory.stocktake(actor, { location, counts: [{ sku, counted: l.available }], reason: `${src.code} inventory level` });
    return { status: 'applied' as const, replayed: false, detail: { sku, location, available: l.available, changed: r.result.changed } };
  }

  private async log(sourceId: number, p: { id: string; topic: string }, status: 'applied' | 'ignored' | 'failed', error: string | null, result: unknown) {
    await this.db
      .insertInto('incoming_events')
      .values({ source_id: sourceId, external_id: p.id, topic: p.topic, status, error: error?.slice(0, 2000) ?? null, result: result == null ? null : JSON.stringify(result) })
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doUpdateSet({ status, error: error?.slice(0, 2000) ?? null, result: result == null ? null : JSON.stringify(result), received_at: new Date() }))
      .execute();
  }

  /**
   * Compares external levels (given, or the last ones a source reported) with the ledger's on-hand. With apply, posts
   * the differences as stocktake movements carrying the reason (per location, each in one transaction that locks
   * the levels it reads, so a sale at the same moment cannot be overwritten).
   */
  async reconcile(actor: Actor, o: { source?: string; levels?: { sku: string; location: string; available: number }[]; apply?: boolean; reason?: string }) {
    let levels = o.levels;
    if (!levels) {
      if (!o.source) throw new AppError('invalid', 'name a source or give levels', 'source');
      const src = await this.db.selectFrom('incoming_sources').select('id').where('code', '=', o.source).executeTakeFirst();
      if (!src) throw new AppError('not_found', `no incoming source ${o.source}`, 'source');
      levels = await this.db
        .selectFrom('external_levels as x')
        .innerJoin('products as p', 'p.id', 'x.product_id')
        .innerJoin('locations as l', 'l.id', 'x.location_id')
        .select(['p.sku', 'l.code as location', 'x.available'])
        .where('x.source_id', '=', src.id)
        .execute();
    }
    const skus = [...new Set(levels.map((l) => l.sku))];
    const ledger = skus.length
      ? await this.db
          .selectFrom('stock_levels as s')
          .innerJoin('products as p', 'p.id', 's.product_id')
          .innerJoin('locations as l', 'l.id', 's.location_id')
          .select(['p.sku', 'l.code', 's.on_hand'])
          .where('p.sku', 'in', skus)
          .execute()
      : [];
    const onHand = new Map(ledger.map((x) => [`${x.sku}@${x.code}`, x.on_hand]));
    const rows = levels.map((l) => ({ sku: l.sku, location: l.location, external: l.available, ledger: onHand.get(`${l.sku}@${l.location}`) ?? 0 })).map((r) => ({ ...r, delta: r.external - r.ledger }));
    const diffs = rows.filter((r) => r.delta !== 0);
    if (!o.apply || diffs.length === 0) return { compared: rows.length, differences: diffs, applied: false, movements: 0 };
    if (!o.reason?.trim()) throw new AppError('invalid', 'a reason is needed to post adjustments', 'reason');
    let movements = 0;
    const byLoc = new Map<string, typeof diffs>();
    for (const d of diffs) byLoc.set(d.location, [...(byLoc.get(d.location) ?? []), d]);
    for (const [location, ds] of byLoc) {
      const r = await this.inventory.stocktake(actor, { location, counts: ds.map((d) => ({ sku: d.sku, counted: d.external })), reason: `reconcile${o.source ? ` ${o.source}` : ''}: ${o.reason.trim()}` });
      movements += r.result.changed;
    }
    return { compared: rows.length, differences: diffs, applied: true, movements };
  }
}
