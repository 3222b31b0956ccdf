/**
 * Purchase orders: draft → approved (manager, up to the approval limit; admin above) → sent → partially_received →
 * received → closed, or cancelled. Suggestions are the lines of run-made drafts: approve / reject / edit them in
 * bulk. Receiving writes 'receipt' movements at the line's unit cost through InventoryService in the same
 * transaction as the line update, under a row lock on the PO, so concurrent receivers can never take a line past
 * its ordered quantity (a CHECK backs it). Every change is audited.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PoStatus } from '../db/schema/replenishment.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { emitEvent } from './outbox.ts';
import type { InventoryService, PostedMovement } from './inventory.service.ts';
import { closeOverdueAlert } from './replenishment-alerts.ts';
import { dayIso, todayDay } from './replenishment-inputs.ts';
import { replenishmentServiceOf, type ReplenishmentService } from './replenishment.service.ts';
import type { AppServices } from './index.ts';
import { idempotent, inTransaction } from './transaction.ts';

type Trx = Transaction<DB>;

export interface ReceiveLine {
  lineId: number;
  qty: number;
  /** Where the goods go (default: the PO's location), e.g. a quarantine location for inspection. */
  locationCode?: string;
  /** Added to the ledger reason (e.g. "inspection batch #4: defective"). */
  note?: string;
}
export interface ReceivedMovement extends PostedMovement {
  lineId: number;
  receiptId: number;
}
export type LineDecisionInput = { lineId: number; action: 'approve' | 'reject' } | { lineId: number; action: 'edit'; qty: number };

const OPEN_FOR_RECEIPT: PoStatus[] = ['approved', 'sent', 'partially_received'];

