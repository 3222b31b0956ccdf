/**
 * Draft purchase-order proposals, grouped by supplier.
 *  - Each candidate's need is already net of open and in-transit POs (computePolicy works on the inventory
 *    position), so nothing is ordered twice; candidates with need ≤ 0 are skipped.
 *  - Lines are rounded to MOQ and pack size.
 *  - A supplier's PO below its minimum order value is topped up pack by pack, most expected shortage first, when
 *    that adds at most `maxTopUpRatio` of the value already needed; otherwise it is held back.
 *  - With a budget cap, lines are funded most expected shortage first (ties: shortage per unit of money); a line
 *    that does not fit is cut to the largest valid quantity that does; POs that then fall below the supplier
 *    minimum are dropped and their money goes to the next lines.
 */
import { AppError } from '../../errors.ts';
import { computePolicy, type PolicyInput } from './policy.ts';
import { fmtNum, largestValidQtyAtMost, roundOrderQty } from './order-math.ts';
import type { Supplier } from './types.ts';

export interface OrderCandidate {
  itemId: string;
  supplierId: string;
  unitCost: number;
  /** Units wanted now, net of on hand and open POs (before pack / MOQ rounding). */
  needQty: number;
  /** Expected units short over the protection interval if nothing is ordered (priority under a budget). */
  expectedShortage: number;
  /** Why this much is needed (from the policy). */
  why?: string;
}

export interface ProposalLine {
  itemId: string;
  qty: number;
  unitCost: number;
  value: number;
  expectedShortage: number;
  why: string;
}

export interface PurchaseOrderProposal {
  supplierId: string;
  currency: string;
  lines: ProposalLine[];
  total: number;
  why: string;
}

export interface ProposalResult {
  orders: PurchaseOrderProposal[];
  skipped: { itemId: string; reason: string }[];
  totalValue: number;
}

export interface ProposalOptions {
  /** Total spend cap over all suppliers, in the suppliers' (single) currency. */
  budget?: number;
  /** Top up below-minimum POs when the extra value is ≤ this × the needed value (default 1). 0 = never top up. */
  maxTopUpRatio?: number;
}

interface WorkLine extends ProposalLine {
  supplier: Supplier;
}

function lineOf(c: OrderCandidate, s: Supplier): WorkLine | null {
  const r = roundOrderQty(c.needQty, s.packSize, s.moq);
  if (r.value <= 0) return null;
  return {
    itemId: c.itemId,
    qty: r.value,
    unitCost: c.unitCost,
    value: r.value * c.unitCost,
    expectedShortage: c.expectedShortage,
    why: c.why ? `${c.why}; ${r.why}` : r.why,
    supplier: s,
  };
}

const byPriority = (a: WorkLine, b: WorkLine): number =>
  b.expectedShortage - a.expectedShortage ||
  b.expectedShortage / Math.max(b.unitCost, 1e-9) - a.expectedShortage / Math.max(a.unitCost, 1e-9) ||
  (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0);

function sum(lines: WorkLine[]): number {
  let t = 0;
  for (const l of lines) t += l.value;
  return t;
}

/** Lift a supplier's lines to its minimum order value; returns a note, or null when it should be held back. */
function topUp(lines: WorkLine[], s: Supplier, maxRatio: number): string | null {
  const needed = sum(lines);
  if (s.minOrderValue <= 0 || needed >= s.minOrderValue) return '';
  if (needed + needed * maxRatio + 1e-9 < s.minOrderValue) return null;
  const ordered = [...lines].sort(byPriority);
  let i = 0;
  let total = needed;
  while (total < s.minOrderValue - 1e-9) {
    const l = ordered[i % ordered.length];
    l.qty += s.packSize;
    l.value = l.qty * l.unitCost;
    total += s.packSize * l.unitCost;
    i++;
    if (i > 1e6) return null;
  }
  for (const l of ordered) {
    const before = l.why.match(/ → order ([\d,]+)/)?.[1];
    if (before !== undefined && before !== fmtNum(l.qty)) l.why += `; topped up to ${fmtNum(l.qty)} for the supplier minimum`;
  }
  return `topped up from ${fmtNum(needed)} to the supplier minimum ${fmtNum(s.minOrderValue)} ${s.currency}`;
}

