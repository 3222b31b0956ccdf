import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Bundle } from '../domain/recommend/bundle.ts';
import { allowedCatalogGenders, forDemographic as rankDemographic, type AgeGroup, type Gender } from '../domain/recommend/demographic.ts';
import { boughtTogether, similarItems } from '../domain/recommend/item-recs.ts';
import { recommendForUser } from '../domain/recommend/recommender.ts';
import { stockAwareRerank } from '../domain/recommend/rerank.ts';
import type { Recommendation } from '../domain/recommend/types.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { SYSTEM } from './actor.ts';
import type { AppServices } from './index.ts';
import { attributeSimilar, candidateRows, demographicInputs, overstockBoost, promotionBoost, type CandidateRow } from './recommend-data.ts';
import { getRecommendSettings, RecommendModels, type RecommendSettings, type TrainOptions } from './recommend-models.service.ts';

/**
 * The recommendation contract used by the storefront, the kiosk, the dashboard and placement.
 * Known customers get the trained blend (buy-again with decay + EASE / iALS + item-kNN, with reasons), items get
 * frequently-bought-together and similar items, anonymous shoppers the demographic ranker. Every list is
 * re-ranked against stock: only active products available at the shopper's location, with an optional boost
 * for overstock / slow movers and active promotions (weights in settings, see docs/recommendations.md).
 * Until a model is trained (or for products it has never seen) it falls back to popularity.
 */
export interface RecommendedItem {
  productId: number;
  sku: string;
  name: string;
  category: string;
  colour: string | null;
  size: string | null;
  gender: string | null;
  price: number;
  /** Available units at the requested location (on hand − reserved), or in all locations without one. */
  available: number;
  score: number;
  /** Why it is shown, for people: "popular this month", "because you bought X"… */
  reason: string;
  /** The product behind "because you bought X", when there is one. */
  because?: { productId: number; sku: string; name: string };
  /** Which part ranked it: buy-again, collaborative, together, similar, demographic, popular. */
  source?: string;
}

export interface RecommendOptions {
  /** Location code: only items available there. */
  location?: string;
  limit?: number;
  /** SKUs never to return (the cart, the page being viewed). */
  exclude?: string[];
}

export interface ItemRecommendOptions extends RecommendOptions {
  /** 'together' (frequently bought together), 'similar', or both (default: together first). */
  kind?: 'together' | 'similar' | 'both';
}

export interface DemographicQuery extends RecommendOptions {
  gender: Gender;
  ageGroup: AgeGroup;
}

const MAX_LIMIT = 100;
/** A loaded model is compared with the newest stored version at most this often (another process may train). */
const RECHECK_MS = 30_000;
/** Demographic rankings per location × slice are reused this long (anonymous, the same for everyone). */
const DEMOGRAPHIC_TTL_MS = 5 * 60_000;
const SETTINGS_TTL_MS = 5_000;

export class RecommendService {
  readonly models: RecommendModels;
  /** Train in the background on the first request when no model exists (the server sets this). */
  lazyTrain = false;
  private current: { id: number; trainedAt: Date; bundle: Bundle } | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;
  private demoCache = new Map<string, { at: number; recs: Recommendation[] }>();
  private settingsCache: { at: number; value: Promise<RecommendSettings> } | null = null;
  /** Location ids by code (locations are never deleted; unknown codes are looked up again). */
  private locations = new Map<string, number>();

  constructor(readonly db: Kysely<DB>) {
    this.models = new RecommendModels(db);
  }

  /** The model serving now (null before the first training), refreshed when a newer version was stored. */
  async model(): Promise<Bundle | null> {
    if (Date.now() - this.checkedAt > RECHECK_MS) {
      this.loading ??= this.refresh().finally(() => (this.loading = null));
      await this.loading;
    }
    return this.current?.bundle ?? null;
  }

  /** Which version serves, and when it was trained. */
  serving(): { id: number; trainedAt: Date } | null {
    return this.current ? { id: this.current.id, trainedAt: this.current.trainedAt } : null;
  }

  private async refresh(): Promise<void> {
    this.checkedAt = Date.now();
    const id = await this.models.latestDoneId();
    if (id !== null && id !== this.current?.id) {
      const t0 = performance.now();
      this.current = await this.models.load(id);
      log.info('recommendation model loaded', { id, ms: Math.round(performance.now() - t0) });
    } else if (id === null) {
      this.current = null;
      // starts the run (its row exists when this returns) and trains in the background
      if (this.lazyTrain) await this.trainInBackground('first request');
    }
  }

