import type { MarkdownItem, Receipt } from './types.ts';
import { invalid, sumRange } from './stats.ts';

/** Slow and dead stock: days since last sale, days of cover, sell-through, FIFO stock age,
 * excess units over a horizon, and a ranked list by tied-up value with a "new dead stock" rule. */

export interface FifoLayer {
  /** Epoch day received, or null for stock older than every receipt given (opening stock). */
  date: number | null;
  qty: number;
  unitCost: number;
  ageDays: number | null;
}

export interface FifoAge {
  /** Layers still on hand, oldest first. */
  layers: FifoLayer[];
  /** Unit-weighted mean age of the units with a known receipt date (null if none). */
  avgAgeDays: number | null;
  oldestAgeDays: number | null;
  /** Units on hand not covered by any receipt (older than the history given). */
  unknownAgeUnits: number;
  /** FIFO value of what is on hand (unknown-age units at `fallbackCost`). */
  value: number;
}

/**
 * FIFO: sales consume the oldest receipts first, so what is left on hand is the newest `onHand` units.
 * Walk the receipts from newest to oldest until `onHand` is covered; the oldest of those layers may be
 * partly consumed. Receipts after `asOfDay` are ignored.
 */
export function fifoAge(receipts: Receipt[], onHand: number, asOfDay: number, fallbackCost: number): FifoAge {
  if (!(onHand >= 0)) invalid('onHand must be >= 0', 'onHand');
  const sorted = receipts.filter((r) => r.date <= asOfDay && r.qty > 0).sort((a, b) => b.date - a.date);
  const layers: FifoLayer[] = [];
  let left = onHand;
  for (const r of sorted) {
    if (left <= 0) break;
    const q = Math.min(r.qty, left);
    layers.push({ date: r.date, qty: q, unitCost: r.unitCost, ageDays: asOfDay - r.date });
    left -= q;
  }
  if (left > 0) layers.push({ date: null, qty: left, unitCost: fallbackCost, ageDays: null });
  layers.reverse();
  let known = 0;
  let ageSum = 0;
  let value = 0;
  for (const l of layers) {
    value += l.qty * l.unitCost;
    if (l.ageDays !== null) {
      known += l.qty;
      ageSum += l.qty * l.ageDays;
    }
  }
  const oldestKnown = layers.find((l) => l.ageDays !== null);
  return {
    layers,
    avgAgeDays: known > 0 ? ageSum / known : null,
    oldestAgeDays: oldestKnown ? oldestKnown.ageDays : null,
    unknownAgeUnits: left > 0 ? left : 0,
    value,
  };
}

/** Value of the `units` that will still be on hand last, i.e. the newest FIFO layers. */
export function newestLayersValue(layers: FifoLayer[], units: number): number {
  let left = units;
  let v = 0;
  for (let i = layers.length - 1; i >= 0 && left > 0; i--) {
    const q = Math.min(layers[i].qty, left);
    v += q * layers[i].unitCost;
    left -= q;
  }
  return v;
}

export interface SlowStockOptions {
  /** Index of "today" in dailySales (default: the last element). */
  asOfIndex?: number;
  /** Excess = on hand − demand over this many days (e.g. until season end). Default 90. */
  horizonDays?: number;
  /** Window for the fallback demand rate when the item has no forecast. Default 28. */
  demandWindowDays?: number;
  /** Window for sell-through = sold ÷ (sold + on hand). Default 28. */
  sellThroughWindowDays?: number;
  /** No sale for at least this many days (with stock on hand) → dead. Default 90. */
  deadDays?: number;
  /** Days of cover above this → slow. Default 120. */
  slowCoverDays?: number;
  /** Review interval for the "new dead stock" rule. Default 7. */
  reviewIntervalDays?: number;
  /** SKUs flagged dead at the previous review; when given, "new" = dead now and not in this set. */
  previouslyDead?: ReadonlySet<string>;
}

export type StockStatus = 'dead' | 'slow' | 'ok';

export interface SlowStockRow {
  sku: string;
  category: string;
  onHand: number;
  /** Null when the item never sold in the history given. */
  daysSinceLastSale: number | null;
  /** Days without a sale used by the dead rule (falls back to stock age, then history length). */
  idleDays: number;
  dailyDemand: number;
  daysOfCover: number;
  sellThrough: number;
  avgAgeDays: number | null;
  oldestAgeDays: number | null;
  excessUnits: number;
  /** FIFO value of the excess units (the newest layers), else excess × cost. */
  tiedUpValue: number;
  stockValue: number;
  status: StockStatus;
  newDead: boolean;
}