export function draftPurchaseOrders(
  candidates: OrderCandidate[],
  suppliers: Supplier[],
  opts: ProposalOptions = {},
): ProposalResult {
  const supplierById = new Map(suppliers.map((s) => [s.id, s]));
  const maxRatio = opts.maxTopUpRatio ?? 1;
  const skipped: ProposalResult['skipped'] = [];
  if (opts.budget !== undefined) {
    if (!(opts.budget >= 0)) throw new AppError('invalid', 'budget must be ≥ 0', 'budget');
    const currencies = new Set(candidates.map((c) => supplierById.get(c.supplierId)?.currency));
    if (currencies.size > 1) throw new AppError('invalid', 'a budget cap needs all suppliers in one currency', 'budget');
  }
  let lines: WorkLine[] = [];
  for (const c of candidates) {
    const s = supplierById.get(c.supplierId);
    if (!s) throw new AppError('not_found', `unknown supplier ${c.supplierId}`, 'supplierId');
    if (!(c.unitCost >= 0)) throw new AppError('invalid', `unit cost of ${c.itemId} must be ≥ 0`, 'unitCost');
    const l = lineOf(c, s);
    if (l) lines.push(l);
    else skipped.push({ itemId: c.itemId, reason: 'covered by stock and open orders' });
  }

  const groupOf = (ls: WorkLine[]): Map<string, WorkLine[]> => {
    const g = new Map<string, WorkLine[]>();
    for (const l of ls) {
      const a = g.get(l.supplier.id);
      if (a) a.push(l);
      else g.set(l.supplier.id, [l]);
    }
    return g;
  };

  // Supplier minimum order value.
  const notes = new Map<string, string>();
  const kept: WorkLine[] = [];
  for (const [sid, ls] of groupOf(lines)) {
    const s = supplierById.get(sid)!;
    const note = topUp(ls, s, maxRatio);
    if (note === null) {
      for (const l of ls)
        skipped.push({
          itemId: l.itemId,
          reason: `held: PO to ${sid} would be ${fmtNum(sum(ls))} ${s.currency}, below its minimum ${fmtNum(s.minOrderValue)}`,
        });
    } else {
      if (note) notes.set(sid, note);
      kept.push(...ls);
    }
  }
  lines = kept;

  // Budget cap.
  if (opts.budget !== undefined) {
    const excluded = new Set<string>();
    let funded: WorkLine[] = [];
    for (let round = 0; round <= supplierById.size; round++) {
      let left = opts.budget;
      funded = [];
      for (const l0 of [...lines].filter((l) => !excluded.has(l.supplier.id)).sort(byPriority)) {
        if (l0.value <= left + 1e-9) {
          funded.push({ ...l0 });
          left -= l0.value;
          continue;
        }
        const q = l0.unitCost > 0 ? largestValidQtyAtMost(left / l0.unitCost, l0.supplier.packSize, l0.supplier.moq) : 0;
        if (q > 0) {
          funded.push({ ...l0, qty: q, value: q * l0.unitCost, why: `${l0.why}; cut to ${fmtNum(q)} by the budget` });
          left -= q * l0.unitCost;
        }
      }
      let changed = false;
      for (const [sid, ls] of groupOf(funded)) {
        const s = supplierById.get(sid)!;
        if (s.minOrderValue > 0 && sum(ls) < s.minOrderValue - 1e-9) {
          excluded.add(sid);
          changed = true;
        }
      }
      if (!changed) break;
    }
    const fundedIds = new Set(funded.map((l) => `${l.supplier.id}\u0000${l.itemId}`));
    for (const l of lines) {
      if (fundedIds.has(`${l.supplier.id}\u0000${l.itemId}`)) continue;
      skipped.push({
        itemId: l.itemId,
        reason: excluded.has(l.supplier.id)
          ? `over budget: the PO to ${l.supplier.id} would fall below its minimum order value`
          : `over budget (expected shortage ${fmtNum(l.expectedShortage)} ranks below funded items)`,
      });
    }
    lines = funded.filter((l) => !excluded.has(l.supplier.id));
  }

  const orders: PurchaseOrderProposal[] = [];
  for (const [sid, ls] of groupOf(lines)) {
    const s = supplierById.get(sid)!;
    ls.sort(byPriority);
    const total = sum(ls);
    const why = [`${ls.length} line${ls.length > 1 ? 's' : ''}, ${fmtNum(total)} ${s.currency}`, notes.get(sid)]
      .filter(Boolean)
      .join('; ');
    orders.push({
      supplierId: sid,
      currency: s.currency,
      lines: ls.map(({ supplier: _s, ...l }) => l),
      total,
      why,
    });
  }
  orders.sort((a, b) => (a.supplierId < b.supplierId ? -1 : a.supplierId > b.supplierId ? 1 : 0));
  return { orders, skipped, totalValue: orders.reduce((a, o) => a + o.total, 0) };
}

/** One item to plan: a policy input plus who supplies it at what cost. */
export interface PlanItem extends Omit<PolicyInput, 'supplier'> {
  itemId: string;
  supplierId: string;
  unitCost: number;
}

/** Compute each item's policy and turn the wanted quantities into candidates for draftPurchaseOrders. */
export function planCandidates(items: PlanItem[], suppliers: Supplier[]): OrderCandidate[] {
  const supplierById = new Map(suppliers.map((s) => [s.id, s]));
  return items.map((it) => {
    const s = supplierById.get(it.supplierId);
    if (!s) throw new AppError('not_found', `unknown supplier ${it.supplierId}`, 'supplierId');
    // Already rounded to pack / MOQ here; rounding again in draftPurchaseOrders leaves it unchanged.
    const p = computePolicy({ ...it, supplier: s });
    return {
      itemId: it.itemId,
      supplierId: it.supplierId,
      unitCost: it.unitCost,
      needQty: p.orderQty.value,
      expectedShortage: p.expectedShortage,
      why: p.summary,
    };
  });
}
