import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/**
 * The UCI Online Retail 2010-11 file (a UK online gift wholesaler) shaped into a store's ledger.
 * What is real: products, descriptions, prices, customers, countries, every invoice line, cancellations
 * (returns) and the staff's negative stock adjustments. What is derived, and said so in README/demo notes:
 * - category: a keyword rule on the description (the data has none);
 * - cost: 60 % of the product's most common unit price (the data has no costs);
 * - receipts: the data has no purchasing, so each Monday a delivery arrives that covers that week's real
 *   outflow, rounded up to a pack of 12, less what is on hand: stock never goes negative and what is left
 *   at the end is real slow-mover residue of pack rounding, not invented demand.
 * Not stock, so left out of the ledger (counted in the notes): postage, fees, discounts, manual lines, vouchers.
 */
export interface OrLine {
  invoice: string;
  sku: string;
  description: string;
  qty: number;
  at: Date;
  price: number;
  customer: string | null;
  country: string;
}

const NON_STOCK = /^(POST|DOT|M|m|C2|D|S|B|BANK CHARGES|AMAZONFEE|CRUK|PADS|gift_.*)$/;

export async function readOnlineRetail(file: string, onProgress?: (lines: number) => void): Promise<{ lines: OrLine[]; excluded: number }> {
  const lines: OrLine[] = [];
  let excluded = 0;
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ from_line: 2, relax_quotes: true }));
  for await (const r of parser as AsyncIterable<string[]>) {
    const [invoice, sku, description, qty, date, price, customer, country] = r;
    if (NON_STOCK.test(sku)) {
      excluded++;
      continue;
    }
    lines.push({
      invoice,
      sku: sku.toUpperCase(),
      description: description?.trim() ?? '',
      qty: Number(qty),
      at: new Date(date.replace(' ', 'T') + 'Z'),
      price: Number(price),
      customer: customer ? String(Math.round(Number(customer))) : null,
      country,
    });
    if ((lines.length & 0xffff) === 0) onProgress?.(lines.length);
  }
  return { lines, excluded };
}

const CATEGORY_RULES: [string, RegExp][] = [
  ['Christmas', /CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER|SNOWFLAKE|TREE DECORATION/],
  ['Bags', /\bBAG\b|BAGS|TOTE|SHOPPER|PURSE/],
  ['Candles & lights', /CANDLE|T-LIGHT|TEALIGHT|LANTERN|LIGHT|LAMP|NIGHT LIGHT/],
  ['Kitchen & dining', /MUG|CUP|PLATE|BOWL|JUG|TEAPOT|CAKE|BAKING|LUNCH BOX|TRAY|NAPKIN|KITCHEN|SPOON|COASTER|TEA TOWEL|BOTTLE|CUTLERY|DISH/],
  ['Cards & wrap', /CARD|WRAP|GIFT TAG|ENVELOPE|RIBBON|TISSUE/],
  ['Stationery', /NOTEBOOK|PENCIL|PEN\b|STICKER|ERASER|RUBBER|DIARY|JOURNAL|CALENDAR|SKETCHBOOK|CHALK/],
  ['Toys & games', /TOY|GAME|DOLL|PUZZLE|SKITTLES|DOMINOES|SPACEBOY|DINOSAUR|PLAY/],
  ['Garden', /GARDEN|PLANT|WATERING|FLOWER POT|BIRD|POTTING|HERB/],
  ['Home decor', /FRAME|SIGN|CLOCK|HEART|DOORMAT|CUSHION|MIRROR|VASE|WREATH|BUNTING|GARLAND|HOOK|DRAWER|BOX|HANGING|ORNAMENT|DECORATION|BLANKET|THROW/],
  ['Jewellery & accessories', /NECKLACE|EARRING|BRACELET|RING\b|HAIR|CLIP|JEWEL|BROOCH|UMBRELLA|PARASOL|SCARF|GLOVES|HAT\b/],
  ['Party', /PARTY|BALLOON|BUNTING|PARTY BAG|CONFETTI/],
];

export function categoryOf(description: string): string {
  const d = description.toUpperCase();
  for (const [name, re] of CATEGORY_RULES) if (re.test(d)) return name;
  return 'Other gifts';
}

export const PACK = 12;
const WEEK = 7 * 86_400_000;
const MONDAY0 = Date.UTC(2010, 10, 29); // Monday 29 Nov 2010, the week of the first invoice