  /** Starts a training run; the new version serves as soon as it is stored. */
  async train(opts: TrainOptions = {}) {
    const run = await this.models.start({
      ...opts,
      onStored: (m) => {
        this.current = m;
        this.checkedAt = Date.now();
        this.demoCache.clear();
        opts.onStored?.(m);
      },
    });
    const finished = run.finished.then((r) => r.summary);
    return { id: run.id, finished };
  }

  /** Fire-and-forget training (first request, after the demo load, nightly); logs instead of throwing. */
  async trainInBackground(why: string, opts: TrainOptions = {}): Promise<number | null> {
    try {
      if (!(await this.models.hasTrainingData())) return null;
      const { id, finished } = await this.train({ actor: SYSTEM, ...opts });
      log.info('recommendation training started', { id, why });
      finished.then(
        (s) => log.info('recommendation training done', { id, why, seconds: s.metrics?.seconds.total, customers: s.metrics?.customers, items: s.metrics?.items }),
        (e) => log.error('recommendation training failed', { id, why, error: String(e?.message ?? e) }),
      );
      return id;
    } catch (e) {
      if (e instanceof AppError && e.kind === 'conflict') return null;
      log.error('recommendation training could not start', { why, error: String((e as Error)?.message ?? e) });
      return null;
    }
  }

  /** Top-N for a known customer: the trained blend with reasons; popularity for unknown customers or before training. */
  async forCustomer(customerId: number, opts: RecommendOptions = {}): Promise<RecommendedItem[]> {
    const limit = clampLimit(opts.limit);
    const loc = await this.locationId(opts.location);
    if (loc === false) return [];
    const m = await this.model();
    const exclude = await this.idsOf(opts.exclude);
    if (!m) return this.fill([], limit, opts, loc, exclude);
    const known = m.recommender.users.index.has(customerId);
    const pool = recommendForUser(m.recommender, customerId, { n: Math.max(50, 5 * limit), exclude });
    const own = known ? ownItems(m, customerId) : new Set<number>();
    for (const r of pool) {
      (r as Recommendation & { source?: string }).source = own.has(r.item) ? 'buy-again' : known ? 'collaborative' : 'popular';
      // "because you bought X" only when someone really bought both (EASE gives far-off pairs tiny weights too)
      if (r.because !== undefined && !coBought(m, r.because, r.item)) {
        r.because = undefined;
        r.reason = r.reason.replace(/^because you bought .*?( · on offer)?$/, 'popular with customers like you$1');
      }
    }
    return this.fill(await this.rank(pool, limit, loc), limit, opts, loc, exclude);
  }

  /** Items to show next to a product: frequently bought together, then similar items (stock-aware). */
  async forItem(sku: string, opts: ItemRecommendOptions = {}): Promise<RecommendedItem[]> {
    const limit = clampLimit(opts.limit);
    const kind = opts.kind ?? 'both';
    const p = await this.db.selectFrom('products').select(['id']).where('sku', '=', sku).executeTakeFirst();
    if (!p) return [];
    const loc = await this.locationId(opts.location);
    if (loc === false) return [];
    const exclude = [...(await this.idsOf(opts.exclude)), p.id];
    const m = await this.model();
    const pool: Recommendation[] = [];
    const n = Math.max(50, 5 * limit);
    if (m && m.recommender.items.index.has(p.id)) {
      if (kind !== 'similar') for (const r of boughtTogether(m.recommender, p.id, { n, exclude })) pool.push({ ...r, source: 'together' } as Recommendation);
      if (kind !== 'together') {
        const seen = new Set(pool.map((r) => r.item));
        const sim = similarItems(m.recommender, p.id, { n, exclude });
        // below every "together" item when both are asked for
        const base = kind === 'both' ? Math.min(0, ...pool.map((r) => r.score)) - 1 : 0;
        for (const r of sim) if (!seen.has(r.item)) pool.push({ ...r, score: base + r.score, source: 'similar' } as Recommendation);
      }
    }
    let ranked = await this.rank(pool, limit, loc);
    if (ranked.length < limit && kind !== 'together') {
      const have = new Set([...exclude, ...ranked.map((r) => r.productId)]);
      const attr = (await attributeSimilar(this.db, p.id, loc, limit * 2)).filter((x) => !have.has(x.id));
      ranked = [...ranked, ...(await this.rank(attr.map((x) => ({ item: x.id, score: x.score - 10, reason: x.reason, source: 'similar' }) as Recommendation), limit - ranked.length, loc))];
    }
    return ranked;
  }

