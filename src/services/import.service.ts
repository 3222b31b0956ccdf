import { basename } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ZodType } from 'zod';
import { appendMovements, BATCH, cleanPendingSearchIndex, ensureCustomers, insertSales, reserveIds, type BulkMovement, type BulkSale } from '../db/repositories/bulk.repository.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { readTable } from './import/readers.ts';
import { canonicalColumns, productRow, salesRow, stockRow, type ProductRow, type SalesRow, type StockRow } from './import/row-schemas.ts';
import { inTransaction } from './transaction.ts';

export type ImportKind = 'products' | 'stock' | 'sales';

export interface BadRow {
  line: number;
  field?: string;
  reason: string;
}

export interface ImportOptions {
  /** Location code for rows without a store/location column. */
  location?: string;
  /** Write the good rows and report the bad ones (default: any bad row → nothing is written). */
  skipBad?: boolean;
  /** Sales only: post even where available stock would go below zero (history imported before a stocktake). */
  allowNegative?: boolean;
  dryRun?: boolean;
  /** The background job running this import (dashboard uploads): recorded with the import, in its transaction. */
  jobId?: number;
}

export interface ImportProgress {
  phase: 'read' | 'write';
  done: number;
  total: number;
}

export interface ImportReport {
  kind: ImportKind;
  file: string;
  rows: number;
  written: number;
  bad: BadRow[];
  committed: boolean;
  ms: number;
}

/**
 * `shelfwise import products|stock|sales FILE`: reads the whole file, validating every row, then writes all
 * good rows in one transaction (so a crash or a kill leaves nothing half-written). Any bad row → nothing is
 * written, unless skipBad.
 */
export class ImportService {
  constructor(private readonly db: Kysely<DB>) {}

  async importFile(actor: Actor, kind: ImportKind, file: string, opts: ImportOptions = {}, onProgress?: (p: ImportProgress) => void): Promise<ImportReport> {
    const t0 = Date.now();
    const schema = { products: productRow, stock: stockRow, sales: salesRow }[kind] as ZodType<any>;
    const { rows, bad } = await this.parse(file, schema, onProgress);
    const ctx = { actor, file: basename(file), opts, bad, onProgress };
    let written = 0;
    const mustStop = () => bad.length > 0 && !opts.skipBad;
    // Reference checks (unknown SKUs, duplicates, stock) run even when some rows failed to parse, so one run
    // reports every problem; the transaction is then rolled back.
    if (rows.length > 0) {
      try {
        written = await inTransaction(this.db, async (trx) => {
          const n =
            kind === 'products'
              ? await this.writeProducts(trx, rows as Parsed<ProductRow>[], ctx)
              : kind === 'stock'
                ? await this.writeStock(trx, rows as Parsed<StockRow>[], ctx)
                : await this.writeSales(trx, rows as Parsed<SalesRow>[], ctx);
          if (mustStop() || opts.dryRun) throw new Rollback();
          await trx.insertInto('imports').values({ kind, file: ctx.file, rows: n, skipped: bad.length, actor: actor.label, started_at: new Date(t0), job_id: opts.jobId ?? null }).execute();
          await audit(trx, actor, `import.${kind}`, 'import', ctx.file, null, { rows: n, skipped: bad.length });
          return n;
        });
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
        written = 0;
      }
    }
    // Fresh planner statistics after a bulk load (PGlite has no autovacuum to do it).
    if (written > 0) {
      if (kind === 'products') await cleanPendingSearchIndex(this.db);
      await sql`analyze`.execute(this.db);
    }
    bad.sort((a, b) => a.line - b.line);
    return { kind, file, rows: rows.length + bad.length, written, bad, committed: written > 0, ms: Date.now() - t0 };
  }

  private async parse<T>(file: string, schema: ZodType<T>, onProgress?: (p: ImportProgress) => void) {
    const rows: Parsed<T>[] = [];
    const bad: BadRow[] = [];
    let lastTick = 0;
    for await (const raw of readTable(file, (read, total) => {
      const now = Date.now();
      if (now - lastTick > 100 || read === total) {
        lastTick = now;
        onProgress?.({ phase: 'read', done: read, total });
      }
    })) {
      if (raw.fieldCountError) {
        bad.push({ line: raw.line, reason: `the row ${raw.fieldCountError}` });
        continue;
      }
      const values = canonicalColumns(raw.values);
      const r = schema.safeParse(values);
      if (r.success) rows.push({ line: raw.line, row: r.data });
      else {
        const i = r.error.issues[0];
        const field = String(i.path[0] ?? '');
        const reason = i.code === 'invalid_type' && values[field] === undefined ? 'is required' : i.message;
        bad.push({ line: raw.line, field, reason: `${field} ${reason}${values[field] !== undefined ? ` (got "${values[field].slice(0, 40)}")` : ''}` });
      }
      if (bad.length > 100_000) throw new AppError('invalid', `more than 100,000 bad rows in ${file}: is it the right kind of file?`, 'file');
    }
    return { rows, bad };
  }