export function slowStockMetrics(item: MarkdownItem, opts: SlowStockOptions = {}): SlowStockRow {
  const s = item.dailySales;
  const asOf = opts.asOfIndex ?? s.length - 1;
  if (!(asOf >= 0 && asOf < s.length)) invalid('asOfIndex out of range', 'asOfIndex');
  const horizon = opts.horizonDays ?? 90;
  const demandWindow = opts.demandWindowDays ?? 28;
  const stWindow = opts.sellThroughWindowDays ?? 28;
  const deadDays = opts.deadDays ?? 90;
  const slowCover = opts.slowCoverDays ?? 120;
  const review = opts.reviewIntervalDays ?? 7;
  const onHand = Math.max(0, item.onHand);

  let last = -1;
  for (let i = asOf; i >= 0; i--)
    if (s[i] > 0) {
      last = i;
      break;
    }
  const daysSinceLastSale = last >= 0 ? asOf - last : null;
  const rate = item.forecastDaily ?? sumRange(s, asOf + 1 - demandWindow, asOf + 1) / Math.min(demandWindow, asOf + 1);
  const dailyDemand = Math.max(0, rate);
  const daysOfCover = onHand === 0 ? 0 : dailyDemand > 0 ? onHand / dailyDemand : Infinity;
  const sold = sumRange(s, asOf + 1 - stWindow, asOf + 1);
  const sellThrough = sold + onHand > 0 ? sold / (sold + onHand) : 0;

  const asOfDay = (item.startDay ?? 0) + asOf;
  const fifo = item.receipts ? fifoAge(item.receipts, onHand, asOfDay, item.cost) : null;
  const excessUnits = Math.max(0, onHand - dailyDemand * horizon);
  const tiedUpValue = fifo ? newestLayersValue(fifo.layers, excessUnits) : excessUnits * item.cost;
  const stockValue = fifo ? fifo.value : onHand * item.cost;

  const idleDays = daysSinceLastSale ?? fifo?.oldestAgeDays ?? asOf + 1;
  const dead = onHand > 0 && idleDays >= deadDays;
  const status: StockStatus = dead ? 'dead' : daysOfCover > slowCover ? 'slow' : 'ok';
  const newDead = dead && (opts.previouslyDead ? !opts.previouslyDead.has(item.sku) : idleDays - review < deadDays);
  return {
    sku: item.sku,
    category: item.category,
    onHand,
    daysSinceLastSale,
    idleDays,
    dailyDemand,
    daysOfCover,
    sellThrough,
    avgAgeDays: fifo?.avgAgeDays ?? null,
    oldestAgeDays: fifo?.oldestAgeDays ?? null,
    excessUnits,
    tiedUpValue,
    stockValue,
    status,
    newDead,
  };
}

export interface SlowStockReport {
  /** Items with excess or dead stock, by tied-up value (desc; dead stock's whole value counts). */
  ranked: SlowStockRow[];
  /** Items that crossed the dead threshold since the last review. */
  newDeadAlerts: SlowStockRow[];
  totals: { items: number; dead: number; slow: number; excessUnits: number; tiedUpValue: number; stockValue: number };
}

export function slowStockReport(items: MarkdownItem[], opts: SlowStockOptions = {}): SlowStockReport {
  const rows = items.map((it) => slowStockMetrics(it, opts));
  // A dead item ties up all its stock, whatever the forecast says.
  const tied = (r: SlowStockRow) => (r.status === 'dead' ? r.stockValue : r.tiedUpValue);
  const ranked = rows
    .filter((r) => r.excessUnits > 0 || r.status === 'dead')
    .sort((a, b) => tied(b) - tied(a) || b.stockValue - a.stockValue || (a.sku < b.sku ? -1 : 1));
  const totals = { items: rows.length, dead: 0, slow: 0, excessUnits: 0, tiedUpValue: 0, stockValue: 0 };
  for (const r of rows) {
    if (r.status === 'dead') totals.dead++;
    if (r.status === 'slow') totals.slow++;
    totals.excessUnits += r.excessUnits;
    totals.tiedUpValue += tied(r);
    totals.stockValue += r.stockValue;
  }
  return { ranked, newDeadAlerts: ranked.filter((r) => r.newDead), totals };
}