export class PurchaseOrderService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly inventory: InventoryService,
    private readonly replenishment: ReplenishmentService,
  ) {}

  async list(f: { status?: PoStatus; supplier?: string; location?: string; limit?: number; offset?: number } = {}) {
    let q = this.db
      .selectFrom('purchase_orders as po')
      .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
      .innerJoin('locations as l', 'l.id', 'po.location_id')
      .select(['po.id', 'po.number', 'po.status', 'po.currency', 'po.total', 'po.run_id', 'po.expected_at', 'po.created_at', 'po.approved_by', 'po.sent_at', 's.code as supplier', 's.name as supplierName', 'l.code as location'])
      .select(sql<boolean>`po.status in ('sent','partially_received') and po.expected_at < current_date`.as('overdue'));
    if (f.status) q = q.where('po.status', '=', f.status);
    if (f.supplier) q = q.where('s.code', '=', f.supplier);
    if (f.location) q = q.where('l.code', '=', f.location);
    const rows = await q.orderBy('po.id', 'desc').limit(f.limit ?? 100).offset(f.offset ?? 0).execute();
    const n = rows.length
      ? await this.db.selectFrom('purchase_order_lines').select(['po_id', sql<number>`count(*)::int`.as('n')]).where('po_id', 'in', rows.map((r) => r.id)).where('decision', '<>', 'rejected').groupBy('po_id').execute()
      : [];
    const lines = new Map(n.map((x) => [x.po_id, x.n]));
    const items = rows.map((r) => ({ ...r, lines: lines.get(r.id) ?? 0 }));
    const counts = await this.db.selectFrom('purchase_orders').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
    return { items, counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) };
  }

  async get(id: number) {
    const po = await this.db
      .selectFrom('purchase_orders as po')
      .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
      .innerJoin('locations as l', 'l.id', 'po.location_id')
      .selectAll('po')
      .select(['s.code as supplier', 's.name as supplierName', 's.email as supplierEmail', 's.pack_size', 's.moq', 'l.code as location'])
      .where('po.id', '=', id)
      .executeTakeFirst();
    if (!po) throw new AppError('not_found', `purchase order ${id} does not exist`, 'id');
    const [lines, receipts, history, settings] = await Promise.all([
      this.db
        .selectFrom('purchase_order_lines as x')
        .innerJoin('products as p', 'p.id', 'x.product_id')
        .leftJoin('supplier_products as sp', (j) => j.onRef('sp.product_id', '=', 'x.product_id').on('sp.supplier_id', '=', po.supplier_id))
        .select(['x.id', 'p.sku', 'p.name', 'sp.supplier_sku', 'x.qty_ordered', 'x.qty_received', 'x.unit_cost', 'x.suggested_qty', 'x.decision', 'x.summary', 'x.explain', 'x.expected_shortage', 'x.days_until_stockout'])
        .where('x.po_id', '=', id)
        .orderBy('p.sku')
        .execute(),
      this.db.selectFrom('purchase_order_receipts as r').innerJoin('locations as l', 'l.id', 'r.location_id').select(['r.id', 'r.line_id', 'r.movement_id', 'r.qty', 'l.code as location', 'r.actor', 'r.received_at']).where('r.po_id', '=', id).orderBy('r.id').execute(),
      this.db.selectFrom('audit_log').select(['at', 'actor', 'action', 'before', 'after']).where('entity', '=', 'purchase_order').where('entity_id', '=', po.number).orderBy('id').execute(),
      this.replenishment.settings(),
    ]);
    return { ...po, lines: lines.map(parsed), receipts, history, approvalLimit: settings.managerApprovalLimit };
  }

  /** Open suggestions: lines of run-made draft POs, most expected shortage first. */
  async suggestions(f: { location?: string; supplier?: string; limit?: number } = {}) {
    let q = this.db
      .selectFrom('purchase_order_lines as x')
      .innerJoin('purchase_orders as po', 'po.id', 'x.po_id')
      .innerJoin('products as p', 'p.id', 'x.product_id')
      .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
      .innerJoin('locations as l', 'l.id', 'po.location_id')
      .leftJoin('replenishment_plans as pl', (j) => j.onRef('pl.product_id', '=', 'x.product_id').onRef('pl.location_id', '=', 'po.location_id'))
      .select(['pl.stockout_alert'])
      .select(['x.id', 'po.id as poId', 'po.number as po', 'p.sku', 'p.name', 's.code as supplier', 'l.code as location', 'x.qty_ordered as qty', 'x.suggested_qty', 'x.unit_cost', 'x.decision', 'x.summary', 'x.explain', 'x.expected_shortage', 'x.days_until_stockout', 'po.currency', 'po.run_id'])
      .where('po.status', '=', 'draft')
      .where('po.run_id', 'is not', null);
    if (f.location) q = q.where('l.code', '=', f.location);
    if (f.supplier) q = q.where('s.code', '=', f.supplier);
    const items = await q.orderBy('x.expected_shortage', 'desc').orderBy('x.id').limit(f.limit ?? 500).execute();
    return { items: items.map(parsed) };
  }

  /** Approve, reject or change the quantity of suggestion lines in one transaction; POs left with no open line are approved (or cancelled when all rejected). */
  async decide(actor: Actor, decisions: LineDecisionInput[]) {
    if (decisions.length === 0) throw new AppError('invalid', 'at least one decision is needed', 'decisions');
    if (actor.role === 'staff' || actor.role === 'kiosk') throw new AppError('forbidden', 'deciding on suggestions needs the manager role');
    const settings = await this.replenishment.settings();
    return inTransaction(this.db, async (trx) => {
      const ids = decisions.map((d) => d.lineId);
      const poIds = (await trx.selectFrom('purchase_order_lines').select('po_id').distinct().where('id', 'in', ids).execute()).map((r) => r.po_id);
      const pos = await lockPos(trx, poIds);
      const lines = await trx
        .selectFrom('purchase_order_lines as x')
        .innerJoin('products as p', 'p.id', 'x.product_id')
        .select(['x.id', 'x.po_id', 'x.product_id', 'x.qty_ordered', 'x.decision', 'p.sku'])
        .where('x.id', 'in', ids)
        .execute();
      const byId = new Map(lines.map((l) => [l.id, l]));
      for (const [i, d] of decisions.entries()) {
        const l = byId.get(d.lineId);
        if (!l) throw new AppError('not_found', `line ${d.lineId} does not exist`, `decisions.${i}.lineId`);
        const po = pos.get(l.po_id)!;
        if (po.status !== 'draft') throw new AppError('conflict', `${po.number} is ${po.status}: only draft lines can be changed`, `decisions.${i}.lineId`);
        if (d.action === 'edit') {
          const terms = await packOf(trx, po.supplier_id, l.product_id);
          if (!Number.isInteger(d.qty) || d.qty <= 0) throw new AppError('invalid', 'quantity must be a positive whole number (reject the line to order none)', `decisions.${i}.qty`);
          if (d.qty < terms.moq || d.qty % terms.pack !== 0)
            throw new AppError('invalid', `${l.sku}: ${d.qty} is not a valid order for this supplier (MOQ ${terms.moq}, packs of ${terms.pack})`, `decisions.${i}.qty`);
          await trx.updateTable('purchase_order_lines').set({ qty_ordered: d.qty }).where('id', '=', l.id).execute();
          await audit(trx, actor, 'po.line.edit', 'purchase_order', po.number, { sku: l.sku, qty: l.qty_ordered }, { sku: l.sku, qty: d.qty });
        } else {
          const decision = d.action === 'approve' ? 'approved' : 'rejected';
          await trx.updateTable('purchase_order_lines').set({ decision }).where('id', '=', l.id).execute();
          await audit(trx, actor, `po.line.${d.action}`, 'purchase_order', po.number, { sku: l.sku, decision: l.decision }, { sku: l.sku, decision });
        }
      }
      const results = [];
      for (const po of pos.values()) {
        const total = await retotal(trx, po.id);
        const open = await trx.selectFrom('purchase_order_lines').select(['decision', sql<number>`count(*)::int`.as('n')]).where('po_id', '=', po.id).groupBy('decision').execute();
        const n = Object.fromEntries(open.map((o) => [o.decision, o.n])) as Record<string, number>;
        let status: string = po.status;
        let note: string | null = null;
        if (!n.open && !n.approved) {
          await this.setStatus(trx, actor, po, 'cancelled', { cancel_reason: 'every line rejected' });
          status = 'cancelled';
        } else if (!n.open) {
          note = approvalBlock(actor, total, settings.managerApprovalLimit);
          if (!note) {
            await this.approveLocked(trx, actor, po, total);
            status = 'approved';
          }
        }
        results.push({ id: po.id, number: po.number, status, total, note });
      }
      return { decided: decisions.length, purchaseOrders: results };
    });
  }

  async approve(actor: Actor, id: number) {
    const settings = await this.replenishment.settings();
    return inTransaction(this.db, async (trx) => {
      const po = (await lockPos(trx, [id])).get(id);
      if (!po) throw new AppError('not_found', `purchase order ${id} does not exist`, 'id');
      if (po.status !== 'draft') throw new AppError('conflict', `${po.number} is ${po.status}; only a draft can be approved`);
      await trx.updateTable('purchase_order_lines').set({ decision: 'approved' }).where('po_id', '=', id).where('decision', '=', 'open').execute();
      const total = await retotal(trx, id);
      const block = approvalBlock(actor, total, settings.managerApprovalLimit);
      if (block) throw new AppError('forbidden', block);
      const left = await trx.selectFrom('purchase_order_lines').select('id').where('po_id', '=', id).where('decision', '=', 'approved').executeTakeFirst();
      if (!left) throw new AppError('conflict', `${po.number} has no lines left to order`);
      await this.approveLocked(trx, actor, po, total);
      return { id, number: po.number, status: 'approved' as const, total };
    });
  }

  async send(actor: Actor, id: number) {
    return this.transition(actor, id, ['approved'], 'sent', async (trx, po) => {
      const lead = await trx.selectFrom('suppliers').select('lead_time_days').where('id', '=', po.supplier_id).executeTakeFirstOrThrow();
      return { sent_at: new Date(), expected_at: dayIso(todayDay() + Math.ceil(Number(lead.lead_time_days))) };
    });
  }

  async cancel(actor: Actor, id: number, reason: string) {
    return this.transition(actor, id, ['draft', 'approved', 'sent'], 'cancelled', async (trx, po) => {
      const got = await trx.selectFrom('purchase_order_lines').select('id').where('po_id', '=', po.id).where('qty_received', '>', 0).executeTakeFirst();
      if (got) throw new AppError('conflict', `${po.number} has receipts: close it instead of cancelling`);
      return { cancel_reason: reason };
    });
  }

  /** Closes a received PO, or short-closes a partly received one (the rest will not come). */
  async close(actor: Actor, id: number) {
    return this.transition(actor, id, ['partially_received', 'received'], 'closed', async () => ({}));
  }

  /**
   * Receives quantities against PO lines: one 'receipt' movement per line at the line's unit cost (to the PO's
   * location, or locationCode), linked in purchase_order_receipts, all in one transaction. Returns the movements.
   * A line cannot be received past its ordered quantity, also when several people receive at once.
   */
  async receiveLines(actor: Actor, poId: number, lines: ReceiveLine[], key?: string) {
    if (lines.length === 0) throw new AppError('invalid', 'at least one line is needed', 'lines');
    const seen = new Set<number>();
    lines.forEach((l, i) => {
      if (!Number.isInteger(l.qty) || l.qty <= 0) throw new AppError('invalid', 'quantity must be a positive whole number', `lines.${i}.qty`);
      if (seen.has(l.lineId)) throw new AppError('invalid', `line ${l.lineId} is listed twice`, `lines.${i}.lineId`);
      seen.add(l.lineId);
    });
    const r = await idempotent(this.db, actor, key, { op: 'po.receive', poId, lines }, (trx) => this.receiveLinesIn(trx, actor, poId, lines));
    return { ...r.result, replayed: r.replayed };
  }

  /**
   * receiveLines inside the caller's transaction (receiving inspection posts its good and defective units
   * through here, so they count against the PO line). A line may appear more than once (different locations);
   * the guarded update still never receives past the ordered quantity.
   */
  async receiveLinesIn(trx: Trx, actor: Actor, poId: number, lines: ReceiveLine[]) {
    const po = (await lockPos(trx, [poId])).get(poId);
    if (!po) throw new AppError('not_found', `purchase order ${poId} does not exist`, 'id');
    if (!OPEN_FOR_RECEIPT.includes(po.status)) throw new AppError('conflict', `${po.number} is ${po.status}: only approved or sent POs can be received`);
    const rows = await trx
      .selectFrom('purchase_order_lines as x')
      .innerJoin('products as p', 'p.id', 'x.product_id')
      .select(['x.id', 'x.qty_ordered', 'x.qty_received', 'x.unit_cost', 'x.decision', 'p.sku'])
      .where('x.po_id', '=', poId)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const home = await trx.selectFrom('locations').select('code').where('id', '=', po.location_id).executeTakeFirstOrThrow();
    const supplier = await trx.selectFrom('suppliers').select('code').where('id', '=', po.supplier_id).executeTakeFirstOrThrow();
    const moves = lines.map((l, i) => {
      const r = byId.get(l.lineId);
      if (!r || r.decision === 'rejected') throw new AppError('not_found', `line ${l.lineId} is not on ${po.number}`, `lines.${i}.lineId`);
      const left = r.qty_ordered - r.qty_received;
      if (l.qty > left) throw new AppError('conflict', `${r.sku}: only ${left} of ${r.qty_ordered} still to receive on ${po.number}`, `lines.${i}.qty`, { lineId: r.id, remaining: left });
      return { sku: r.sku, location: l.locationCode ?? home.code, kind: 'receipt' as const, qty: l.qty, unitCost: Number(r.unit_cost), reason: `${po.number} from ${supplier.code}${l.note ? `: ${l.note}` : ''}` };
    });
    const posted = await this.inventory.postMovementsIn(trx, actor, moves);
    const out: ReceivedMovement[] = [];
    for (const [i, l] of lines.entries()) {
      const upd = await sql`update purchase_order_lines set qty_received = qty_received + ${l.qty}::int where id = ${l.lineId} and qty_received + ${l.qty}::int <= qty_ordered`.execute(trx);
      if (Number(upd.numAffectedRows) !== 1) throw new AppError('conflict', `line ${l.lineId} would be received past its ordered quantity`, `lines.${i}.qty`);
      const loc = await trx.selectFrom('locations').select('id').where('code', '=', posted[i].location).executeTakeFirstOrThrow();
      const rc = await trx
        .insertInto('purchase_order_receipts')
        .values({ po_id: poId, line_id: l.lineId, movement_id: posted[i].id, location_id: loc.id, qty: l.qty, actor: actor.label })
        .returning('id')
        .executeTakeFirstOrThrow();
      out.push({ ...posted[i], lineId: l.lineId, receiptId: rc.id });
    }
    const rest = await sql<{ left: number }>`select coalesce(sum(qty_ordered - qty_received), 0)::int as left from purchase_order_lines where po_id = ${poId} and decision <> 'rejected'`.execute(trx);
    const status: PoStatus = rest.rows[0].left === 0 ? 'received' : 'partially_received';
    await trx.updateTable('purchase_orders').set({ status, updated_at: new Date(), ...(status === 'received' ? { received_at: new Date() } : {}) }).where('id', '=', poId).execute();
    if (status === 'received') await closeOverdueAlert(trx, poId);
    const received = out.map((m) => ({ lineId: m.lineId, sku: m.sku, qty: m.qty, location: m.location, movementId: m.id }));
    await audit(trx, actor, 'po.receive', 'purchase_order', po.number, { status: po.status }, { status, lines: received });
    await emitEvent(trx, 'purchase_order.received', { id: poId, number: po.number, status, supplier: supplier.code, lines: received });
    return { id: poId, number: po.number, status, movements: out };
  }

  private async approveLocked(trx: Trx, actor: Actor, po: LockedPo, total: number) {
    await this.setStatus(trx, actor, po, 'approved', { approved_by: actor.label, approved_at: new Date() }, { total });
  }

  private async transition(actor: Actor, id: number, from: PoStatus[], to: PoStatus, extra: (trx: Trx, po: LockedPo) => Promise<Record<string, unknown>>) {
    return inTransaction(this.db, async (trx) => {
      const po = (await lockPos(trx, [id])).get(id);
      if (!po) throw new AppError('not_found', `purchase order ${id} does not exist`, 'id');
      if (!from.includes(po.status)) throw new AppError('conflict', `${po.number} is ${po.status}; it must be ${from.join(' or ')} to become ${to}`);
      await this.setStatus(trx, actor, po, to, await extra(trx, po));
      if (to === 'cancelled' || to === 'closed') await closeOverdueAlert(trx, id);
      return { id, number: po.number, status: to };
    });
  }

  private async setStatus(trx: Trx, actor: Actor, po: LockedPo, status: PoStatus, set: Record<string, unknown>, auditExtra: Record<string, unknown> = {}) {
    const stamp = status === 'cancelled' ? { cancelled_at: new Date() } : status === 'closed' ? { closed_at: new Date() } : {};
    await trx.updateTable('purchase_orders').set({ status, updated_at: new Date(), ...stamp, ...set }).where('id', '=', po.id).execute();
    await audit(trx, actor, `po.${status}`, 'purchase_order', po.number, { status: po.status }, { status, ...set, ...auditExtra });
    if (status === 'approved') await emitEvent(trx, 'purchase_order.approved', { id: po.id, number: po.number, approvedBy: actor.label, ...auditExtra });
  }
}

