/** Cart rules shared by the checkout service and its tests: plain data in, plain data out. */
export const MAX_LINES = 50;
export const MAX_QTY_PER_LINE = 20;

export interface CartLine {
  sku: string;
  qty: number;
}

/** Merges repeated SKUs (keeping first-seen order) and checks the limits; throws with the offending field. */
export function normaliseCart(lines: CartLine[]): CartLine[] {
  if (lines.length === 0) throw new CartError('the cart is empty', 'lines');
  const merged = new Map<string, CartLine>();
  lines.forEach((l, i) => {
    if (!Number.isInteger(l.qty) || l.qty <= 0) throw new CartError('quantity must be a positive whole number', `lines.${i}.qty`);
    const m = merged.get(l.sku);
    if (m) m.qty += l.qty;
    else merged.set(l.sku, { sku: l.sku, qty: l.qty });
    if (merged.get(l.sku)!.qty > MAX_QTY_PER_LINE) throw new CartError(`at most ${MAX_QTY_PER_LINE} of one item per order`, `lines.${i}.qty`);
  });
  if (merged.size > MAX_LINES) throw new CartError(`at most ${MAX_LINES} different items per order`, 'lines');
  return [...merged.values()];
}

export class CartError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export function orderTotals(lines: { qty: number; unitPrice: number; listPrice: number }[]) {
  const subtotal = round2(lines.reduce((a, l) => a + l.qty * l.listPrice, 0));
  const total = round2(lines.reduce((a, l) => a + l.qty * l.unitPrice, 0));
  return { subtotal, total, savings: round2(subtotal - total) };
}

/** How a product page words the stock of one size. */
export function stockStatus(available: number): 'in_stock' | 'low' | 'out' {
  return available <= 0 ? 'out' : available <= 3 ? 'low' : 'in_stock';
}

/** A readable, unguessable-enough order reference: SW- and 10 characters without look-alikes (0/O, 1/I). */
export function orderRef(random: Uint8Array): string {
  const A = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < 10; i++) s += A[random[i] % 32];
  return `SW-${s}`;
}
