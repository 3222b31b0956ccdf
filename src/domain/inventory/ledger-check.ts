/** The ledger's invariant: for every item, the sum of its movements equals the stored on-hand. */
export interface Imbalance {
  productId: number;
  locationId: number;
  onHand: number;
  movementSum: number;
}

export function findImbalances(
  levels: { productId: number; locationId: number; onHand: number }[],
  sums: { productId: number; locationId: number; total: number }[],
): Imbalance[] {
  const bySum = new Map(sums.map((s) => [`${s.productId}:${s.locationId}`, s.total]));
  const seen = new Set<string>();
  const out: Imbalance[] = [];
  for (const l of levels) {
    const k = `${l.productId}:${l.locationId}`;
    seen.add(k);
    const total = bySum.get(k) ?? 0;
    if (total !== l.onHand) out.push({ productId: l.productId, locationId: l.locationId, onHand: l.onHand, movementSum: total });
  }
  for (const s of sums) {
    const k = `${s.productId}:${s.locationId}`;
    if (!seen.has(k) && s.total !== 0) out.push({ productId: s.productId, locationId: s.locationId, onHand: 0, movementSum: s.total });
  }
  return out;
}
