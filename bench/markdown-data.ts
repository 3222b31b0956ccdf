/**
 * UCI Online Retail for the markdown benchmark: a column-store of invoice lines, a crude product-type
 * category from the description, and a *simulated* stock ledger (the data set has sales only — no
 * receipts, costs or stock), all stated as assumptions in docs/markdown.md.
 */
import { readFileSync } from 'node:fs';
import { toEpochDay } from '../src/domain/reports/dates.ts';

export interface RetailLines {
  n: number;
  skus: string[];
  descriptions: string[];
  /** Per line. */
  sku: Int32Array;
  day: Int32Array;
  qty: Float64Array;
  price: Float64Array;
  cancel: Uint8Array;
  hasCustomer: Uint8Array;
  /** Invoice index per line (for co-purchase counts). */
  invoice: Int32Array;
  firstDay: number;
  lastDay: number;
}

function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

/** Product lines only: StockCode starting with five digits (postage, fees, manual lines dropped). */
export function loadRetailLines(file: string): RetailLines {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const skuIdx = new Map<string, number>();
  const skus: string[] = [];
  const descriptions: string[] = [];
  const cap = lines.length;
  const sku = new Int32Array(cap);
  const day = new Int32Array(cap);
  const qty = new Float64Array(cap);
  const price = new Float64Array(cap);
  const cancel = new Uint8Array(cap);
  const hasCustomer = new Uint8Array(cap);
  const invoice = new Int32Array(cap);
  const invIdx = new Map<string, number>();
  let n = 0;
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length < 10) continue;
    const f = splitCsv(line.endsWith('\r') ? line.slice(0, -1) : line);
    const code = f[1];
    if (!/^\d{5}/.test(code)) continue;
    let k = skuIdx.get(code);
    if (k === undefined) {
      k = skus.length;
      skuIdx.set(code, k);
      skus.push(code);
      descriptions.push(f[2]);
    } else if (!descriptions[k] && f[2]) descriptions[k] = f[2];
    const d = toEpochDay(f[4]);
    sku[n] = k;
    day[n] = d;
    qty[n] = Number(f[3]);
    price[n] = Number(f[5]);
    cancel[n] = f[0].startsWith('C') ? 1 : 0;
    hasCustomer[n] = f[6] ? 1 : 0;
    let inv = invIdx.get(f[0]);
    if (inv === undefined) invIdx.set(f[0], (inv = invIdx.size));
    invoice[n] = inv;
    if (d < firstDay) firstDay = d;
    if (d > lastDay) lastDay = d;
    n++;
  }
  return {
    n,
    skus,
    descriptions,
    sku: sku.subarray(0, n),
    day: day.subarray(0, n),
    qty: qty.subarray(0, n),
    price: price.subarray(0, n),
    cancel: cancel.subarray(0, n),
    hasCustomer: hasCustomer.subarray(0, n),
    invoice: invoice.subarray(0, n),
    firstDay,
    lastDay,
  };
}

