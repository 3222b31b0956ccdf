import type { Kysely } from 'kysely';
import type { DB, Gender, NewProduct, Product } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export interface ProductInput {
  sku: string;
  name: string;
  barcode?: string | null;
  category?: string;
  subcategory?: string | null;
  articleType?: string | null;
  brand?: string | null;
  styleCode?: string | null;
  gender?: Gender | null;
  ageGroup?: string | null;
  season?: string | null;
  colour?: string | null;
  size?: string | null;
  usage?: string | null;
  price?: number;
  cost?: number;
  status?: 'active' | 'discontinued';
  defaultSupplier?: string | null;
  attributes?: Record<string, unknown>;
}

export interface ProductView {
  id: number;
  sku: string;
  barcode: string | null;
  name: string;
  category: string;
  subcategory: string | null;
  articleType: string | null;
  brand: string | null;
  styleCode: string | null;
  gender: Gender | null;
  ageGroup: string | null;
  season: string | null;
  colour: string | null;
  size: string | null;
  usage: string | null;
  price: number;
  cost: number;
  status: 'active' | 'discontinued';
  defaultSupplierId: number | null;
  attributes: Record<string, unknown>;
  source: string | null;
  updatedAt: Date;
}

export function productView(p: Product): ProductView {
  return {
    id: p.id,
    sku: p.sku,
    barcode: p.barcode,
    name: p.name,
    category: p.category,
    subcategory: p.subcategory,
    articleType: p.article_type,
    brand: p.brand,
    styleCode: p.style_code,
    gender: p.gender,
    ageGroup: p.age_group,
    season: p.season,
    colour: p.colour,
    size: p.size,
    usage: p.usage,
    price: p.price,
    cost: p.cost,
    status: p.status,
    defaultSupplierId: p.default_supplier_id,
    attributes: p.attributes,
    source: p.source,
    updatedAt: p.updated_at,
  };
}

