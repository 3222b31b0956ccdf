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

export function inventoryValueOverTime(movements: StockMovement[], opts: InventoryValueOptions = {}): InventoryValuePoint[] {
  const period = opts.period ?? 'week';
  const fifo = (opts.method ?? 'average') === 'fifo';
  const n = movements.length;
  if (n >= 2 ** 21) throw new AppError('invalid', 'too many movements for one report (max 2,097,151)', 'movements');
  // SKU indices, categories and days, once per movement.
  const skuIdx = new Map<string, number>();
  const catIdx = new Map<string, number>();
  const skuCat: number[] = [];
  const skuOf = (sku: string): number => {
    let k = skuIdx.get(sku);
    if (k === undefined) {
      k = skuIdx.size;
      skuIdx.set(sku, k);
      const c = opts.categoryOf?.get(sku) ?? 'uncategorised';
      if (!catIdx.has(c)) catIdx.set(c, catIdx.size);
      skuCat.push(catIdx.get(c)!);
    }
    return k;
  };
  for (const o of opts.opening ?? []) skuOf(o.sku);
  const days = new Float64Array(n);
  const sku = new Int32Array(n);
  let minDay = Infinity;
  for (let i = 0; i < n; i++) {
    days[i] = toEpochDay(movements[i].date);
    sku[i] = skuOf(movements[i].sku);
    if (days[i] < minDay) minDay = days[i];
  }
  // Sort by (day, receipts first, input order) through one numeric key: (day·2 + isIssue)·2^21 + i.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ((days[i] - minDay) * 2 + (movements[i].qty > 0 ? 0 : 1)) * 2 ** 21 + i;
  keys.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i] % 2 ** 21;
  const from = opts.from !== undefined ? toEpochDay(opts.from) : n ? days[order[0]] : 0;
  const to = opts.to !== undefined ? toEpochDay(opts.to) : n ? days[order[n - 1]] : from;

  const nSku = skuIdx.size;
  const units = new Float64Array(nSku);
  const value = new Float64Array(nSku);
  const lastCost = new Float64Array(nSku);
  const layers: number[][] = fifo ? Array.from({ length: nSku }, () => []) : [];
  const head = new Int32Array(nSku);
  const catValue = new Float64Array(catIdx.size);
  let totalUnits = 0;
  let totalValue = 0;
  let negUnits = 0;
  const move = (k: number, dq: number, dv: number) => {
    negUnits += Math.max(0, -(units[k] + dq)) - Math.max(0, -units[k]);
    units[k] += dq;
    value[k] += dv;
    catValue[skuCat[k]] += dv;
    totalUnits += dq;
    totalValue += dv;
  };
  const receive = (k: number, q: number, c: number) => {
    lastCost[k] = c;
    if (fifo) layers[k].push(q, c);
    move(k, q, q * c);
  };
  const issue = (k: number, q: number) => {
    let v = 0;
    if (fifo) {
      const L = layers[k];
      let h = head[k];
      let left = q;
      while (left > 0 && h < L.length) {
        const take = Math.min(left, L[h]);
        v += take * L[h + 1];
        L[h] -= take;
        left -= take;
        if (L[h] <= 0) h += 2;
      }
      if (h > 64 && h * 2 > L.length) {
        layers[k] = L.slice(h);
        h = 0;
      }
      head[k] = h;
      v += left * lastCost[k];
    } else {
      const u = units[k];
      v = u > 0 ? Math.min(q, u) * (value[k] / u) + Math.max(0, q - u) * lastCost[k] : q * lastCost[k];
    }
    move(k, -q, -v);
  };
  for (const o of opts.opening ?? []) receive(skuIdx.get(o.sku)!, o.qty, o.unitCost);

  const catNames = [...catIdx.keys()];
  const points: InventoryValuePoint[] = [];
  let p = 0;
  while (p < n && days[order[p]] < from) p++; // movements before `from` are not part of this ledger view
  for (let start = periodStart(from, period); start <= to; ) {
    const end = nextPeriod(start, period);
    while (p < n && days[order[p]] < end && days[order[p]] <= to) {
      const i = order[p++];
      const m = movements[i];
      if (m.qty > 0) receive(sku[i], m.qty, m.unitCost ?? lastCost[sku[i]]);
      else if (m.qty < 0) issue(sku[i], -m.qty);
    }
    const point: InventoryValuePoint = { periodStart: fromEpochDay(start), units: totalUnits, value: totalValue, negativeUnits: negUnits };
    if (opts.categoryOf) point.byCategory = Object.fromEntries(catNames.map((c, j) => [c, catValue[j]]));
    points.push(point);
    start = end;
  }
  return points;
}
