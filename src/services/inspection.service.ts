import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { InspectionsTable } from '../db/schema/inspection.ts';
import { lotOutcome, planSample, type SamplingPlan } from '../domain/inspection/sampling.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { AppServices } from './index.ts';
import { classifyPhoto, warmUpClassifier, type Classification } from './inspection-classifier.ts';
import { deletePhoto, photoDir, readPhoto, savePhoto } from './inspection-photos.ts';
import { checkSupplierAlert } from './inspection-quality.service.ts';
import { readInspectionSettings, writeInspectionSettings, type InspectionSettings } from './inspection-settings.ts';
import type { InventoryService } from './inventory.service.ts';
import { purchaseOrderServiceOf, type PurchaseOrderService } from './purchase-order.service.ts';
import { idempotent, inTransaction } from './transaction.ts';

type Trx = Transaction<DB>;

/** Largest photo accepted (bytes of the JPEG/PNG file). The dashboard downscales camera photos before upload. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export interface OpenBatchInput {
  supplier: string;
  sku: string;
  location: string;
  qty: number;
  /** Default: the store's sampling setting. */
  sampling?: SamplingPlan;
  /** Purchase-order references: filled when #5's receiving calls this service. */
  poId?: number;
  poLineId?: number;
  reference?: string;
}

const cache = new WeakMap<AppServices, InspectionService>();
/** The inspection service of an AppServices (shared by the API, the CLI and jobs). */
export function inspectionServiceOf(services: AppServices): InspectionService {
  let s = cache.get(services);
  if (!s) {
    cache.set(services, (s = new InspectionService(services.database.db, services.inventory, purchaseOrderServiceOf(services))));
    setTimeout(warmUpClassifier, 0).unref(); // first use (e.g. the Receiving page loads): warm before the first photo
  }
  return s;
}

/**
 * Receiving inspection: a batch (one product from one supplier into one location, with a sampling plan), a photo
 * per inspected unit classified by the model, a human final call on each, then closing the batch receives the good
 * units into the location and the defective ones into quarantine (one transaction, through the ledger); from
 * quarantine they are returned to the supplier (with a credit-note line) or written off.
 */
