import { sql, type Kysely } from 'kysely';
import type { PromoWindow } from '../domain/forecasting/promotion-uplift.ts';
import type { DB } from '../db/schema.ts';
import { fromEpochDay, toEpochDay } from '../domain/reports/dates.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';
import type { AppServices } from './index.ts';
import { utcDay, wasteServiceOf, type OfferQuery, type WasteService } from './waste.service.ts';

/**
 * Promotions: price rules (one product or one category; percent off or a fixed price; start and end dates,
 * inclusive, UTC) that a manager accepts from a markdown offer or enters. Every change is audited. Prices for
 * the storefront, the kiosk and anything else that sells come from effectivePrices() or the SQL view
 * product_prices_now; forecasts can read a promo flag per day from promoFlags().
 */

export interface PromotionInput {
  name?: string;
  sku?: string;
  category?: string;
  kind: 'percent' | 'fixed_price';
  /** Percent off (0 < value < 100) or the fixed price. */
  value: number;
  startsOn?: string;
  endsOn: string;
}

export interface EffectivePrice {
  productId: number;
  sku: string;
  regularPrice: number;
  price: number;
  /** The promotion that sets the price (null: the regular price). */
  promotionId: number | null;
  promotionEndsOn: string | null;
}

export type PromotionStatus = 'scheduled' | 'running' | 'ended' | 'cancelled';

/**
 * Selling prices on day `at` (default today, UTC) of the given products: the lowest price among the active
 * promotions running that day that target the product or its category (ties: the older promotion), else the
 * regular price. Percent rules round to cents; a fixed price never raises the price. Same rule as the view
 * product_prices_now (which is this for today, for every product).
 */
export async function effectivePrices(db: Kysely<DB>, productIds: number[], at: Date | string = new Date()): Promise<Map<number, EffectivePrice>> {
  if (productIds.length === 0) return new Map();
  const day = typeof at === 'string' ? at : utcDay(at);
  const r = await sql<{ product_id: number; sku: string; regular_price: number; price: number; promotion_id: number | null; ends_on: string | null }>`
    select p.id as product_id, p.sku, p.price::float8 as regular_price, coalesce(best.price, p.price)::float8 as price,
      best.promotion_id, best.ends_on
    from products p
    left join lateral (
      select r.id as promotion_id, r.ends_on,
        round(case when r.kind = 'percent' then p.price * (1 - r.value / 100) else least(r.value, p.price) end, 2) as price
      from promotions r
      where r.status = 'active' and (r.product_id = p.id or r.category = p.category) and ${day}::date between r.starts_on and r.ends_on
      order by 3, r.id limit 1) best on true
    where p.id = any(${productIds}::int[])`.execute(db);
  return new Map(
    r.rows.map((x) => [
      Number(x.product_id),
      { productId: Number(x.product_id), sku: x.sku, regularPrice: Number(x.regular_price), price: Number(x.price), promotionId: x.promotion_id === null ? null : Number(x.promotion_id), promotionEndsOn: x.ends_on },
    ]),
  );
}

/**
 * Promo flag per day for products over [fromDay, toDay] (YYYY-MM-DD, inclusive): 1 on days an active promotion
 * covers the product (or its category). The forecasting engine's global model takes such per-period covariates
 * (`forecastBatch(inputs, { globalModel: true, globalCovariates })`, src/domain/forecasting/forecast.ts).
 */
export async function promoFlags(db: Kysely<DB>, productIds: number[], fromDay: string, toDay: string): Promise<Map<number, Uint8Array>> {
  const from = toEpochDay(fromDay);
  const n = toEpochDay(toDay) - from + 1;
  if (!(n >= 1)) throw new AppError('invalid', 'toDay must not be before fromDay', 'toDay');
  const out = new Map(productIds.map((id) => [id, new Uint8Array(n)]));
  if (productIds.length === 0) return out;
  const r = await sql<{ product_id: number; s: number; e: number }>`
    select p.id as product_id, (greatest(r.starts_on, ${fromDay}::date) - ${fromDay}::date)::int as s, (least(r.ends_on, ${toDay}::date) - ${fromDay}::date)::int as e
    from products p join promotions r on r.status = 'active' and (r.product_id = p.id or r.category = p.category)
    where p.id = any(${productIds}::int[]) and r.starts_on <= ${toDay}::date and r.ends_on >= ${fromDay}::date`.execute(db);
  for (const x of r.rows) out.get(Number(x.product_id))!.fill(1, x.s, x.e + 1);
  return out;
}