export interface PlannedMovement {
  sku: string;
  kind: 'receipt' | 'sale' | 'return' | 'adjustment' | 'write_off';
  qty: number;
  price: number | null;
  invoice: string | null;
  customer: string | null;
  reason: string | null;
  at: Date;
}

export interface OrPlan {
  products: { sku: string; name: string; category: string; price: number; cost: number }[];
  customers: { code: string; country: string }[];
  invoices: { invoice: string; customer: string | null; at: Date }[];
  movements: PlannedMovement[];
  counts: Record<string, number>;
}

/** Turns invoice lines into products, customers, invoices and a time-ordered ledger with weekly receipts. */
export function planOnlineRetail(lines: OrLine[]): OrPlan {
  const names = new Map<string, Map<string, number>>();
  const prices = new Map<string, Map<number, number>>();
  const customers = new Map<string, string>();
  const invoices = new Map<string, { invoice: string; customer: string | null; at: Date }>();
  const moves: PlannedMovement[] = [];
  const counts: Record<string, number> = { sale: 0, return: 0, adjustment: 0, write_off: 0, receipt: 0 };
  for (const l of lines) {
    if (l.description) bump(names, l.sku, l.description);
    if (l.qty > 0 && l.price > 0) bump(prices, l.sku, l.price);
    if (l.customer) customers.set(l.customer, l.country);
    let kind: PlannedMovement['kind'];
    if (l.invoice.startsWith('C')) kind = 'return';
    else if (l.qty > 0 && (l.price > 0 || l.customer)) kind = 'sale';
    else if (l.qty > 0) kind = 'adjustment';
    else kind = 'write_off';
    if (l.qty === 0) continue;
    const onInvoice = kind === 'sale' || kind === 'return';
    if (onInvoice && !invoices.has(l.invoice)) invoices.set(l.invoice, { invoice: l.invoice, customer: l.customer, at: l.at });
    counts[kind]++;
    moves.push({
      sku: l.sku,
      kind,
      qty: kind === 'sale' ? -l.qty : kind === 'return' ? Math.abs(l.qty) : l.qty,
      price: onInvoice ? l.price : null,
      invoice: onInvoice ? l.invoice : null,
      customer: onInvoice ? l.customer : null,
      reason: onInvoice ? null : l.description || 'stock adjustment',
      at: l.at,
    });
  }
  moves.sort((a, b) => a.at.getTime() - b.at.getTime());
  // Weekly receipts that cover each week's real outflow.
  const outflow = new Map<string, Map<number, number>>();
  for (const m of moves) if (m.qty < 0) bump(outflow, m.sku, weekOf(m.at), -m.qty);
  const onHand = new Map<string, number>();
  const withReceipts: PlannedMovement[] = [];
  let week = -1;
  for (const m of moves) {
    const w = weekOf(m.at);
    while (week < w) {
      week++;
      for (const [sku, byWeek] of outflow) {
        const need = byWeek.get(week);
        if (!need) continue;
        const h = onHand.get(sku) ?? 0;
        if (h >= need) continue;
        const qty = Math.ceil((need - h) / PACK) * PACK;
        onHand.set(sku, h + qty);
        counts.receipt++;
        withReceipts.push({ sku, kind: 'receipt', qty, price: null, invoice: null, customer: null, reason: 'weekly delivery (simulated: the data has no purchasing)', at: new Date(MONDAY0 + week * WEEK) });
      }
    }
    onHand.set(m.sku, (onHand.get(m.sku) ?? 0) + m.qty);
    withReceipts.push(m);
  }
  const products = [...new Set(lines.map((l) => l.sku))].sort().map((sku) => {
    const name = mode(names.get(sku)) ?? sku;
    const price = mode(prices.get(sku)) ?? 0;
    return { sku, name, category: categoryOf(name), price, cost: Math.round(price * 0.6 * 10000) / 10000 };
  });
  return {
    products,
    customers: [...customers].map(([code, country]) => ({ code, country })),
    invoices: [...invoices.values()],
    movements: withReceipts,
    counts,
  };
}

const weekOf = (d: Date) => Math.floor((d.getTime() - MONDAY0) / WEEK);

function bump<K, V>(m: Map<K, Map<V, number>>, k: K, v: V, by = 1) {
  let inner = m.get(k);
  if (!inner) m.set(k, (inner = new Map()));
  inner.set(v, (inner.get(v) ?? 0) + by);
}

function mode<V>(m: Map<V, number> | undefined): V | undefined {
  if (!m) return undefined;
  let best: V | undefined;
  let n = -1;
  for (const [v, c] of m) if (c > n) [best, n] = [v, c];
  return best;
}