  /** For an anonymous shopper with a kiosk demographic: hard filter on the catalog's gender, ranked by the slice's sales. */
  async forDemographic(q: DemographicQuery): Promise<RecommendedItem[]> {
    const limit = clampLimit(q.limit);
    const loc = await this.locationId(q.location);
    if (loc === false) return [];
    const exclude = await this.idsOf(q.exclude);
    const key = `${loc}|${q.gender}|${q.ageGroup}`;
    let hit = this.demoCache.get(key);
    if (!hit || Date.now() - hit.at > DEMOGRAPHIC_TTL_MS) {
      const { catalog, sales, now } = await demographicInputs(this.db, loc);
      const recs = rankDemographic({ gender: q.gender, ageGroup: q.ageGroup }, catalog, sales, { now, n: 300 });
      for (const r of recs) (r as Recommendation & { source?: string }).source = 'demographic';
      this.demoCache.set(key, (hit = { at: Date.now(), recs }));
    }
    const ex = new Set(exclude);
    const ranked = await this.rank(hit.recs.filter((r) => !ex.has(r.item)), limit, loc);
    const genders = [...allowedCatalogGenders({ gender: q.gender, ageGroup: q.ageGroup })];
    return this.fill(ranked, limit, q, loc, exclude, genders);
  }

  /** Most sold in the last 90 days (before the latest sale, so old demo data still ranks), in stock. */
  async popular(opts: RecommendOptions, filter: { category?: string; genders?: string[]; excludeIds?: number[] }): Promise<RecommendedItem[]> {
    const limit = clampLimit(opts.limit);
    const loc = opts.location ? await this.db.selectFrom('locations').select('id').where('code', '=', opts.location).executeTakeFirst() : undefined;
    if (opts.location && !loc) return [];
    const rows = await sql<RecommendedItem>`
      with recent as (
        select m.product_id, sum(-m.qty)::float8 as units
        from stock_movements m
        where m.kind = 'sale' and m.occurred_at > (select coalesce(max(occurred_at), now()) from stock_movements where kind = 'sale') - interval '90 days'
        group by m.product_id
      ), avail as (
        select product_id, sum(on_hand - reserved)::int as available from stock_levels
        where ${loc ? sql`location_id = ${loc.id}` : sql`true`} group by product_id
      )
      select p.id as "productId", p.sku, p.name, p.category, p.colour, p.size, p.gender, p.price::float8 as price,
             a.available, coalesce(r.units, 0) as score, 'popular lately' as reason, 'popular' as source
      from products p join avail a on a.product_id = p.id
      left join recent r on r.product_id = p.id
      where p.status = 'active' and a.available > 0
        ${filter.category ? sql`and p.category = ${filter.category}` : sql``}
        ${filter.genders ? sql`and lower(coalesce(p.gender, 'unisex')) in (${sql.join(filter.genders)})` : sql``}
        ${filter.excludeIds?.length ? sql`and p.id <> all(${filter.excludeIds}::int[])` : sql``}
      order by score desc, p.id
      limit ${limit}`.execute(this.db);
    return rows.rows;
  }

