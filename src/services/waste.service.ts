import { sql, type Kysely } from 'kysely';
import { coPurchases, dataVersion, forecastDaily, receiptLayers, salesArrays, stockRows } from '../db/repositories/waste.repository.ts';
import type { DB } from '../db/schema.ts';
import { optimiseMarkdown, suggestBundles, type AbcClass, type XyzClass } from '../domain/markdown/index.ts';
import { fromEpochDay, toEpochDay } from '../domain/reports/dates.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { DashboardService, type Anchor } from './dashboard.service.ts';
import type { AppServices } from './index.ts';
import { inTransaction } from './transaction.ts';
import { round, runAnalysis, type AnalysisOptions, type AnalysisResult, type WasteItem } from './waste-analysis.ts';
import { optionalLocationId } from '../db/repositories/locations.repository.ts';

/**
 * Waste reduction over the ledger: ABC/XYZ classes, slow and dead stock, price elasticities and markdown offers,
 * per SKU × location, as of the dashboard's "today" (the latest sale when the data is historical). One analysis
 * (four SQL reads, then the pure domain in src/domain/markdown) serves every view; it is cached per options. When
 * movements or forecasts were written since and the cached one is over a minute old, it is still served while a
 * fresh one is computed in the background, so only the first request per set of options waits for the compute.
 */

const DAY = 86_400_000;
const CACHE_SIZE = 4;
const CHECK_KEY = 'waste.deadStockCheckedAt';

export interface WasteQuery extends AnalysisOptions {
  /** Location code: only stock there (default: every location). */
  location?: string;
}
export interface Filter {
  abc?: AbcClass;
  xyz?: XyzClass;
  category?: string;
}
export interface Analysis extends AnalysisResult {
  anchor: Anchor;
  location: string | null;
  options: Required<AnalysisOptions>;
  computedMs: number;
}

export interface OfferQuery extends WasteQuery, Filter {
  /** Days the markdown runs (to the target date). Default 56. */
  days?: number;
  /** Target date (YYYY-MM-DD) instead of days: days = target − today (UTC). */
  until?: string;
  /** Discount ladder (fractions). Default 0.1 … 0.5. */
  ladder?: number[];
  limit?: number;
  sku?: string;
}

export interface Offer {
  productId: number;
  sku: string;
  name: string;
  category: string;
  location: string;
  abc: AbcClass;
  xyz: XyzClass;
  price: number;
  cost: number;
  onHand: number;
  excessUnits: number;
  tiedUpValue: number;
  dailyDemand: number;
  /** Units that must sell by the target date so what is left is what regular demand absorbs within the horizon. */
  clearUnits: number;
  days: number;
  targetDate: string;
  depth: number;
  offerPrice: number;
  uplift: number;
  clearedUnits: number;
  leftover: number;
  revenue: number;
  margin: number;
  cannotClear: boolean;
  baseline: { clearedUnits: number; revenue: number; leftover: number };
  candidates: { depth: number; price: number; clearedUnits: number; revenue: number; clears: boolean }[];
  elasticity: number;
  elasticitySd: number;
  elasticitySource: WasteItem['elasticitySource'];
  /** A running or scheduled promotion of this product, if any. */
  promotionId: number | null;
}

const DEFAULTS = { windowDays: 365, horizonDays: 90, deadDays: 90, slowCoverDays: 120, aShare: 0.8, bShare: 0.95, xMax: 0.5, yMax: 1, tau: 0.3 };

export class WasteService {
  private readonly cache = new Map<string, { version: string; today: string; at: number; result: Promise<Analysis>; refreshing?: boolean }>();

  constructor(
    readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
    /** How long an analysis is reused after the data changed (0 = recompute on every change). */
    private readonly maxStaleMs = 60_000,
  ) {}