/** Elasticity assumed for a promotion entered by hand (no accepted offer): the same default as the waste analysis. */
export const DEFAULT_PROMO_ELASTICITY = -1.5;

/**
 * Active promotions of products over [fromDay, toDay] (inclusive), per product, for the forecast: the price ratio
 * (promotion price ÷ regular price) and the elasticity of the accepted markdown offer (else the default).
 */
export async function promoWindows(db: Kysely<DB>, productIds: number[], fromDay: string, toDay: string): Promise<Map<number, PromoWindow[]>> {
  const out = new Map<number, PromoWindow[]>();
  if (productIds.length === 0) return out;
  const r = await sql<{ product_id: number; id: number; s: string; e: string; ratio: number; el: number | null }>`
    select p.id as product_id, r.id, greatest(r.starts_on, ${fromDay}::date)::text as s, least(r.ends_on, ${toDay}::date)::text as e,
      (case when r.kind = 'percent' then 1 - r.value / 100 else least(r.value, p.price) / nullif(p.price, 0) end)::float8 as ratio,
      (r.offer ->> 'elasticity')::float8 as el
    from products p join promotions r on r.status = 'active' and (r.product_id = p.id or r.category = p.category)
    where p.id = any(${productIds}::int[]) and r.starts_on <= ${toDay}::date and r.ends_on >= ${fromDay}::date`.execute(db);
  for (const x of r.rows) {
    if (x.ratio === null || !(x.ratio > 0 && x.ratio < 1)) continue;
    const el = x.el !== null && Number.isFinite(x.el) && x.el < 0 ? x.el : DEFAULT_PROMO_ELASTICITY;
    const list = out.get(Number(x.product_id)) ?? [];
    list.push({ promotionId: Number(x.id), startsOn: x.s, endsOn: x.e, priceRatio: x.ratio, elasticity: el });
    out.set(Number(x.product_id), list);
  }
  return out;
}