  private async writeProducts(trx: Transaction<DB>, rows: Parsed<ProductRow>[], ctx: Ctx): Promise<number> {
    const seen = new Map<string, number>();
    const suppliers = await refMap(trx, 'suppliers');
    const good: ProductRow[] = [];
    for (const { line, row } of rows) {
      if (seen.has(row.sku)) ctx.bad.push({ line, field: 'sku', reason: `sku ${row.sku} appears twice (first on line ${seen.get(row.sku)})` });
      else if (row.supplier && !suppliers.has(row.supplier)) ctx.bad.push({ line, field: 'supplier', reason: `unknown supplier ${row.supplier}` });
      else {
        seen.set(row.sku, line);
        good.push(row);
      }
    }
    if (ctx.bad.length && !ctx.opts.skipBad) return 0;
    for (let i = 0; i < good.length; i += BATCH) {
      const b = good.slice(i, i + BATCH);
      const col = (k: keyof ProductRow) => b.map((r) => (r[k] ?? null) as string | number | null);
      await sql`insert into products as p (sku, name, barcode, category, subcategory, article_type, brand, style_code, gender, age_group, season, colour, size, usage, price, cost, status, default_supplier_id, source)
        select u.sku, u.name, u.barcode, coalesce(u.category, ''), u.subcategory, u.article_type, u.brand, u.style_code, u.gender, u.age_group, u.season, u.colour, u.size, u.usage,
          coalesce(u.price, 0), coalesce(u.cost, 0), coalesce(u.status, 'active'), u.supplier_id, ${`import:${ctx.file}`}
        from unnest(${col('sku')}::text[], ${col('name')}::text[], ${col('barcode')}::text[], ${col('category')}::text[], ${col('subcategory')}::text[], ${col('article_type')}::text[],
          ${col('brand')}::text[], ${col('style_code')}::text[], ${col('gender')}::text[], ${col('age_group')}::text[], ${col('season')}::text[], ${col('colour')}::text[],
          ${col('size')}::text[], ${col('usage')}::text[], ${col('price')}::numeric[], ${col('cost')}::numeric[], ${col('status')}::text[],
          ${b.map((r) => (r.supplier ? suppliers.get(r.supplier)! : null))}::int[])
          as u(sku, name, barcode, category, subcategory, article_type, brand, style_code, gender, age_group, season, colour, size, usage, price, cost, status, supplier_id)
        on conflict (sku) do update set name = excluded.name,
          barcode = coalesce(excluded.barcode, p.barcode), category = excluded.category, subcategory = coalesce(excluded.subcategory, p.subcategory),
          article_type = coalesce(excluded.article_type, p.article_type), brand = coalesce(excluded.brand, p.brand), style_code = coalesce(excluded.style_code, p.style_code),
          gender = coalesce(excluded.gender, p.gender), age_group = coalesce(excluded.age_group, p.age_group), season = coalesce(excluded.season, p.season),
          colour = coalesce(excluded.colour, p.colour), size = coalesce(excluded.size, p.size), usage = coalesce(excluded.usage, p.usage),
          price = excluded.price, cost = excluded.cost, status = excluded.status, default_supplier_id = coalesce(excluded.default_supplier_id, p.default_supplier_id),
          updated_at = now()`.execute(trx).catch((e) => {
        if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `a barcode in ${ctx.file} already belongs to another product: ${(e as { detail?: string }).detail ?? ''}`, 'barcode');
        throw e;
      });
      ctx.onProgress?.({ phase: 'write', done: Math.min(i + BATCH, good.length), total: good.length });
    }
    return good.length;
  }

  /** Stock files are counts: each row sets on-hand through a stocktake movement (only the difference is posted). */
  private async writeStock(trx: Transaction<DB>, rows: Parsed<StockRow>[], ctx: Ctx): Promise<number> {
    const products = await refMap(trx, 'products');
    const locations = await refMap(trx, 'locations');
    const items: { line: number; productId: number; locationId: number; row: StockRow }[] = [];
    const seen = new Map<string, number>();
    for (const { line, row } of rows) {
      const loc = row.location ?? ctx.opts.location;
      const pid = products.get(row.sku);
      const lid = loc ? locations.get(loc) : undefined;
      const k = `${row.sku}@${loc}`;
      if (!pid) ctx.bad.push({ line, field: 'sku', reason: `unknown SKU ${row.sku}` });
      else if (!loc) ctx.bad.push({ line, field: 'location', reason: 'location is required (a column, or --location)' });
      else if (!lid) ctx.bad.push({ line, field: 'location', reason: `unknown location ${loc}` });
      else if (seen.has(k)) ctx.bad.push({ line, field: 'sku', reason: `${row.sku} at ${loc} appears twice (first on line ${seen.get(k)})` });
      else {
        seen.set(k, line);
        items.push({ line, productId: pid, locationId: lid, row });
      }
    }
    if (ctx.bad.length && !ctx.opts.skipBad) return 0;
    const current = new Map<string, number>();
    for (let i = 0; i < items.length; i += BATCH) {
      const b = items.slice(i, i + BATCH);
      const r = await sql<{ product_id: number; location_id: number; on_hand: number }>`select s.product_id, s.location_id, s.on_hand from stock_levels s
        join unnest(${b.map((x) => x.productId)}::int[], ${b.map((x) => x.locationId)}::int[]) as k(p, l) on s.product_id = k.p and s.location_id = k.l for update of s`.execute(trx);
      for (const x of r.rows) current.set(`${x.product_id}:${x.location_id}`, x.on_hand);
    }
    const cost = await costs(trx);
    const now = new Date();
    const moves: BulkMovement[] = items
      .map((it) => ({ it, delta: it.row.qty - (current.get(`${it.productId}:${it.locationId}`) ?? 0) }))
      .filter((x) => x.delta !== 0)
      .map(({ it, delta }) => ({
        productId: it.productId,
        locationId: it.locationId,
        kind: 'stocktake' as const,
        qty: delta,
        unitCost: it.row.unit_cost ?? cost.get(it.productId) ?? null,
        unitPrice: null,
        reason: `stock import ${ctx.file}`,
        saleId: null,
        occurredAt: now,
      }));
    await appendMovements(trx, moves, ctx.actor, () => undefined);
    const th = items.filter((x) => x.row.low_threshold !== undefined);
    for (let i = 0; i < th.length; i += BATCH) {
      const b = th.slice(i, i + BATCH);
      await sql`insert into stock_levels as s (product_id, location_id, low_threshold)
        select * from unnest(${b.map((x) => x.productId)}::int[], ${b.map((x) => x.locationId)}::int[], ${b.map((x) => x.row.low_threshold!)}::int[])
        on conflict (product_id, location_id) do update set low_threshold = excluded.low_threshold`.execute(trx);
    }
    return items.length;
  }

  private async writeSales(trx: Transaction<DB>, rows: Parsed<SalesRow>[], ctx: Ctx): Promise<number> {
    const products = await refMap(trx, 'products');
    const locations = await refMap(trx, 'locations');
    const prices = await this.prices(trx);
    const cost = await costs(trx);
    type Line = { line: number; productId: number; locationId: number; row: SalesRow };
    const lines: Line[] = [];
    for (const { line, row } of rows) {
      const loc = row.store ?? ctx.opts.location;
      const pid = products.get(row.sku);
      const lid = loc ? locations.get(loc) : undefined;
      if (!pid) ctx.bad.push({ line, field: 'sku', reason: `unknown SKU ${row.sku}` });
      else if (!loc) ctx.bad.push({ line, field: 'store', reason: 'store is required (a column, or --location)' });
      else if (!lid) ctx.bad.push({ line, field: 'store', reason: `unknown store ${loc}` });
      else lines.push({ line, productId: pid, locationId: lid, row });
    }
    if (ctx.bad.length && !ctx.opts.skipBad) return 0;
    // Time order, file order within the same instant (a stable sort).
    lines.sort((a, b) => a.row.date.getTime() - b.row.date.getTime());
    const kept = ctx.opts.allowNegative ? lines : await this.checkAvailability(trx, lines, ctx);
    if (ctx.bad.length && !ctx.opts.skipBad) return 0;
    const customers = await ensureCustomers(trx, [...new Set(kept.map((l) => l.row.customer).filter((c): c is string => !!c))].map((code) => ({ code })));
    // One sale document per (store, order); a row without an order is its own sale.
    const groups = new Map<string, Line[]>();
    kept.forEach((l, i) => {
      const k = l.row.order ? `${l.locationId}|${l.row.order}` : `row|${i}`;
      const g = groups.get(k);
      if (g) g.push(l);
      else groups.set(k, [l]);
    });
    const existing = new Set<string>();
    const refs = [...groups.values()].filter((g) => g[0].row.order);
    for (let i = 0; i < refs.length; i += BATCH) {
      const b = refs.slice(i, i + BATCH);
      const r = await sql<{ location_id: number; order_ref: string }>`select location_id, order_ref from sales s
        join unnest(${b.map((g) => g[0].locationId)}::int[], ${b.map((g) => g[0].row.order!)}::text[]) as k(l, o) on s.location_id = k.l and s.order_ref = k.o`.execute(trx);
      for (const x of r.rows) existing.add(`${x.location_id}|${x.order_ref}`);
    }
    const ids = await reserveIds(trx, 'sales_id_seq', groups.size);
    const sales: BulkSale[] = [];
    const saleOf = new Map<Line, number>();
    let gi = 0;
    for (const [k, g] of groups) {
      if (existing.has(k)) {
        for (const l of g) ctx.bad.push({ line: l.line, field: 'order', reason: `order ${l.row.order} was already imported for this store` });
        gi++;
        continue;
      }
      const id = ids[gi++];
      const first = g[0];
      const total = g.reduce((a, l) => a + l.row.qty * (l.row.price ?? prices.get(l.productId) ?? 0), 0);
      sales.push({ id, locationId: first.locationId, customerId: first.row.customer ? customers.get(first.row.customer)! : null, orderRef: first.row.order ?? null, channel: 'import', occurredAt: first.row.date, total: Math.round(total * 100) / 100 });
      for (const l of g) saleOf.set(l, id);
    }
    if (ctx.bad.length && !ctx.opts.skipBad) return 0;
    const total = kept.length;
    let done = 0;
    const tick = (n: number) => {
      done += n;
      ctx.onProgress?.({ phase: 'write', done: Math.min(done, total), total });
    };
    await insertSales(trx, sales, ctx.actor.id);
    const moves: BulkMovement[] = kept
      .filter((l) => saleOf.has(l))
      .map((l) => ({
        productId: l.productId,
        locationId: l.locationId,
        kind: l.row.qty > 0 ? ('sale' as const) : ('return' as const),
        qty: -l.row.qty,
        unitCost: cost.get(l.productId) ?? null,
        unitPrice: l.row.price ?? prices.get(l.productId) ?? null,
        reason: l.row.promo === '1' ? 'promo' : null,
        saleId: saleOf.get(l)!,
        occurredAt: l.row.date,
      }));
    await appendMovements(trx, moves, ctx.actor, tick);
    return moves.length;
  }

  /** Drops (and reports) rows that would take available stock below zero where the location does not allow it. */
  private async checkAvailability<L extends { line: number; productId: number; locationId: number; row: SalesRow }>(trx: Transaction<DB>, lines: L[], ctx: Ctx): Promise<L[]> {
    const avail = new Map<string, number>();
    const r = await sql<{ product_id: number; location_id: number; available: number }>`select product_id, location_id, on_hand - reserved as available from stock_levels`.execute(trx);
    for (const x of r.rows) avail.set(`${x.product_id}:${x.location_id}`, x.available);
    const neg = new Set((await trx.selectFrom('locations').select('id').where('allow_negative', '=', true).execute()).map((l) => l.id));
    const out: L[] = [];
    for (const l of lines) {
      const k = `${l.productId}:${l.locationId}`;
      const a = avail.get(k) ?? 0;
      if (l.row.qty > 0 && a - l.row.qty < 0 && !neg.has(l.locationId)) {
        ctx.bad.push({ line: l.line, field: 'qty', reason: `selling ${l.row.qty} of ${l.row.sku} on ${l.row.date.toISOString().slice(0, 10)} would take available stock below zero (${a} available); import stock first, or pass --allow-negative for history` });
        continue;
      }
      avail.set(k, a - l.row.qty);
      out.push(l);
    }
    return out;
  }

  private async prices(trx: Transaction<DB>) {
    const r = await trx.selectFrom('products').select(['id', 'price']).execute();
    return new Map(r.map((x) => [x.id, x.price]));
  }
}

type Parsed<T> = { line: number; row: T };
type Ctx = { actor: Actor; file: string; opts: ImportOptions; bad: BadRow[]; onProgress?: (p: ImportProgress) => void };
class Rollback extends Error {}

async function refMap(trx: Transaction<DB>, table: 'products' | 'locations' | 'suppliers'): Promise<Map<string, number>> {
  if (table === 'products') return new Map((await trx.selectFrom('products').select(['id', 'sku']).execute()).map((x) => [x.sku, x.id]));
  return new Map((await trx.selectFrom(table).select(['id', 'code']).execute()).map((x) => [x.code, x.id]));
}

async function costs(trx: Transaction<DB>) {
  return new Map((await trx.selectFrom('products').select(['id', 'cost']).execute()).map((x) => [x.id, x.cost]));
}