  /** The whole analysis for a scope (cached per options; see the class comment). */
  async analysis(q: WasteQuery = {}): Promise<Analysis> {
    const options = { ...DEFAULTS } as Analysis['options'];
    for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) if (q[k] !== undefined) options[k] = q[k];
    if (!(options.aShare > 0 && options.aShare <= options.bShare && options.bShare <= 1)) throw new AppError('invalid', 'need 0 < aShare ≤ bShare ≤ 1', 'aShare');
    if (!(options.xMax > 0 && options.xMax <= options.yMax)) throw new AppError('invalid', 'need 0 < xMax ≤ yMax', 'xMax');
    const [anchor, version, locationId] = await Promise.all([new DashboardService(this.db, this.now).anchor(), dataVersion(this.db), this.locationId(q.location)]);
    const key = JSON.stringify([q.location ?? null, options]);
    const hit = this.cache.get(key);
    if (hit && hit.today === anchor.today) {
      // A busy store writes a movement every few seconds: an analysis up to maxStaleMs old is served as is; an
      // older one too, while its replacement is computed in the background (stale while revalidating).
      if (hit.version !== version && Date.now() - hit.at >= this.maxStaleMs && !hit.refreshing) {
        hit.refreshing = true;
        const next = this.compute(anchor, locationId, q.location ?? null, options);
        next.then(
          () => this.cache.set(key, { version, today: anchor.today, at: Date.now(), result: next }),
          () => (hit.refreshing = false),
        );
      }
      return hit.result;
    }
    const result = this.compute(anchor, locationId, q.location ?? null, options);
    this.cache.delete(key);
    this.cache.set(key, { version, today: anchor.today, at: Date.now(), result });
    result.catch(() => this.cache.delete(key));
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return result;
  }

  private async compute(anchor: Anchor, locationId: number | null, location: string | null, options: Analysis['options']): Promise<Analysis> {
    const t0 = performance.now();
    const endDay = toEpochDay(anchor.today);
    const end = new Date((endDay + 1) * DAY);
    const start = new Date((endDay + 1 - options.windowDays) * DAY);
    const [stock, sales, receipts, fc] = await Promise.all([
      stockRows(this.db, locationId, start),
      salesArrays(this.db, locationId, start, end),
      receiptLayers(this.db, locationId, end),
      forecastDaily(this.db, locationId),
    ]);
    const result = runAnalysis(stock, sales, receipts, fc, endDay, options);
    return { ...result, anchor, location, options, computedMs: Math.round(performance.now() - t0) };
  }

  private locationId(code: string | undefined): Promise<number | null> {
    return optionalLocationId(this.db, code);
  }

  /** The ABC × XYZ matrix (counts, stock value, revenue) and the items of the chosen classes. */
  async classification(q: WasteQuery & Filter & { limit?: number; offset?: number } = {}) {
    const a = await this.analysis(q);
    const rows = a.items.filter(matches(q)).sort((x, y) => y.revenue - x.revenue || x.sku.localeCompare(y.sku));
    return { anchor: a.anchor, location: a.location, options: a.options, matrix: a.matrix, total: rows.length, items: page(rows, q) };
  }

  /** Slow, dead and excess stock ranked by tied-up value (a dead item ties up all its stock). */
  async slowStock(q: WasteQuery & Filter & { status?: 'dead' | 'slow' | 'excess' | 'all'; limit?: number; offset?: number } = {}) {
    const a = await this.analysis(q);
    const status = q.status ?? 'all';
    const rows = a.items
      .filter((r) => r.excessUnits > 0 || r.status === 'dead')
      .filter((r) => (status === 'all' ? true : status === 'excess' ? r.status === 'ok' : r.status === status))
      .filter(matches(q))
      .sort((x, y) => y.tiedUpValue - x.tiedUpValue || y.stockValue - x.stockValue || x.sku.localeCompare(y.sku));
    return { anchor: a.anchor, location: a.location, options: a.options, totals: a.totals, total: rows.length, items: page(rows, q) };
  }

  /** Price elasticities: the fit's distribution and per-category estimates. */
  async elasticities(q: WasteQuery = {}) {
    const a = await this.analysis(q);
    return { anchor: a.anchor, location: a.location, ...a.elasticity };
  }

  /** Markdown offers for the excess items with demand, by tied-up value; items without demand are counted apart. */
  async offers(q: OfferQuery = {}) {
    const a = await this.analysis(q);
    const days = this.daysOf(q);
    const targetDate = fromEpochDay(toEpochDay(utcDay(this.now())) + days);
    const excess = a.items.filter((r) => r.excessUnits > 0 && matches(q)(r) && (!q.sku || r.sku === q.sku));
    const withDemand = excess.filter((r) => r.dailyDemand > 0).sort((x, y) => y.tiedUpValue - x.tiedUpValue || x.sku.localeCompare(y.sku));
    const noDemand = excess.filter((r) => r.dailyDemand <= 0);
    const limit = q.limit ?? 50;
    const chosen = withDemand.slice(0, limit);
    const promos = await this.runningPromotions(chosen.map((r) => r.productId));
    const offers = chosen.map((r) => offerOf(r, days, targetDate, a.options.horizonDays, q.ladder, promos.get(r.productId) ?? null));
    return {
      anchor: a.anchor,
      location: a.location,
      days,
      targetDate,
      total: withDemand.length,
      offers,
      noDemand: { count: noDemand.length, tiedUpValue: round(noDemand.reduce((s, r) => s + r.tiedUpValue, 0), 2) },
    };
  }

  /** One item's offer (what accepting it would create); 404 when the item has no excess with demand. */
  async offerFor(sku: string, q: OfferQuery = {}): Promise<Offer> {
    const r = await this.offers({ ...q, sku, limit: 10 });
    if (r.offers.length === 0) throw new AppError('not_found', `no markdown offer for ${sku}${q.location ? ` at ${q.location}` : ''}: it has no excess stock with demand`, 'sku');
    if (r.offers.length > 1 && !q.location) throw new AppError('invalid', `${sku} has excess at several locations: name one`, 'location');
    return r.offers[0];
  }

  /** Bundle partners for an item: frequent co-purchases (cosine over baskets) that sell and are not excess themselves. */
  async bundles(sku: string, q: WasteQuery & { perItem?: number } = {}) {
    const a = await this.analysis(q);
    const item = a.items.find((r) => r.sku === sku);
    if (!item) throw new AppError('not_found', `no stock of ${sku}${q.location ? ` at ${q.location}` : ''}`, 'sku');
    const endDay = toEpochDay(a.anchor.today);
    const pairs = await coPurchases(this.db, item.productId, new Date((endDay + 1 - a.options.windowDays) * DAY), new Date((endDay + 1) * DAY));
    const demand = new Map<string, number>();
    for (const r of a.items) demand.set(r.sku, Math.max(demand.get(r.sku) ?? 0, r.dailyDemand));
    const excess = a.items.filter((r) => r.excessUnits > 0 && r.sku !== sku).map((r) => r.sku);
    const bundles = suggestBundles(
      [sku, ...excess],
      pairs.map((p) => ({ a: sku, b: p.sku, score: p.both / Math.sqrt(Math.max(1, p.n_self) * Math.max(1, p.n_other)) })),
      demand,
      { perItem: q.perItem ?? 3 },
    ).filter((b) => b.sku === sku);
    const names = new Map(a.items.map((r) => [r.sku, r.name]));
    return bundles.map((b) => ({ partner: b.partner, name: names.get(b.partner) ?? b.partner, score: round(b.score, 4), partnerDailyDemand: round(b.partnerDailyDemand, 3), reach: round(b.reach, 4) }));
  }

  /**
   * Raises a 'dead_stock' alert for each item that turned dead since the previous check (idle days − days since
   * that check < the dead threshold; 7 days at the first check), unless it was already alerted since its last
   * sale. So old dead stock found at the first check does not flood the alerts (it is on the Waste page), and each
   * dead spell alerts once. `all` alerts every dead item not alerted yet.
   */
  async checkDeadStock(actor: Actor, q: WasteQuery & { all?: boolean } = {}) {
    const a = await this.analysis(q);
    const dead = a.items.filter((r) => r.status === 'dead');
    return inTransaction(this.db, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${CHECK_KEY}))`.execute(trx);
      const last = await trx.selectFrom('settings').select('value').where('key', '=', CHECK_KEY).executeTakeFirst();
      const at = this.now();
      const since = last ? Math.max(1, Math.ceil((at.getTime() - Date.parse(String(last.value))) / DAY)) : 7;
      await sql`insert into settings (key, value, updated_at) values (${CHECK_KEY}, ${JSON.stringify(at.toISOString())}::jsonb, now())
        on conflict (key) do update set value = excluded.value, updated_at = now()`.execute(trx);
      const seen = await sql<{ product_id: number; location_id: number }>`
        select distinct a.product_id, a.location_id from alerts a
        join stock_levels s on s.product_id = a.product_id and s.location_id = a.location_id
        where a.kind = 'dead_stock' and (s.last_sale_at is null or a.created_at >= s.last_sale_at)`.execute(trx);
      const known = new Set(seen.rows.map((r) => `${r.product_id}:${r.location_id}`));
      const fresh = dead.filter((r) => !known.has(`${r.productId}:${r.locationId}`) && (q.all || r.idleDays - since < a.options.deadDays));
      const out = { dead: dead.length, sinceDays: q.all ? null : since, alerted: 0, items: [] as string[] };
      if (fresh.length === 0) return out;
      const msg = (r: WasteItem) =>
        `Dead stock: ${r.sku} at ${r.location}: ${r.daysSinceLastSale === null ? 'never sold' : `no sale for ${r.daysSinceLastSale} days`}, ${r.onHand} units (${r.stockValue.toFixed(2)} at cost) tied up`;
      const ins = await sql<{ product_id: number }>`
        insert into alerts (kind, severity, product_id, location_id, message, data)
        select 'dead_stock', 'warning', t.p, t.l, t.m, t.d::jsonb
        from unnest(${fresh.map((r) => r.productId)}::int[], ${fresh.map((r) => r.locationId)}::int[], ${fresh.map(msg)}::text[],
          ${fresh.map((r) => JSON.stringify({ idleDays: r.idleDays, daysSinceLastSale: r.daysSinceLastSale, onHand: r.onHand, stockValue: r.stockValue, by: actor.label }))}::text[]) as t(p, l, m, d)
        on conflict (kind, product_id, location_id) where acknowledged_at is null do nothing
        returning product_id`.execute(trx);
      const ids = new Set(ins.rows.map((r) => Number(r.product_id)));
      return { ...out, alerted: ins.rows.length, items: fresh.filter((r) => ids.has(r.productId)).map((r) => `${r.sku}@${r.location}`) };
    });
  }

  private daysOf(q: OfferQuery): number {
    let days = q.days ?? 56;
    if (q.until !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(q.until) || Number.isNaN(Date.parse(q.until))) throw new AppError('invalid', 'until must be a date YYYY-MM-DD', 'until');
      days = toEpochDay(q.until) - toEpochDay(utcDay(this.now()));
    }
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new AppError('invalid', 'the offer must run 1 to 365 days (target date after today)', q.until !== undefined ? 'until' : 'days');
    return days;
  }

  private async runningPromotions(productIds: number[]): Promise<Map<number, number>> {
    if (productIds.length === 0) return new Map();
    const today = utcDay(this.now());
    const r = await sql<{ product_id: number; id: number }>`
      select distinct on (p.id) p.id as product_id, r.id from products p
      join promotions r on r.status = 'active' and (r.product_id = p.id or r.category = p.category) and r.ends_on >= ${today}::date
      where p.id = any(${productIds}::int[]) order by p.id, r.starts_on`.execute(this.db);
    return new Map(r.rows.map((x) => [Number(x.product_id), Number(x.id)]));
  }
}

function offerOf(r: WasteItem, days: number, targetDate: string, horizonDays: number, ladder: number[] | undefined, promotionId: number | null): Offer {
  const clearUnits = Math.min(r.onHand, Math.max(0, r.onHand - r.dailyDemand * Math.max(0, horizonDays - days)));
  const o = optimiseMarkdown(
    { sku: r.sku, price: r.price, cost: r.cost, onHand: r.onHand, baseDailyDemand: r.dailyDemand, daysToTarget: days, elasticity: r.elasticity, elasticitySd: r.elasticitySd, clearUnits },
    { demand: 'poisson', leftoverTolerance: 1, ladder },
  );
  const c = o.chosen;
  return {
    productId: r.productId,
    sku: r.sku,
    name: r.name,
    category: r.category,
    location: r.location,
    abc: r.abc,
    xyz: r.xyz,
    price: r.price,
    cost: r.cost,
    onHand: r.onHand,
    excessUnits: r.excessUnits,
    tiedUpValue: r.tiedUpValue,
    dailyDemand: r.dailyDemand,
    clearUnits: round(clearUnits, 1),
    days,
    targetDate,
    depth: c.depth,
    offerPrice: round(c.price, 2),
    uplift: round(c.uplift, 4),
    clearedUnits: round(c.clearedUnits, 1),
    leftover: round(c.leftover, 1),
    revenue: round(c.revenue, 2),
    margin: round(c.margin, 2),
    cannotClear: o.cannotClear,
    baseline: { clearedUnits: round(o.baseline.clearedUnits, 1), revenue: round(o.baseline.revenue, 2), leftover: round(o.baseline.leftover, 1) },
    candidates: o.candidates.map((x) => ({ depth: x.depth, price: round(x.price, 2), clearedUnits: round(x.clearedUnits, 1), revenue: round(x.revenue, 2), clears: x.clears })),
    elasticity: r.elasticity,
    elasticitySd: r.elasticitySd,
    elasticitySource: r.elasticitySource,
    promotionId,
  };
}

function matches(f: Filter) {
  return (r: WasteItem) => (!f.abc || r.abc === f.abc) && (!f.xyz || r.xyz === f.xyz) && (!f.category || r.category === f.category);
}

function page<T>(rows: T[], q: { limit?: number; offset?: number }): T[] {
  const off = q.offset ?? 0;
  return rows.slice(off, off + (q.limit ?? 50));
}

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const services = new WeakMap<AppServices, WasteService>();
/** The waste service of an AppServices (one per database, so its cache is shared by the API, jobs and pages). */
export function wasteServiceOf(s: AppServices): WasteService {
  let w = services.get(s);
  if (!w) services.set(s, (w = new WasteService(s.database.db)));
  return w;
}