const parsed = <T extends { explain: string | null }>(r: T): Omit<T, 'explain'> & { explain: unknown } => ({ ...r, explain: r.explain ? (JSON.parse(r.explain) as unknown) : null });

interface LockedPo {
  id: number;
  number: string;
  status: PoStatus;
  supplier_id: number;
  location_id: number;
}

/** Locks the POs (in id order, so two transactions never wait on each other in a cycle). */
async function lockPos(trx: Trx, ids: number[]): Promise<Map<number, LockedPo>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('purchase_orders')
    .select(['id', 'number', 'status', 'supplier_id', 'location_id'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function retotal(trx: Trx, poId: number): Promise<number> {
  const r = await sql<{ t: number }>`update purchase_orders set total = coalesce((select round(sum(qty_ordered * unit_cost), 2) from purchase_order_lines where po_id = ${poId} and decision <> 'rejected'), 0), updated_at = now()
    where id = ${poId} returning total::float8 as t`.execute(trx);
  return Number(r.rows[0]?.t ?? 0);
}

async function packOf(trx: Trx, supplierId: number, productId: number) {
  const s = await trx.selectFrom('suppliers').select(['moq', 'pack_size']).where('id', '=', supplierId).executeTakeFirstOrThrow();
  const o = await trx.selectFrom('supplier_products').select(['moq', 'pack_size']).where('supplier_id', '=', supplierId).where('product_id', '=', productId).executeTakeFirst();
  return { moq: o?.moq ?? s.moq, pack: o?.pack_size ?? s.pack_size };
}

/** Why this actor may not approve a PO of this value (null = may). Managers up to the limit; admins and the CLI operator any. */
function approvalBlock(actor: Actor, total: number, limit: number): string | null {
  if (actor.role === 'admin' || actor.role === 'system') return null;
  if (actor.role !== 'manager') return 'approving purchase orders needs the manager role';
  return total > limit ? `a PO of ${total.toFixed(2)} is over the managers' approval limit of ${limit.toFixed(2)}: an admin must approve it` : null;
}

const poCache = new WeakMap<AppServices, PurchaseOrderService>();

/** The PO service of an AppServices (shared by the API, the CLI and jobs). */
export function purchaseOrderServiceOf(services: AppServices): PurchaseOrderService {
  let s = poCache.get(services);
  if (!s) poCache.set(services, (s = new PurchaseOrderService(services.database.db, services.inventory, replenishmentServiceOf(services))));
  return s;
}
