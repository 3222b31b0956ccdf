/**
 * Explicit ratings (1-5 per customer × product; Funk-SVD predicts the missing ones once the store has some)
 * and the kiosk's demographic tag on a sale (what the demographic ranker learns from).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { predictRating } from '../domain/recommend/funk-svd.model.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { RecommendService } from './recommend.service.ts';
import { inTransaction } from './transaction.ts';

export interface RatingSummary {
  sku: string;
  average: number | null;
  count: number;
  /** Funk-SVD's prediction for a typical customer (mean + the item's bias), when a model with ratings serves. */
  predicted: number | null;
  /** For the customer asked about: their own rating, and the prediction when they have none. */
  customer?: { code: string; rating: number | null; predicted: number | null };
  /** Which model version predicted (null: the store has fewer ratings than Funk-SVD needs, or no model yet). */
  modelId: number | null;
}

export class RatingsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly recs: RecommendService,
  ) {}

  /** Records (or replaces) a customer's rating of a product; the customer is created by code when new. */
  async rate(actor: Actor, r: { customer: string; sku: string; rating: number }) {
    if (!Number.isFinite(r.rating) || r.rating < 1 || r.rating > 5) throw new AppError('invalid', 'rating must be from 1 to 5', 'rating');
    return inTransaction(this.db, async (trx) => {
      const p = await trx.selectFrom('products').select('id').where('sku', '=', r.sku).executeTakeFirst();
      if (!p) throw new AppError('not_found', `product ${r.sku} does not exist`, 'sku');
      const c = await trx
        .insertInto('customers')
        .values({ code: r.customer })
        .onConflict((oc) => oc.column('code').doUpdateSet({ code: r.customer }))
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await trx
        .insertInto('ratings')
        .values({ customer_id: c.id, product_id: p.id, rating: r.rating })
        .onConflict((oc) => oc.columns(['customer_id', 'product_id']).doUpdateSet({ rating: r.rating, rated_at: new Date() }))
        .returning(['rating', 'rated_at'])
        .executeTakeFirstOrThrow();
      void actor;
      return { customer: r.customer, sku: r.sku, rating: Number(row.rating), ratedAt: row.rated_at };
    });
  }

  async summary(sku: string, customerCode?: string): Promise<RatingSummary> {
    const p = await this.db.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirst();
    if (!p) throw new AppError('not_found', `product ${sku} does not exist`, 'sku');
    const agg = await sql<{ avg: number | null; n: number }>`select avg(rating)::float8 as avg, count(*)::int as n from ratings where product_id = ${p.id}`.execute(this.db);
    const m = await this.recs.model();
    const svd = m?.svd ?? null;
    const round = (x: number) => Math.round(x * 100) / 100;
    let predicted: number | null = null;
    if (svd) {
      const i = svd.items.index.get(p.id);
      predicted = round(Math.min(svd.clip[1], Math.max(svd.clip[0], svd.mean + (i === undefined ? 0 : svd.itemBias[i]))));
    }
    const out: RatingSummary = { sku, average: agg.rows[0].avg === null ? null : round(Number(agg.rows[0].avg)), count: Number(agg.rows[0].n), predicted, modelId: svd ? (this.recs.serving()?.id ?? null) : null };
    if (customerCode) {
      const c = await this.db.selectFrom('customers').select('id').where('code', '=', customerCode).executeTakeFirst();
      if (!c) throw new AppError('not_found', `customer ${customerCode} does not exist`, 'customer');
      const own = await this.db.selectFrom('ratings').select('rating').where('customer_id', '=', c.id).where('product_id', '=', p.id).executeTakeFirst();
      out.customer = { code: customerCode, rating: own ? Number(own.rating) : null, predicted: svd ? round(predictRating(svd, c.id, p.id)) : null };
    }
    return out;
  }

  /** The kiosk's estimate of the shopper behind a sale (either part may be unknown = null). Audited. */
  async tagSale(actor: Actor, saleId: number, d: { gender: 'male' | 'female' | null; ageGroup: 'child' | 'teen' | 'adult' | 'senior' | null }) {
    return inTransaction(this.db, async (trx) => {
      const before = await trx.selectFrom('sales').select(['id', 'shopper_gender', 'shopper_age_group']).where('id', '=', saleId).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('not_found', `sale ${saleId} does not exist`, 'saleId');
      await trx.updateTable('sales').set({ shopper_gender: d.gender, shopper_age_group: d.ageGroup }).where('id', '=', saleId).execute();
      const after = { gender: d.gender, ageGroup: d.ageGroup };
      await audit(trx, actor, 'sale.demographic', 'sale', saleId, { gender: before.shopper_gender, ageGroup: before.shopper_age_group }, after);
      return { saleId, ...after };
    });
  }
}
