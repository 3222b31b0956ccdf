/**
 * Supplier quality from inspections: defect rate per supplier and product over time (final human calls over
 * inspected units), the alert when a supplier's rate over the window passes the threshold, credit-note lines.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { defectRate, qualityAlert, weekRange, weekStart } from '../domain/inspection/quality.ts';
import { AppError } from '../errors.ts';
import { readInspectionSettings, type InspectionSettings } from './inspection-settings.ts';

type Db = Kysely<DB> | Transaction<DB>;

async function windowCounts(db: Db, supplierId: number, days: number, now = new Date()) {
  const r = await sql<{ inspected: number; defective: number }>`
    select count(*)::int as inspected, count(*) filter (where i.final_defective)::int as defective
    from inspections i join inspection_batches b on b.id = i.batch_id
    where b.supplier_id = ${supplierId} and i.final_defective is not null and i.decided_at > ${new Date(now.getTime() - days * 86_400_000)}`.execute(db);
  return r.rows[0];
}

/**
 * Opens a 'supplier_quality' alert when the supplier's rate over the window passes the threshold and none is open
 * for that supplier (an advisory lock per supplier keeps two closing batches from both opening one).
 */
export async function checkSupplierAlert(trx: Transaction<DB>, supplierId: number, s: InspectionSettings): Promise<boolean> {
  const c = await windowCounts(trx, supplierId, s.alertWindowDays);
  if (!qualityAlert(c, { threshold: s.alertThreshold, minInspected: s.alertMinInspected })) return false;
  await sql`select pg_advisory_xact_lock(hashtext('supplier_quality'), ${supplierId})`.execute(trx);
  const sup = await trx.selectFrom('suppliers').select(['code', 'name']).where('id', '=', supplierId).executeTakeFirstOrThrow();
  const open = await trx
    .selectFrom('alerts')
    .select('id')
    .where('kind', '=', 'supplier_quality')
    .where('acknowledged_at', 'is', null)
    .where(sql<boolean>`data->>'supplier' = ${sup.code}`)
    .executeTakeFirst();
  if (open) return false;
  const rate = c.defective / c.inspected;
  await trx
    .insertInto('alerts')
    .values({
      kind: 'supplier_quality',
      severity: 'warning',
      message: `Supplier ${sup.code} (${sup.name}): ${(rate * 100).toFixed(1)} % of ${c.inspected} inspected units defective in the last ${s.alertWindowDays} days (threshold ${(s.alertThreshold * 100).toFixed(1)} %)`,
      data: JSON.stringify({ supplier: sup.code, inspected: c.inspected, defective: c.defective, rate, threshold: s.alertThreshold, windowDays: s.alertWindowDays }),
    })
    .execute();
  return true;
}

/** What purchase-order drafting shows next to a supplier: its rate over the alert window and over all time. */
export async function supplierQuality(db: Kysely<DB>, code: string, now = new Date()) {
  const sup = await db.selectFrom('suppliers').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!sup) throw new AppError('not_found', `unknown supplier ${code}`, 'code');
  const s = await readInspectionSettings(db);
  const [win, all, open] = await Promise.all([
    windowCounts(db, sup.id, s.alertWindowDays, now),
    windowCounts(db, sup.id, 365_000, now),
    db.selectFrom('alerts').select(['id', 'message', 'created_at as createdAt']).where('kind', '=', 'supplier_quality').where('acknowledged_at', 'is', null).where(sql<boolean>`data->>'supplier' = ${code}`).executeTakeFirst(),
  ]);
  const w = defectRate(win);
  return {
    supplier: sup.code,
    name: sup.name,
    windowDays: s.alertWindowDays,
    window: w,
    allTime: defectRate(all),
    threshold: s.alertThreshold,
    minInspected: s.alertMinInspected,
    aboveThreshold: qualityAlert(win, { threshold: s.alertThreshold, minInspected: s.alertMinInspected }),
    openAlert: open ?? null,
  };
}

/** Weekly defect rate per supplier (chart) and per supplier × product over the period (table). */
export async function qualityReport(db: Kysely<DB>, q: { supplier?: string; sku?: string; weeks?: number }, now = new Date()) {
  const weeks = q.weeks ?? 26;
  const since = new Date(Date.parse(`${weekStart(now)}T00:00:00Z`) - (weeks - 1) * 7 * 86_400_000);
  const filters = sql`i.final_defective is not null and i.decided_at >= ${since}
    ${q.supplier ? sql`and s.code = ${q.supplier}` : sql``} ${q.sku ? sql`and p.sku = ${q.sku}` : sql``}`;
  const [weekly, byProduct] = await Promise.all([
    sql<{ supplier: string; week: string; inspected: number; defective: number }>`
      select s.code as supplier, to_char(date_trunc('week', i.decided_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
        count(*)::int as inspected, count(*) filter (where i.final_defective)::int as defective
      from inspections i join inspection_batches b on b.id = i.batch_id join suppliers s on s.id = b.supplier_id join products p on p.id = b.product_id
      where ${filters} group by 1, 2 order by 1, 2`.execute(db),
    sql<{ supplier: string; sku: string; name: string; batches: number; inspected: number; defective: number; overridden: number; received: number; quarantined: number }>`
      select s.code as supplier, p.sku, p.name, count(distinct b.id)::int as batches, count(*)::int as inspected,
        count(*) filter (where i.final_defective)::int as defective,
        count(*) filter (where i.model_defective is not null and i.model_defective <> i.final_defective)::int as overridden,
        (select coalesce(sum(b2.qty_received), 0)::int from inspection_batches b2 where b2.supplier_id = s.id and b2.product_id = p.id and b2.created_at >= ${since}) as received,
        (select coalesce(sum(b2.defective_qty), 0)::int from inspection_batches b2 where b2.supplier_id = s.id and b2.product_id = p.id and b2.created_at >= ${since}) as quarantined
      from inspections i join inspection_batches b on b.id = i.batch_id join suppliers s on s.id = b.supplier_id join products p on p.id = b.product_id
      where ${filters} group by s.id, s.code, p.id, p.sku, p.name order by 1, 2`.execute(db),
  ]);
  const days = weekRange(weekStart(since), weekStart(now));
  const suppliers = [...new Set(weekly.rows.map((r) => r.supplier))];
  const series = suppliers.map((code) => {
    const m = new Map(weekly.rows.filter((r) => r.supplier === code).map((r) => [r.week, r]));
    return { supplier: code, points: days.map((d) => (m.has(d) ? defectRate(m.get(d)!) : null)) };
  });
  const s = await readInspectionSettings(db);
  return {
    weeks: days,
    series,
    products: byProduct.rows.map((r) => ({ ...r, ...defectRate(r) })),
    threshold: s.alertThreshold,
  };
}

export async function creditLines(db: Kysely<DB>, q: { supplier?: string; limit?: number }) {
  let s = db
    .selectFrom('supplier_credit_lines as c')
    .innerJoin('suppliers as s', 's.id', 'c.supplier_id')
    .innerJoin('products as p', 'p.id', 'c.product_id')
    .select(['c.id', 's.code as supplier', 'p.sku', 'c.batch_id as batchId', 'c.po_id as poId', 'c.po_line_id as poLineId', 'c.movement_id as movementId', 'c.qty', 'c.unit_cost as unitCost', 'c.amount', 'c.reason', 'c.actor', 'c.created_at as createdAt'])
    .orderBy('c.id', 'desc')
    .limit(q.limit ?? 100);
  if (q.supplier) s = s.where('s.code', '=', q.supplier);
  return s.execute();
}