export class PromotionsService {
  constructor(
    readonly db: Kysely<DB>,
    private readonly waste: WasteService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private today() {
    return utcDay(this.now());
  }

  /** A manual promotion (manager). Refused (409) when an active promotion of the same product or category overlaps it. */
  async create(actor: Actor, input: PromotionInput, origin: { source: 'manual' | 'markdown'; offer?: unknown } = { source: 'manual' }) {
    const startsOn = input.startsOn ?? this.today();
    for (const [f, v] of [['startsOn', startsOn], ['endsOn', input.endsOn]] as const)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new AppError('invalid', `${f} must be a date YYYY-MM-DD`, f);
    if (input.endsOn < startsOn) throw new AppError('invalid', 'endsOn must be on or after startsOn', 'endsOn');
    if (input.endsOn < this.today()) throw new AppError('invalid', 'endsOn is in the past', 'endsOn');
    if ((input.sku === undefined) === (input.category === undefined)) throw new AppError('invalid', 'give either sku or category', input.sku ? 'category' : 'sku');
    if (!(input.value > 0) || (input.kind === 'percent' && !(input.value < 100))) throw new AppError('invalid', input.kind === 'percent' ? 'percent must be between 0 and 100' : 'fixed price must be > 0', 'value');
    return inTransaction(this.db, async (trx) => {
      let productId: number | null = null;
      let label = input.category ?? '';
      if (input.sku !== undefined) {
        // The row lock serialises concurrent accepts of the same product, so the overlap check below holds.
        const p = await sql<{ id: number; name: string }>`select id, name from products where sku = ${input.sku} for update`.execute(trx);
        if (!p.rows[0]) throw new AppError('not_found', `unknown sku ${input.sku}`, 'sku');
        productId = Number(p.rows[0].id);
        label = `${input.sku} ${p.rows[0].name}`;
      } else {
        const c = await trx.selectFrom('products').select('id').where('category', '=', input.category!).limit(1).executeTakeFirst();
        if (!c) throw new AppError('not_found', `no products in category ${input.category}`, 'category');
        await sql`select pg_advisory_xact_lock(hashtext(${'promo-category:' + input.category}))`.execute(trx);
      }
      const clash = await trx
        .selectFrom('promotions')
        .select(['id', 'name', 'starts_on', 'ends_on'])
        .where('status', '=', 'active')
        .where(productId !== null ? 'product_id' : 'category', '=', productId ?? input.category!)
        .where('starts_on', '<=', input.endsOn)
        .where('ends_on', '>=', startsOn)
        .executeTakeFirst();
      if (clash) throw new AppError('conflict', `promotion ${clash.id} "${clash.name}" (${clash.starts_on} to ${clash.ends_on}) already covers these dates`, input.sku ? 'sku' : 'category', { promotionId: clash.id });
      const name = input.name?.trim() || (input.kind === 'percent' ? `${input.value}% off ${label}` : `${label} at ${input.value}`);
      const row = await trx
        .insertInto('promotions')
        .values({
          name,
          product_id: productId,
          category: productId === null ? input.category! : null,
          kind: input.kind,
          value: input.value,
          starts_on: startsOn,
          ends_on: input.endsOn,
          source: origin.source,
          offer: origin.offer === undefined ? null : JSON.stringify(origin.offer),
          created_by: actor.id,
          created_by_label: actor.label,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, 'promotion.create', 'promotion', row.id, null, { ...row, offer: undefined });
      return this.shape(row, input.sku ?? null);
    });
  }

  /**
   * Accept a markdown offer: recompute it on the server (the numbers the manager saw, at today's data) and turn
   * it into a percent-off promotion of the product from today to the target date. `depth` (a fraction) overrides
   * the suggested depth, e.g. a rounder number.
   */
  async acceptOffer(actor: Actor, a: OfferQuery & { sku: string; depth?: number; name?: string }) {
    const offer = await this.waste.offerFor(a.sku, a);
    const depth = a.depth ?? offer.depth;
    if (!(depth > 0 && depth < 0.95)) {
      throw new AppError(a.depth === undefined ? 'conflict' : 'invalid', a.depth === undefined ? `the offer for ${a.sku} clears the excess without a markdown (depth 0): nothing to accept` : 'depth must be between 0 and 0.95 (a fraction)', 'depth');
    }
    const percent = Math.round(depth * 1000) / 10;
    return this.create(
      actor,
      { sku: a.sku, kind: 'percent', value: percent, startsOn: this.today(), endsOn: fromEpochDay(toEpochDay(this.today()) + offer.days - 1), name: a.name ?? `Markdown ${percent}% ${a.sku}` },
      { source: 'markdown', offer: { ...offer, candidates: undefined, acceptedDepth: depth } },
    );
  }

  async cancel(actor: Actor, id: number) {
    return inTransaction(this.db, async (trx) => {
      const before = await trx.selectFrom('promotions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('not_found', `no promotion ${id}`, 'id');
      if (before.status === 'cancelled') throw new AppError('conflict', `promotion ${id} is already cancelled`, 'id');
      const after = await trx.updateTable('promotions').set({ status: 'cancelled', cancelled_at: new Date(), cancelled_by: actor.label }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, 'promotion.cancel', 'promotion', id, { status: before.status }, { status: after.status });
      const sku = after.product_id === null ? null : ((await trx.selectFrom('products').select('sku').where('id', '=', after.product_id).executeTakeFirst())?.sku ?? null);
      return this.shape(after, sku);
    });
  }

  /**
   * Promotions with their results so far (whole days up to yesterday): units per day during the promotion vs the baseline (the offer's
   * forecast demand for accepted markdowns, else the 28 days before the start) and the uplift.
   */
  async list(q: { status?: PromotionStatus | 'all'; limit?: number } = {}) {
    const today = this.today();
    const r = await sql<{ id: number; sku: string | null; product_name: string | null; during: number; before: number }>`
      select r.id, p.sku, p.name as product_name,
        (select coalesce(sum(-m.qty), 0) from stock_movements m join products q on q.id = m.product_id
          where m.kind in ('sale', 'return') and (m.product_id = r.product_id or q.category = r.category)
            and m.occurred_at >= (r.starts_on::timestamp at time zone 'UTC') and m.occurred_at < ((least(r.ends_on, ${today}::date - 1) + 1)::timestamp at time zone 'UTC'))::float8 as during,
        (select coalesce(sum(-m.qty), 0) from stock_movements m join products q on q.id = m.product_id
          where m.kind in ('sale', 'return') and (m.product_id = r.product_id or q.category = r.category)
            and m.occurred_at >= ((r.starts_on - 28)::timestamp at time zone 'UTC') and m.occurred_at < (r.starts_on::timestamp at time zone 'UTC'))::float8 as before
      from promotions r left join products p on p.id = r.product_id
      order by r.id desc limit 1000`.execute(this.db);
    const rows = await this.db.selectFrom('promotions').selectAll().where('id', 'in', r.rows.length ? r.rows.map((x) => x.id) : [0]).execute();
    const byId = new Map(rows.map((x) => [x.id, x]));
    const out = r.rows.map((x) => {
      const p = byId.get(x.id)!;
      const s = this.shape(p, x.sku);
      // Whole days only (up to yesterday): a promotion's first hours would read as a −100 % uplift.
      const elapsed = Math.max(0, Math.min(toEpochDay(p.ends_on), toEpochDay(today) - 1) - toEpochDay(p.starts_on) + 1);
      const offer = p.offer as { dailyDemand?: number; uplift?: number } | null;
      const baselineDaily = offer?.dailyDemand ?? Number(x.before) / 28;
      const actualDaily = elapsed > 0 ? Number(x.during) / elapsed : null;
      return {
        ...s,
        productName: x.product_name,
        results: {
          daysElapsed: elapsed,
          units: Number(x.during),
          unitsPerDay: actualDaily === null ? null : Math.round(actualDaily * 1000) / 1000,
          baselinePerDay: Math.round(baselineDaily * 1000) / 1000,
          baselineSource: offer?.dailyDemand !== undefined ? 'forecast' : '28 days before',
          uplift: actualDaily !== null && baselineDaily > 0 ? Math.round((actualDaily / baselineDaily - 1) * 1000) / 1000 : null,
          expectedUplift: offer?.uplift ?? null,
        },
      };
    });
    const status = q.status ?? 'all';
    return out.filter((x) => status === 'all' || x.status === status).slice(0, q.limit ?? 200);
  }

  private shape(p: { id: number; name: string; product_id: number | null; category: string | null; kind: string; value: number; starts_on: string; ends_on: string; status: string; source: string; created_by_label: string; created_at: Date; cancelled_at: Date | null; cancelled_by: string | null; offer?: unknown }, sku: string | null) {
    const today = this.today();
    const status: PromotionStatus = p.status === 'cancelled' ? 'cancelled' : today < p.starts_on ? 'scheduled' : today > p.ends_on ? 'ended' : 'running';
    return {
      id: p.id,
      name: p.name,
      productId: p.product_id,
      sku,
      category: p.category,
      kind: p.kind as 'percent' | 'fixed_price',
      value: Number(p.value),
      startsOn: p.starts_on,
      endsOn: p.ends_on,
      status,
      source: p.source as 'manual' | 'markdown',
      acceptedBy: p.created_by_label,
      createdAt: new Date(p.created_at).toISOString(),
      cancelledAt: p.cancelled_at ? new Date(p.cancelled_at).toISOString() : null,
      cancelledBy: p.cancelled_by,
      offer: p.offer ?? null,
    };
  }
}

/** The promotions service of an AppServices (over its shared waste service). */
export function promotionsServiceOf(s: AppServices): PromotionsService {
  return new PromotionsService(s.database.db, wasteServiceOf(s));
}
