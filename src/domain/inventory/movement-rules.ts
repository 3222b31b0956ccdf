import { AppError } from '../../errors.ts';

/** Every kind of stock movement and the sign its quantity must have (a reversal flips it). */
export const MOVEMENT_KINDS = [
  'receipt',
  'sale',
  'return',
  'adjustment',
  'transfer_out',
  'transfer_in',
  'write_off',
  'stocktake',
  'opening',
  'return_to_supplier',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

const SIGN: Record<MovementKind, 1 | -1 | 0> = {
  receipt: 1,
  sale: -1,
  return: 1,
  adjustment: 0, // either way
  transfer_out: -1,
  transfer_in: 1,
  write_off: -1,
  stocktake: 0, // counted − on hand
  opening: 1,
  return_to_supplier: -1, // out of quarantine back to the supplier (inspection, issue 12)
};

/** Kinds a person may post directly (sales, returns and transfers have their own flows). */
export const MANUAL_KINDS = ['receipt', 'adjustment', 'write_off'] as const satisfies readonly MovementKind[];

export function checkSign(kind: MovementKind, qty: number, isReversal = false): void {
  if (!Number.isInteger(qty) || qty === 0) throw new AppError('invalid', 'quantity must be a non-zero integer', 'qty');
  const want = SIGN[kind] * (isReversal ? -1 : 1);
  if (want !== 0 && Math.sign(qty) !== want)
    throw new AppError('invalid', `a ${isReversal ? 'reversal of a ' : ''}${kind} must have a ${want > 0 ? 'positive' : 'negative'} quantity`, 'qty');
}

/** Sum of deltas per (product, location), in a stable order (sorted keys avoid lock-order deadlocks). */
export function netByItem<T extends { productId: number; locationId: number; qty: number }>(
  lines: T[],
): { productId: number; locationId: number; delta: number }[] {
  const m = new Map<string, { productId: number; locationId: number; delta: number }>();
  for (const l of lines) {
    const k = `${l.productId}:${l.locationId}`;
    const e = m.get(k);
    if (e) e.delta += l.qty;
    else m.set(k, { productId: l.productId, locationId: l.locationId, delta: l.qty });
  }
  return [...m.values()].sort((a, b) => a.productId - b.productId || a.locationId - b.locationId);
}

/** Balance after each line, given the final balance per item and the lines in the order they were written. */
export function balancesAfter(
  lines: { productId: number; locationId: number; qty: number }[],
  finalOnHand: Map<string, number>,
): number[] {
  const running = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const l of lines) {
    const k = `${l.productId}:${l.locationId}`;
    totals.set(k, (totals.get(k) ?? 0) + l.qty);
  }
  return lines.map((l) => {
    const k = `${l.productId}:${l.locationId}`;
    const start = running.get(k) ?? (finalOnHand.get(k) ?? 0) - (totals.get(k) ?? 0);
    const after = start + l.qty;
    running.set(k, after);
    return after;
  });
}

/** A low-stock alert fires when available stock crosses the threshold downwards (not on every sale below it). */
export function crossedBelow(availableBefore: number, availableAfter: number, threshold: number | null): boolean {
  if (threshold === null || threshold === undefined) return false;
  return availableBefore >= threshold && availableAfter < threshold;
}