export function productColumns(p: Partial<ProductInput>, supplierId?: number | null): Partial<NewProduct> {
  const out: Partial<NewProduct> = {};
  const set = <K extends keyof NewProduct>(k: K, v: NewProduct[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('sku', p.sku);
  set('name', p.name);
  set('barcode', p.barcode);
  set('category', p.category);
  set('subcategory', p.subcategory);
  set('article_type', p.articleType);
  set('brand', p.brand);
  set('style_code', p.styleCode);
  set('gender', p.gender);
  set('age_group', p.ageGroup);
  set('season', p.season);
  set('colour', p.colour);
  set('size', p.size);
  set('usage', p.usage);
  set('price', p.price);
  set('cost', p.cost);
  set('status', p.status);
  if (p.attributes !== undefined) out.attributes = JSON.stringify(p.attributes);
  if (supplierId !== undefined) out.default_supplier_id = supplierId;
  return out;
}

export class CatalogService {
  constructor(private readonly db: Kysely<DB>) {}

  async getProduct(sku: string): Promise<ProductView> {
    const p = await this.db.selectFrom('products').selectAll().where('sku', '=', sku).executeTakeFirst();
    if (!p) throw new AppError('not_found', `unknown SKU ${sku}`, 'sku');
    return productView(p);
  }

  async createProduct(actor: Actor, input: ProductInput): Promise<ProductView> {
    return inTransaction(this.db, async (trx) => {
      const supplierId = input.defaultSupplier ? await this.supplierId(trx, input.defaultSupplier) : null;
      const p = await trx
        .insertInto('products')
        .values({ ...(productColumns(input, supplierId) as NewProduct), source: 'manual' })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(uniqueToConflict);
      await audit(trx, actor, 'product.create', 'product', p.sku, null, productView(p));
      return productView(p);
    });
  }

  async updateProduct(actor: Actor, sku: string, patch: Partial<ProductInput>): Promise<ProductView> {
    return inTransaction(this.db, async (trx) => {
      const before = await trx.selectFrom('products').selectAll().where('sku', '=', sku).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('not_found', `unknown SKU ${sku}`, 'sku');
      const supplierId = patch.defaultSupplier === undefined ? undefined : patch.defaultSupplier ? await this.supplierId(trx, patch.defaultSupplier) : null;
      const cols = productColumns(patch, supplierId);
      const after = await trx
        .updateTable('products')
        .set({ ...cols, updated_at: new Date() })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(uniqueToConflict);
      const b = productView(before);
      const a = productView(after);
      const changed = Object.keys(a).filter((k) => k !== 'updatedAt' && JSON.stringify((a as any)[k]) !== JSON.stringify((b as any)[k]));
      await audit(trx, actor, changed.includes('price') ? 'product.price' : 'product.update', 'product', sku, pick(b, changed), pick(a, changed));
      return a;
    });
  }

  async listLocations() {
    const ls = await this.db.selectFrom('locations').selectAll().orderBy('code').execute();
    const zones = await this.db.selectFrom('zones').selectAll().orderBy('code').execute();
    return ls.map((l) => ({
      id: l.id,
      code: l.code,
      name: l.name,
      kind: l.kind,
      allowNegative: l.allow_negative,
      zones: zones.filter((z) => z.location_id === l.id).map((z) => ({ code: z.code, name: z.name, kind: z.kind, visibility: z.visibility, capacity: z.capacity })),
    }));
  }

  async createLocation(actor: Actor, l: { code: string; name: string; kind: 'store' | 'warehouse' | 'quarantine'; allowNegative?: boolean }) {
    return inTransaction(this.db, async (trx) => {
      const row = await trx
        .insertInto('locations')
        .values({ code: l.code, name: l.name, kind: l.kind, allow_negative: l.allowNegative ?? false })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(uniqueToConflict);
      await audit(trx, actor, 'location.create', 'location', row.code, null, row);
      return { id: row.id, code: row.code, name: row.name, kind: row.kind, allowNegative: row.allow_negative, zones: [] };
    });
  }

  async addZone(actor: Actor, location: string, z: { code: string; name: string; kind?: string; visibility?: number; capacity?: number | null }) {
    return inTransaction(this.db, async (trx) => {
      const loc = await trx.selectFrom('locations').select(['id', 'kind']).where('code', '=', location).executeTakeFirst();
      if (!loc) throw new AppError('not_found', `unknown location ${location}`, 'location');
      if (loc.kind !== 'store') throw new AppError('invalid', 'only stores have zones', 'location');
      const row = await trx
        .insertInto('zones')
        .values({ location_id: loc.id, code: z.code, name: z.name, kind: z.kind ?? 'floor', visibility: z.visibility ?? 1, capacity: z.capacity ?? null })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(uniqueToConflict);
      await audit(trx, actor, 'zone.create', 'zone', `${location}/${row.code}`, null, row);
      return { code: row.code, name: row.name, kind: row.kind, visibility: row.visibility, capacity: row.capacity };
    });
  }

  async listSuppliers() {
    const rows = await this.db.selectFrom('suppliers').selectAll().orderBy('code').execute();
    return rows.map(supplierView);
  }

  async upsertSupplier(
    actor: Actor,
    s: { code: string; name: string; email?: string | null; currency?: string; leadTimeDays?: number; leadTimeSdDays?: number; moq?: number; packSize?: number; minOrderValue?: number },
  ) {
    return inTransaction(this.db, async (trx) => {
      const before = await trx.selectFrom('suppliers').selectAll().where('code', '=', s.code).executeTakeFirst();
      const values = {
        code: s.code,
        name: s.name,
        email: s.email ?? null,
        currency: s.currency ?? before?.currency ?? 'GBP',
        lead_time_days: s.leadTimeDays ?? before?.lead_time_days ?? 7,
        lead_time_sd_days: s.leadTimeSdDays ?? before?.lead_time_sd_days ?? 0,
        moq: s.moq ?? before?.moq ?? 1,
        pack_size: s.packSize ?? before?.pack_size ?? 1,
        min_order_value: s.minOrderValue ?? before?.min_order_value ?? 0,
      };
      const row = await trx
        .insertInto('suppliers')
        .values(values)
        .onConflict((oc) => oc.column('code').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, before ? 'supplier.update' : 'supplier.create', 'supplier', s.code, before ?? null, row);
      return supplierView(row);
    });
  }

  async setSupplierCost(actor: Actor, supplier: string, sku: string, c: { unitCost: number; supplierSku?: string | null; moq?: number | null; packSize?: number | null }) {
    return inTransaction(this.db, async (trx) => {
      const sid = await this.supplierId(trx, supplier);
      const p = await trx.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirst();
      if (!p) throw new AppError('not_found', `unknown SKU ${sku}`, 'sku');
      const values = { unit_cost: c.unitCost, supplier_sku: c.supplierSku ?? null, moq: c.moq ?? null, pack_size: c.packSize ?? null };
      await trx
        .insertInto('supplier_products')
        .values({ supplier_id: sid, product_id: p.id, ...values })
        .onConflict((oc) => oc.columns(['supplier_id', 'product_id']).doUpdateSet(values))
        .execute();
      await audit(trx, actor, 'supplier.cost', 'supplier_product', `${supplier}/${sku}`, null, values);
      return { supplier, sku, unitCost: c.unitCost, supplierSku: values.supplier_sku, moq: values.moq, packSize: values.pack_size };
    });
  }

  private async supplierId(trx: Kysely<DB>, code: string): Promise<number> {
    const s = await trx.selectFrom('suppliers').select('id').where('code', '=', code).executeTakeFirst();
    if (!s) throw new AppError('not_found', `unknown supplier ${code}`, 'defaultSupplier');
    return s.id;
  }
}

function supplierView(r: { id: number; code: string; name: string; email: string | null; currency: string; lead_time_days: number; lead_time_sd_days: number; moq: number; pack_size: number; min_order_value: number }) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    email: r.email,
    currency: r.currency,
    leadTimeDays: r.lead_time_days,
    leadTimeSdDays: r.lead_time_sd_days,
    moq: r.moq,
    packSize: r.pack_size,
    minOrderValue: r.min_order_value,
  };
}

function pick(o: object, keys: string[]) {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}

export function uniqueToConflict(e: unknown): never {
  const err = e as { code?: string; detail?: string; constraint?: string };
  if (err.code === '23505') {
    const m = /Key \((.+?)\)=\((.*?)\)/.exec(err.detail ?? '');
    throw new AppError('conflict', m ? `${m[1]} ${m[2]} already exists` : 'already exists', m?.[1]);
  }
  throw e;
}
