import { AppError } from '../../errors.ts';
import type { OpeningStock, StockMovement } from './types.ts';
import { fromEpochDay, nextPeriod, periodStart, toEpochDay, type Period } from './dates.ts';

/**
 * Inventory value over time from a stock ledger: units and value at cost at the end of each period.
 * Issues are valued at weighted-average cost or FIFO. Within a day receipts are booked before issues.
 * An issue beyond the stock on hand takes the stock negative at the last known cost (a ledger error the
 * report shows rather than hides: `negativeUnits`).
 */

export interface InventoryValueOptions {
  period?: Period;
  method?: 'average' | 'fifo';
  opening?: OpeningStock[];
  /** Epoch day/date of the opening stock and the first point (default: first movement). */
  from?: string | number;
  to?: string | number;
  /** Also return the per-category split (needs sku → category). */
  categoryOf?: ReadonlyMap<string, string>;
}

export interface InventoryValuePoint {
  periodStart: string;
  /** Stock at the end of the period. */
  units: number;
  value: number;
  negativeUnits: number;
  byCategory?: Record<string, number>;
}

interface SkuState {
  units: number;
  value: number;
  lastCost: number;
  /** FIFO layers as flat [qty, cost] pairs with a head pointer. */
  layers: number[];
  head: number;
  category: string;
}

export function inventoryValueOverTime(movements: StockMovement[], opts: InventoryValueOptions = {}): InventoryValuePoint[] {
  const period = opts.period ?? 'week';
  const fifo = (opts.method ?? 'average') === 'fifo';
  const n = movements.length;
  const days = new Float64Array(n);
  for (let i = 0; i < n; i++) days[i] = toEpochDay(movements[i].date);
  // Sort by (day, receipts first, input order) through one numeric key: (day·2 + isIssue)·2^21 + i.
  if (n >= 2 ** 21) throw new AppError('invalid', 'too many movements for one report (max 2,097,151)', 'movements');
  const keys = new Float64Array(n);
  let minDay = Infinity;
  for (let i = 0; i < n; i++) if (days[i] < minDay) minDay = days[i];
  for (let i = 0; i < n; i++) keys[i] = ((days[i] - minDay) * 2 + (movements[i].qty > 0 ? 0 : 1)) * 2 ** 21 + i;
  keys.sort();
  const order = Int32Array.from(keys, (k) => k % 2 ** 21);
  const from = opts.from !== undefined ? toEpochDay(opts.from) : n ? days[order[0]] : 0;
  const to = opts.to !== undefined ? toEpochDay(opts.to) : n ? days[order[n - 1]] : from;
  const state = new Map<string, SkuState>();
  const get = (sku: string): SkuState => {
    let s = state.get(sku);
    if (!s) state.set(sku, (s = { units: 0, value: 0, lastCost: 0, layers: [], head: 0, category: opts.categoryOf?.get(sku) ?? 'uncategorised' }));
    return s;
  };
  let totalUnits = 0;
  let totalValue = 0;
  const receive = (s: SkuState, q: number, c: number) => {
    s.units += q;
    s.value += q * c;
    s.lastCost = c;
    if (fifo) s.layers.push(q, c);
    totalUnits += q;
    totalValue += q * c;
  };
  const issue = (s: SkuState, q: number) => {
    let v = 0;
    if (fifo) {
      let left = q;
      while (left > 0 && s.head < s.layers.length) {
        const take = Math.min(left, s.layers[s.head]);
        v += take * s.layers[s.head + 1];
        s.layers[s.head] -= take;
        left -= take;
        if (s.layers[s.head] <= 0) s.head += 2;
      }
      if (s.head > 64 && s.head * 2 > s.layers.length) {
        s.layers = s.layers.slice(s.head);
        s.head = 0;
      }
      v += left * s.lastCost;
    } else {
      v = s.units > 0 ? Math.min(q, s.units) * (s.value / s.units) + Math.max(0, q - s.units) * s.lastCost : q * s.lastCost;
    }
    s.units -= q;
    s.value -= v;
    totalUnits -= q;
    totalValue -= v;
  };
  for (const o of opts.opening ?? []) receive(get(o.sku), o.qty, o.unitCost);

  const points: InventoryValuePoint[] = [];
  const emit = (start: number) => {
    let neg = 0;
    let byCategory: Record<string, number> | undefined;
    if (opts.categoryOf) byCategory = {};
    for (const s of state.values()) {
      if (s.units < 0) neg -= s.units;
      if (byCategory) byCategory[s.category] = (byCategory[s.category] ?? 0) + s.value;
    }
    points.push({ periodStart: fromEpochDay(start), units: totalUnits, value: totalValue, negativeUnits: neg });
    if (byCategory) points[points.length - 1].byCategory = byCategory;
  };
  let k = 0;
  while (k < n && days[order[k]] < from) k++; // movements before `from` are not part of this ledger view
  for (let start = periodStart(from, period); start <= to; ) {
    const end = nextPeriod(start, period);
    while (k < n && days[order[k]] < end && days[order[k]] <= to) {
      const m = movements[order[k++]];
      const s = get(m.sku);
      if (m.qty > 0) receive(s, m.qty, m.unitCost ?? s.lastCost);
      else if (m.qty < 0) issue(s, -m.qty);
    }
    emit(start);
    start = end;
  }
  return points;
}