  /** Stock-aware re-ranking of scored candidates into RecommendedItems (details from the database). */
  private async rank(pool: Recommendation[], limit: number, locationId: number | null): Promise<RecommendedItem[]> {
    if (pool.length === 0 || limit <= 0) return [];
    const ids = [...new Set(pool.map((r) => r.item))];
    const because = pool.map((r) => r.because).filter((x): x is number => x !== undefined);
    const rows = await candidateRows(this.db, [...ids, ...because], locationId);
    const inStock = (id: number) => {
      const r = rows.get(id);
      return !!r && r.status === 'active' && r.available > 0;
    };
    const settings = await this.settings();
    const over = settings.boostWeight > 0 ? await overstockBoost(this.db, ids.map((id) => rows.get(id)).filter((r): r is CandidateRow => !!r), locationId) : new Map<number, number>();
    const promo = settings.promotionWeight > 0 ? await promotionBoost(this.db, ids, locationId) : new Map<number, number>();
    const boost = new Map<number, number>();
    for (const [id, b] of over) boost.set(id, settings.boostWeight * b);
    for (const [id, b] of promo) boost.set(id, (boost.get(id) ?? 0) + settings.promotionWeight * b);
    const ranked = stockAwareRerank(pool, limit, { inStock, boost, boostWeight: 1 });
    return ranked.map((r) => {
      const p = rows.get(r.item)!;
      let reason = r.reason.replace(/( · on offer)+$/, '');
      if (promo.has(r.item)) reason += ' · on offer';
      else if (over.has(r.item) && settings.boostWeight > 0) reason += ' · plenty in stock';
      const b = r.because !== undefined ? rows.get(r.because) : undefined;
      const out: RecommendedItem = {
        productId: p.id, sku: p.sku, name: p.name, category: p.category, colour: p.colour, size: p.size, gender: p.gender, price: Number(p.price),
        available: p.available, score: Math.round(r.score * 1e6) / 1e6, reason,
        source: (r as Recommendation & { source?: string }).source,
      };
      if (b) out.because = { productId: b.id, sku: b.sku, name: b.name };
      return out;
    });
  }

  /** Tops a short list up with what sells at the location (never an item already listed or excluded). */
  private async fill(list: RecommendedItem[], limit: number, opts: RecommendOptions, loc: number | null, exclude: number[], genders?: string[]): Promise<RecommendedItem[]> {
    if (list.length >= limit) return list;
    const more = await this.popular({ location: opts.location, limit: limit - list.length }, { genders, excludeIds: [...exclude, ...list.map((r) => r.productId)] });
    void loc;
    return [...list, ...more.map((r) => ({ ...r, reason: 'popular lately', source: 'popular' }))];
  }

  /** null = everywhere; false = an unknown location (the contract answers it with an empty list). */
  private async locationId(code: string | undefined): Promise<number | null | false> {
    if (!code) return null;
    const known = this.locations.get(code);
    if (known !== undefined) return known;
    const l = await this.db.selectFrom('locations').select('id').where('code', '=', code).executeTakeFirst();
    if (l) this.locations.set(code, l.id);
    return l ? l.id : false;
  }

  /** Boost weights and model choice, re-read at most every SETTINGS_TTL_MS (a change applies within seconds). */
  private settings(): Promise<RecommendSettings> {
    if (!this.settingsCache || Date.now() - this.settingsCache.at > SETTINGS_TTL_MS) this.settingsCache = { at: Date.now(), value: getRecommendSettings(this.db) };
    return this.settingsCache.value;
  }

  /** Forget cached settings (after a change made through this process). */
  settingsChanged(): void {
    this.settingsCache = null;
  }

  private async idsOf(skus: string[] | undefined): Promise<number[]> {
    if (!skus?.length) return [];
    const r = await this.db.selectFrom('products').select('id').where('sku', 'in', skus).execute();
    return r.map((x) => x.id);
  }
}

function clampLimit(limit: number | undefined): number {
  const n = limit ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new AppError('invalid', `limit must be a whole number from 1 to ${MAX_LIMIT}`, 'limit');
  return n;
}

/** True when the two items share a customer (each is among the other's item-kNN neighbours). */
function coBought(m: Bundle, a: number, b: number): boolean {
  const r = m.recommender;
  const ia = r.items.index.get(a);
  const ib = r.items.index.get(b);
  if (ia === undefined || ib === undefined) return false;
  const { k, idx, sim } = r.itemKnn.neighbours;
  for (const [x, y] of [[ia, ib], [ib, ia]]) for (let q = x * k; q < x * k + k && idx[q] >= 0; q++) if (idx[q] === y && sim[q] > 0) return true;
  return false;
}

function ownItems(m: Bundle, customerId: number): Set<number> {
  const r = m.recommender;
  const u = r.users.index.get(customerId);
  const out = new Set<number>();
  if (u === undefined) return out;
  for (let p = r.counts.indptr[u]; p < r.counts.indptr[u + 1]; p++) out.add(r.items.ids[r.counts.indices[p]]);
  return out;
}

const cache = new WeakMap<AppServices, RecommendService>();
/** One instance per app (trained models are cached in it). */
export function recommendServiceOf(services: AppServices): RecommendService {
  let s = cache.get(services);
  if (!s) cache.set(services, (s = new RecommendService(services.database.db)));
  return s;
}
