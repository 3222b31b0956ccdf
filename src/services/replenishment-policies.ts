/** Replenishment policies per SKU × location or per category (optionally at one location): list, set, remove; audited. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PolicyKindColumn } from '../db/schema/replenishment.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export interface PolicyInput {
  /** Either sku + location (one item) or category (+ optional location). */
  sku?: string;
  location?: string;
  category?: string;
  kind: PolicyKindColumn;
  serviceKind?: 'csl' | 'fill';
  serviceLevel?: number;
  reviewDays?: number;
  orderingCost?: number | null;
  holdingRate?: number | null;
  min?: number | null;
  max?: number | null;
}

export async function listPolicies(db: Kysely<DB>) {
  return db
    .selectFrom('replenishment_policies as rp')
    .leftJoin('products as p', 'p.id', 'rp.product_id')
    .leftJoin('locations as l', 'l.id', 'rp.location_id')
    .select(['rp.id', 'p.sku', 'l.code as location', 'rp.category', 'rp.kind', 'rp.service_kind', 'rp.service_level', 'rp.review_days', 'rp.ordering_cost', 'rp.holding_rate', 'rp.min_qty', 'rp.max_qty', 'rp.updated_by', 'rp.updated_at'])
    .orderBy('rp.category')
    .orderBy('p.sku')
    .execute();
}

export async function setPolicy(db: Kysely<DB>, actor: Actor, x: PolicyInput) {
  if (!!x.sku === !!x.category) throw new AppError('invalid', 'give either sku (with location) or category', x.sku ? 'category' : 'sku');
  if (x.sku && !x.location) throw new AppError('invalid', 'an item policy needs its location', 'location');
  if (x.min != null && x.max != null && x.max < x.min) throw new AppError('invalid', `max ${x.max} is below min ${x.min}`, 'max');
  return inTransaction(db, async (trx) => {
    const productId = x.sku ? (await trx.selectFrom('products').select('id').where('sku', '=', x.sku).executeTakeFirst())?.id : null;
    if (x.sku && !productId) throw new AppError('not_found', `unknown SKU ${x.sku}`, 'sku');
    const locationId = x.location ? (await trx.selectFrom('locations').select('id').where('code', '=', x.location).executeTakeFirst())?.id : null;
    if (x.location && !locationId) throw new AppError('not_found', `unknown location ${x.location}`, 'location');
    const values = {
      product_id: productId ?? null,
      location_id: locationId ?? null,
      category: x.category ?? null,
      kind: x.kind,
      service_kind: x.serviceKind ?? 'csl',
      service_level: x.serviceLevel ?? 0.95,
      review_days: x.reviewDays ?? 7,
      ordering_cost: x.orderingCost ?? null,
      holding_rate: x.holdingRate ?? null,
      min_qty: x.min ?? null,
      max_qty: x.max ?? null,
      updated_by: actor.label,
      updated_at: new Date(),
    };
    let q = trx.selectFrom('replenishment_policies').selectAll();
    q = productId ? q.where('product_id', '=', productId).where('location_id', '=', locationId!) : q.where('category', '=', x.category!).where((eb) => (locationId ? eb('location_id', '=', locationId) : eb('location_id', 'is', null)));
    const before = await q.forUpdate().executeTakeFirst();
    const row = before
      ? await trx.updateTable('replenishment_policies').set(values).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto('replenishment_policies').values(values).returningAll().executeTakeFirstOrThrow();
    const key = x.sku ? `${x.sku}@${x.location}` : `category:${x.category}${x.location ? `@${x.location}` : ''}`;
    await audit(trx, actor, before ? 'policy.update' : 'policy.create', 'replenishment_policy', key, before ?? null, row);
    return row;
  });
}

export async function deletePolicy(db: Kysely<DB>, actor: Actor, id: number) {
  return inTransaction(db, async (trx) => {
    const before = await trx.deleteFrom('replenishment_policies').where('id', '=', id).returningAll().executeTakeFirst();
    if (!before) throw new AppError('not_found', `policy ${id} does not exist`, 'id');
    await audit(trx, actor, 'policy.delete', 'replenishment_policy', String(id), before, null);
    return { id, deleted: true };
  });
}