const TYPES: [string, string[]][] = [
  ['bags', ['BAG', 'BAGS', 'SHOPPER', 'TOTE']],
  ['candles & lights', ['CANDLE', 'CANDLES', 'T-LIGHT', 'T-LIGHTS', 'HOLDER', 'LANTERN', 'TEALIGHT', 'LIGHTS', 'LIGHT', 'LAMP', 'INCENSE']],
  ['kitchen & dining', ['MUG', 'MUGS', 'CUP', 'CUPS', 'BOWL', 'BOWLS', 'PLATE', 'PLATES', 'JAR', 'TIN', 'TINS', 'TRAY', 'TEAPOT', 'CAKESTAND', 'CASES', 'NAPKINS', 'APRON', 'SPOON', 'SPOONS', 'BOX', 'BOXES', 'BOTTLE', 'COASTER', 'COASTERS', 'GLASS', 'JUG', 'TOWEL', 'CAKE']],
  ['jewellery', ['NECKLACE', 'NECKL', 'BRACELET', 'EARRINGS', 'RING', 'CHARM', 'BROOCH', 'HAIRCLIP', 'BANGLE', 'CHOKER']],
  ['stationery & wrap', ['CARD', 'CARDS', 'WRAP', 'STICKERS', 'STICKER', 'TAG', 'TAGS', 'RIBBON', 'RIBBONS', 'NOTEBOOK', 'PEN', 'PENS', 'PENCIL', 'PENCILS', 'PAPER', 'ENVELOPE', 'ENVELOPES', 'TISSUES', 'NAPKIN', 'CALENDAR', 'BOOK', 'DIARY', 'ERASER', 'MAGNETS', 'MAGNET']],
  ['decorations', ['DECORATION', 'GARLAND', 'BUNTING', 'BAUBLE', 'BAUBLES', 'WREATH', 'ORNAMENT', 'HEART', 'STAR', 'TREE', 'FLOWER', 'FLOWERS', 'BELL', 'BELLS', 'EGG', 'EGGS', 'CHICK', 'BIRD']],
  ['home decor', ['SIGN', 'FRAME', 'MIRROR', 'CLOCK', 'CUSHION', 'COVER', 'CABINET', 'HOOK', 'HOOKS', 'DOORMAT', 'VASE', 'DRAWER', 'SHELF', 'HANGER', 'HANGERS', 'DOORSTOP', 'PLAQUE', 'ART', 'THERMOMETER', 'BASKET', 'CHALKBOARD', 'STAND', 'WICKER', 'PLANTER']],
  ['toys & games', ['TOY', 'TOYS', 'GAME', 'GAMES', 'DOLL', 'PUZZLE', 'PUZZLES', 'KIT', 'BALL', 'JIGSAW', 'CRAYONS', 'PLAYHOUSE', 'SPACEBOY', 'SOLDIER', 'SKITTLES', 'DOMINOES', 'BLOCKS', 'PARTY']],
  ['accessories', ['PURSE', 'WALLET', 'UMBRELLA', 'SCARF', 'GLOVES', 'SLIPPERS', 'HAT', 'BACKPACK', 'RUCKSACK', 'CASE', 'MIRROR', 'WARMER', 'PHONE']],
];
const TYPE_OF = new Map<string, string>();
for (const [cat, words] of TYPES) for (const w of words) if (!TYPE_OF.has(w)) TYPE_OF.set(w, cat);

/** Product type from the description: the last word that names a type ("JUMBO BAG RED RETROSPOT" → bags). */
export function categoryOfDescription(desc: string): string {
  const words = desc.toUpperCase().split(/[^A-Z-]+/).filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    const c = TYPE_OF.get(words[i]);
    if (c) return c;
  }
  return 'other';
}

/** Net units per SKU per day (sales − cancellations, floored at 0), days from `firstDay`. */
export function dailyNetSales(r: RetailLines): Float64Array[] {
  const nd = r.lastDay - r.firstDay + 1;
  const out = r.skus.map(() => new Float64Array(nd));
  for (let i = 0; i < r.n; i++) out[r.sku[i]][r.day[i] - r.firstDay] += r.qty[i];
  for (const a of out) for (let d = 0; d < nd; d++) if (a[d] < 0) a[d] = 0;
  return out;
}

export interface SimulatedLedger {
  /** Per SKU: receipts (epoch day, qty, unit cost) and the on hand at the end. */
  receipts: { date: number; qty: number; unitCost: number }[][];
  onHand: Float64Array;
}

/**
 * Simulated stock: every 28 days the shop orders up to 1.5 × the previous 28 days' sales (the first
 * order covers 1.5 × the first 28 days), plus an emergency receipt on any day demand exceeds stock.
 * Items whose demand fades keep their last order — that is where excess and dead stock come from.
 * Unit cost = `costShare` × the item's median selling price.
 */
export function simulateLedger(daily: Float64Array[], firstDay: number, unitCost: Float64Array): SimulatedLedger {
  const receipts: SimulatedLedger['receipts'] = [];
  const onHand = new Float64Array(daily.length);
  daily.forEach((s, k) => {
    const rec: { date: number; qty: number; unitCost: number }[] = [];
    let first = s.findIndex((v) => v > 0);
    if (first < 0) first = s.length;
    let stock = 0;
    for (let d = first; d < s.length; d++) {
      if ((d - first) % 28 === 0) {
        let window = 0;
        if (d === first) for (let j = d; j < Math.min(s.length, d + 28); j++) window += s[j];
        else for (let j = d - 28; j < d; j++) window += s[j];
        const q = Math.ceil(Math.max(0, 1.5 * window - stock));
        if (q > 0) rec.push({ date: firstDay + d, qty: q, unitCost: unitCost[k] }), (stock += q);
      }
      if (s[d] > stock) {
        const q = Math.ceil(s[d] - stock);
        rec.push({ date: firstDay + d, qty: q, unitCost: unitCost[k] });
        stock += q;
      }
      stock -= s[d];
    }
    receipts.push(rec);
    onHand[k] = stock;
  });
  return { receipts, onHand };
}