export class InspectionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly inventory: InventoryService,
    /** Receives a batch that names a PO line through the PO, so good and defective units count against the line. */
    private readonly purchaseOrders?: Pick<PurchaseOrderService, 'receiveLinesIn'>,
    private readonly photos = photoDir(),
  ) {}

  settings(): Promise<InspectionSettings> {
    return readInspectionSettings(this.db);
  }

  updateSettings(actor: Actor, patch: Partial<InspectionSettings>) {
    return writeInspectionSettings(this.db, actor, patch);
  }

  async openBatch(actor: Actor, input: OpenBatchInput, key?: string) {
    const { result } = await idempotent(this.db, actor, key, { op: 'inspection.open', ...input }, async (trx) => {
      const settings = await readInspectionSettings(trx);
      const plan = planSample(input.qty, input.sampling ?? settings.sampling);
      const supplier = await trx.selectFrom('suppliers').select(['id', 'code']).where('code', '=', input.supplier).executeTakeFirst();
      if (!supplier) throw new AppError('not_found', `unknown supplier ${input.supplier}`, 'supplier');
      const product = await trx.selectFrom('products').select(['id']).where('sku', '=', input.sku).executeTakeFirst();
      if (!product) throw new AppError('not_found', `unknown SKU ${input.sku}`, 'sku');
      const location = await trx.selectFrom('locations').select(['id', 'kind']).where('code', '=', input.location).executeTakeFirst();
      if (!location) throw new AppError('not_found', `unknown location ${input.location}`, 'location');
      if (location.kind === 'quarantine') throw new AppError('invalid', 'receive into a store or warehouse; defective units go to quarantine by themselves', 'location');
      const quarantine = await this.quarantineOf(trx, settings);
      if (input.poLineId !== undefined) await checkPoLine(trx, input, supplier.id, product.id);
      const row = await trx
        .insertInto('inspection_batches')
        .values({
          supplier_id: supplier.id,
          product_id: product.id,
          location_id: location.id,
          quarantine_location_id: quarantine.id,
          qty_received: input.qty,
          plan: plan.plan,
          sample_size: plan.sampleSize,
          accept_max: plan.acceptMax,
          po_id: input.poId ?? null,
          po_line_id: input.poLineId ?? null,
          reference: input.reference ?? null,
          actor_id: actor.id,
          actor: actor.label,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, actor, 'inspection.open', 'inspection_batch', row.id, null, { ...input, ...plan });
      return row.id;
    });
    return this.getBatch(result);
  }

  /** Classifies one photo of a unit of an open batch and records the model's call (the human decides next). */
  async inspectPhoto(actor: Actor, batchId: number, bytes: Uint8Array) {
    if (bytes.byteLength === 0) throw new AppError('invalid', 'the photo is empty', 'photo');
    if (bytes.byteLength > MAX_PHOTO_BYTES) throw new AppError('invalid', `the photo is ${(bytes.byteLength / 1048576).toFixed(1)} MB; at most ${MAX_PHOTO_BYTES / 1048576} MB`, 'photo');
    await this.openBatchRow(this.db, batchId); // fail fast before the classifier runs
    const c = classifyPhoto(bytes);
    let saved: string | null = null;
    try {
      const id = await inTransaction(this.db, async (trx) => {
        const b = await this.openBatchRow(trx, batchId, true);
        const n = await trx.selectFrom('inspections').select(sql<number>`count(*)::int`.as('n')).where('batch_id', '=', batchId).executeTakeFirstOrThrow();
        if (n.n >= b.sample_size) throw new AppError('conflict', `all ${b.sample_size} sampled units of batch ${batchId} are inspected already`);
        const settings = await readInspectionSettings(trx);
        const ins = await trx
          .insertInto('inspections')
          .values({
            batch_id: batchId,
            model_defective: c.defective,
            model_p: c.pDefective,
            model_confidence: c.confidence,
            model_region: c.region ? JSON.stringify(c.region) : null,
            model_version: c.modelVersion,
            model_ms: c.ms,
            actor: actor.label,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (settings.keepPhotos) {
          saved = savePhoto(ins.id, batchId, bytes, this.photos);
          await trx
            .updateTable('inspections')
            .set({ photo_path: saved, photo_bytes: bytes.byteLength, photo_expires_at: new Date(Date.now() + settings.photoRetentionDays * 86_400_000) })
            .where('id', '=', ins.id)
            .execute();
        }
        return ins.id;
      });
      return this.getInspection(id);
    } catch (e) {
      if (saved) deletePhoto(saved, this.photos);
      throw e;
    }
  }

  /** The human's final call on an inspected unit (confirm or override the model); can change until the batch closes. */
  async decide(actor: Actor, inspectionId: number, d: { defective: boolean; note?: string }) {
    await inTransaction(this.db, async (trx) => {
      const ins = await trx.selectFrom('inspections').select(['batch_id', 'final_defective', 'model_defective']).where('id', '=', inspectionId).executeTakeFirst();
      if (!ins) throw new AppError('not_found', `inspection ${inspectionId} does not exist`, 'id');
      await this.openBatchRow(trx, ins.batch_id, true);
      await trx
        .updateTable('inspections')
        .set({ final_defective: d.defective, decided_by: actor.label, decided_at: new Date(), note: d.note ?? null })
        .where('id', '=', inspectionId)
        .execute();
      await audit(trx, actor, 'inspection.decide', 'inspection', inspectionId, { final_defective: ins.final_defective }, { final_defective: d.defective, model_defective: ins.model_defective, note: d.note ?? null });
    });
    return this.getInspection(inspectionId);
  }

  /** Records a unit judged without a photo (e.g. the camera is broken): a human call only, no model call. */
  async inspectManually(actor: Actor, batchId: number, d: { defective: boolean; note?: string }) {
    const id = await inTransaction(this.db, async (trx) => {
      const b = await this.openBatchRow(trx, batchId, true);
      const n = await trx.selectFrom('inspections').select(sql<number>`count(*)::int`.as('n')).where('batch_id', '=', batchId).executeTakeFirstOrThrow();
      if (n.n >= b.sample_size) throw new AppError('conflict', `all ${b.sample_size} sampled units of batch ${batchId} are inspected already`);
      const r = await trx
        .insertInto('inspections')
        .values({ batch_id: batchId, final_defective: d.defective, decided_by: actor.label, decided_at: new Date(), note: d.note ?? 'no photo', actor: actor.label })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, actor, 'inspection.decide', 'inspection', r.id, null, { final_defective: d.defective, model_defective: null, note: d.note ?? 'no photo' });
      return r.id;
    });
    return this.getInspection(id);
  }

  /**
   * Closes a batch once every sampled unit has a final call: good units are received into the target location,
   * defective ones (or the whole lot when the sample rejects it) into quarantine, in one transaction.
   */
  async close(actor: Actor, batchId: number, key?: string) {
    await idempotent(this.db, actor, key, { op: 'inspection.close', batchId }, async (trx) => {
      const b = await this.openBatchRow(trx, batchId, true);
      const calls = await trx.selectFrom('inspections').select(['id', 'final_defective']).where('batch_id', '=', batchId).orderBy('id').execute();
      const undecided = calls.filter((c) => c.final_defective === null);
      if (undecided.length) throw new AppError('conflict', `inspection ${undecided.map((u) => `#${u.id}`).join(', ')} has no final call yet: confirm or override the model first`);
      const out = lotOutcome(b.qty_received, { plan: b.plan, sampleSize: b.sample_size, acceptMax: b.accept_max }, calls.map((c) => c.final_defective!));
      const names = await this.names(trx, b);
      const ref = `inspection batch #${batchId}${b.po_id ? ` (PO ${b.po_id}${b.po_line_id ? ` line ${b.po_line_id}` : ''})` : b.reference ? ` (${b.reference})` : ''}`;
      const bad = calls.filter((c) => c.final_defective).map((c) => `#${c.id}`);
      const lines: { purpose: 'receive_good' | 'quarantine'; sku: string; location: string; kind: 'receipt'; qty: number; unitCost: number; reason: string }[] = [];
      if (out.good > 0) lines.push({ purpose: 'receive_good' as const, sku: names.sku, location: names.location, kind: 'receipt' as const, qty: out.good, unitCost: names.unitCost, reason: `${ref}: ${out.good} of ${b.qty_received} passed inspection from ${names.supplier}` });
      if (out.defective > 0)
        lines.push({
          purpose: 'quarantine' as const,
          sku: names.sku,
          location: names.quarantine,
          kind: 'receipt' as const,
          qty: out.defective,
          unitCost: names.unitCost,
          reason: out.lotRejected
            ? `${ref}: lot rejected (${bad.length} of ${b.sample_size} sampled defective > ${b.accept_max}; inspections ${bad.join(', ')}) from ${names.supplier}`
            : `${ref}: defective at inspection ${bad.join(', ')} from ${names.supplier}`,
        });
      // A batch from a PO line is received through the PO (the line's received quantity, its unit cost, the PO's
      // status); otherwise straight into the ledger.
      const moves =
        b.po_id && b.po_line_id && this.purchaseOrders
          ? (await this.purchaseOrders.receiveLinesIn(trx, actor, b.po_id, lines.map((l) => ({ lineId: b.po_line_id!, qty: l.qty, locationCode: l.location, note: l.reason })))).movements
          : await this.inventory.postMovementsIn(trx, actor, lines);
      if (moves.length) await trx.insertInto('inspection_movements').values(moves.map((m, i) => ({ batch_id: batchId, movement_id: m.id, purpose: lines[i].purpose }))).execute();
      await trx
        .updateTable('inspection_batches')
        .set({ status: 'closed', lot_rejected: out.lotRejected, good_qty: out.good, defective_qty: out.defective, closed_at: new Date() })
        .where('id', '=', batchId)
        .execute();
      await audit(trx, actor, 'inspection.close', 'inspection_batch', batchId, { status: 'open' }, { status: 'closed', ...out, movements: moves.map((m) => m.id) });
      await checkSupplierAlert(trx, b.supplier_id, await readInspectionSettings(trx));
      return batchId;
    });
    return this.getBatch(batchId);
  }

  /** Units leave quarantine: back to the supplier (a return_to_supplier movement and a credit-note line) or written off. */
  async dispose(actor: Actor, batchId: number, d: { action: 'return_to_supplier' | 'write_off'; qty: number; reason?: string }, key?: string) {
    if (!Number.isInteger(d.qty) || d.qty <= 0) throw new AppError('invalid', 'quantity must be a positive integer', 'qty');
    const { result } = await idempotent(this.db, actor, key, { op: 'inspection.dispose', batchId, ...d }, async (trx) => {
      const b = await trx.selectFrom('inspection_batches').selectAll().where('id', '=', batchId).forUpdate().executeTakeFirst();
      if (!b) throw new AppError('not_found', `inspection batch ${batchId} does not exist`, 'id');
      if (b.status !== 'closed') throw new AppError('conflict', `batch ${batchId} is still open: close it first`);
      const left = (b.defective_qty ?? 0) - b.returned_qty - b.written_off_qty;
      if (d.qty > left) throw new AppError('invalid', `only ${left} unit(s) of batch ${batchId} are left in quarantine`, 'qty');
      const names = await this.names(trx, b);
      const why = d.reason ?? (d.action === 'return_to_supplier' ? 'defective at receiving inspection' : 'defective, not returnable');
      const [mv] = await this.inventory.postMovementsIn(trx, actor, [
        { sku: names.sku, location: names.quarantine, kind: d.action, qty: -d.qty, unitCost: names.unitCost, reason: `inspection batch #${batchId}: ${d.action === 'return_to_supplier' ? `returned to ${names.supplier}` : 'written off'}: ${why}` },
      ]);
      await trx.insertInto('inspection_movements').values({ batch_id: batchId, movement_id: mv.id, purpose: d.action }).execute();
      await trx
        .updateTable('inspection_batches')
        .set(d.action === 'return_to_supplier' ? { returned_qty: b.returned_qty + d.qty } : { written_off_qty: b.written_off_qty + d.qty })
        .where('id', '=', batchId)
        .execute();
      let credit = null;
      if (d.action === 'return_to_supplier') {
        credit = await trx
          .insertInto('supplier_credit_lines')
          .values({ supplier_id: b.supplier_id, batch_id: batchId, product_id: b.product_id, po_id: b.po_id, po_line_id: b.po_line_id, movement_id: mv.id, qty: d.qty, unit_cost: names.unitCost, amount: Math.round(d.qty * names.unitCost * 100) / 100, reason: why, actor: actor.label })
          .returning(['id', 'qty', 'unit_cost as unitCost', 'amount'])
          .executeTakeFirstOrThrow();
      }
      await audit(trx, actor, `inspection.${d.action}`, 'inspection_batch', batchId, { inQuarantine: left }, { inQuarantine: left - d.qty, movement: mv.id, credit: credit?.id ?? null });
      return { batchId, movement: mv, credit };
    });
    return result;
  }

  async getBatch(id: number) {
    const b = await this.batchQuery().where('b.id', '=', id).executeTakeFirst();
    if (!b) throw new AppError('not_found', `inspection batch ${id} does not exist`, 'id');
    const [inspections, movements, credits] = await Promise.all([
      this.db.selectFrom('inspections').selectAll().where('batch_id', '=', id).orderBy('id').execute(),
      this.db
        .selectFrom('inspection_movements as im')
        .innerJoin('stock_movements as m', 'm.id', 'im.movement_id')
        .innerJoin('locations as l', 'l.id', 'm.location_id')
        .select(['m.id', 'im.purpose', 'm.kind', 'm.qty', 'l.code as location', 'm.reason', 'm.occurred_at as occurredAt'])
        .where('im.batch_id', '=', id)
        .orderBy('m.id')
        .execute(),
      this.db.selectFrom('supplier_credit_lines').select(['id', 'qty', 'unit_cost as unitCost', 'amount', 'reason', 'created_at as createdAt', 'movement_id as movementId']).where('batch_id', '=', id).orderBy('id').execute(),
    ]);
    return { ...batchView(b), inspections: inspections.map(inspectionView), movements, credits };
  }

  async listBatches(q: { status?: 'open' | 'closed'; supplier?: string; quarantined?: boolean; limit?: number }) {
    let s = this.batchQuery().orderBy('b.id', 'desc').limit(q.limit ?? 50);
    if (q.status) s = s.where('b.status', '=', q.status);
    if (q.supplier) s = s.where('s.code', '=', q.supplier);
    if (q.quarantined) s = s.where(sql<boolean>`coalesce(b.defective_qty, 0) - b.returned_qty - b.written_off_qty > 0`);
    return (await s.execute()).map(batchView);
  }

  async getInspection(id: number) {
    const r = await this.db.selectFrom('inspections').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('not_found', `inspection ${id} does not exist`, 'id');
    return inspectionView(r);
  }

  /** A kept photo's bytes and type (404 when the store does not keep photos or it has expired). */
  async photo(id: number): Promise<{ bytes: Buffer; type: string }> {
    const r = await this.db.selectFrom('inspections').select('photo_path').where('id', '=', id).executeTakeFirst();
    if (!r?.photo_path) throw new AppError('not_found', `inspection ${id} has no kept photo`, 'id');
    return { bytes: readPhoto(r.photo_path, this.photos), type: r.photo_path.endsWith('.png') ? 'image/png' : 'image/jpeg' };
  }

  /** Classifies without recording (CLI `inspect photo`, bench). */
  classify(bytes: Uint8Array): Classification {
    if (bytes.byteLength > MAX_PHOTO_BYTES) throw new AppError('invalid', `the photo is larger than ${MAX_PHOTO_BYTES / 1048576} MB`, 'photo');
    return classifyPhoto(bytes);
  }

  // ————— internals —————

  private async openBatchRow(db: Kysely<DB> | Trx, id: number, lock = false) {
    let q = db.selectFrom('inspection_batches').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const b = await q.executeTakeFirst();
    if (!b) throw new AppError('not_found', `inspection batch ${id} does not exist`, 'id');
    if (b.status !== 'open') throw new AppError('conflict', `inspection batch ${id} is closed`);
    return b;
  }

  private async quarantineOf(trx: Trx, s: InspectionSettings) {
    let q = trx.selectFrom('locations').select(['id', 'code']).where('kind', '=', 'quarantine');
    q = s.quarantineLocation ? q.where('code', '=', s.quarantineLocation) : q.orderBy('id').limit(1);
    const l = await q.executeTakeFirst();
    if (!l)
      throw new AppError('conflict', s.quarantineLocation ? `quarantine location ${s.quarantineLocation} does not exist or is not of kind quarantine` : 'no quarantine location: add one (`shelfwise location add QUAR --name Quarantine --kind quarantine`)', 'quarantineLocation');
    return l;
  }

  /** SKU, location codes, supplier code and the unit cost (the supplier's price for the product, else its cost). */
  private async names(trx: Trx, b: { product_id: number; location_id: number; quarantine_location_id: number; supplier_id: number }) {
    const r = await sql<{ sku: string; location: string; quarantine: string; supplier: string; unit_cost: number }>`
      select p.sku, l.code as location, q.code as quarantine, s.code as supplier, coalesce(sp.unit_cost, p.cost)::float8 as unit_cost
      from products p, locations l, locations q, suppliers s
      left join supplier_products sp on sp.supplier_id = s.id and sp.product_id = ${b.product_id}
      where p.id = ${b.product_id} and l.id = ${b.location_id} and q.id = ${b.quarantine_location_id} and s.id = ${b.supplier_id}`.execute(trx);
    const x = r.rows[0];
    return { sku: x.sku, location: x.location, quarantine: x.quarantine, supplier: x.supplier, unitCost: Number(x.unit_cost) };
  }

  private batchQuery() {
    return this.db
      .selectFrom('inspection_batches as b')
      .innerJoin('suppliers as s', 's.id', 'b.supplier_id')
      .innerJoin('products as p', 'p.id', 'b.product_id')
      .innerJoin('locations as l', 'l.id', 'b.location_id')
      .innerJoin('locations as q', 'q.id', 'b.quarantine_location_id')
      .selectAll('b')
      .select([
        's.code as supplier',
        'p.sku',
        'p.name as product_name',
        'l.code as location',
        'q.code as quarantine',
        sql<number>`(select count(*)::int from inspections i where i.batch_id = b.id)`.as('inspected'),
        sql<number>`(select count(*)::int from inspections i where i.batch_id = b.id and i.final_defective is not null)`.as('decided'),
        sql<number>`(select count(*)::int from inspections i where i.batch_id = b.id and i.final_defective)`.as('defective_calls'),
      ]);
  }
}

type BatchRow = Awaited<ReturnType<ReturnType<InspectionService['batchQuery']>['executeTakeFirstOrThrow']>>;
function batchView(b: BatchRow) {
  return {
    id: b.id,
    supplier: b.supplier,
    sku: b.sku,
    productName: b.product_name,
    location: b.location,
    quarantineLocation: b.quarantine,
    qtyReceived: b.qty_received,
    plan: b.plan,
    sampleSize: b.sample_size,
    acceptMax: b.accept_max,
    poId: b.po_id,
    poLineId: b.po_line_id,
    reference: b.reference,
    status: b.status,
    inspected: b.inspected,
    decided: b.decided,
    defectiveCalls: b.defective_calls,
    lotRejected: b.lot_rejected,
    goodQty: b.good_qty,
    defectiveQty: b.defective_qty,
    returnedQty: b.returned_qty,
    writtenOffQty: b.written_off_qty,
    inQuarantine: (b.defective_qty ?? 0) - b.returned_qty - b.written_off_qty,
    actor: b.actor,
    createdAt: b.created_at,
    closedAt: b.closed_at,
  };
}

function inspectionView(r: Selectable<InspectionsTable>) {
  return {
    id: r.id,
    batchId: r.batch_id,
    model:
      r.model_defective === null
        ? null
        : { defective: r.model_defective, pDefective: r.model_p!, confidence: r.model_confidence!, region: r.model_region, version: r.model_version!, ms: r.model_ms! },
    final: r.final_defective === null ? null : { defective: r.final_defective, by: r.decided_by, at: r.decided_at, note: r.note },
    overridden: r.final_defective === null || r.model_defective === null ? null : r.final_defective !== r.model_defective,
    photo: r.photo_path ? `/api/inspection/inspections/${r.id}/photo` : null,
    photoExpiresAt: r.photo_expires_at,
    actor: r.actor,
    createdAt: r.created_at,
  };
}

/** A batch that names a PO line must match it: same PO, product and supplier, and no more than is still to receive. */
async function checkPoLine(trx: Trx, input: OpenBatchInput, supplierId: number, productId: number) {
  const line = await trx
    .selectFrom('purchase_order_lines as x')
    .innerJoin('purchase_orders as o', 'o.id', 'x.po_id')
    .select(['x.po_id', 'x.product_id', 'x.qty_ordered', 'x.qty_received', 'o.supplier_id', 'o.number', 'o.status'])
    .where('x.id', '=', input.poLineId!)
    .executeTakeFirst();
  if (!line) throw new AppError('not_found', `purchase order line ${input.poLineId} does not exist`, 'poLineId');
  if (input.poId !== undefined && line.po_id !== input.poId) throw new AppError('invalid', `line ${input.poLineId} is not on purchase order ${input.poId}`, 'poLineId');
  input.poId = line.po_id;
  if (line.product_id !== productId) throw new AppError('invalid', `line ${input.poLineId} of ${line.number} is for another product`, 'sku');
  if (line.supplier_id !== supplierId) throw new AppError('invalid', `${line.number} is from another supplier`, 'supplier');
  if (!['approved', 'sent', 'partially_received'].includes(line.status)) throw new AppError('conflict', `${line.number} is ${line.status}: only approved or sent POs can be received`, 'poId');
  const left = line.qty_ordered - line.qty_received;
  if (input.qty > left) throw new AppError('invalid', `only ${left} unit(s) of line ${input.poLineId} are still to receive on ${line.number}`, 'qty');
}
