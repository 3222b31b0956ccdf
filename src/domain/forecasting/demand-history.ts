import { aggregate, dayToIso, isoToDay } from './aggregate.ts';
import type { Freq, SeriesInput } from './types.ts';

/**
 * Demand history from the ledger: one item × location's movement days → a daily demand series with
 * out-of-stock flags, and its aggregation to weeks or months. Pure: the service reads the rows.
 */
export interface DemandSeries {
  productId: number;
  locationId: number;
  sku: string;
  location: string;
  /** Day number (days since 1970-01-01) of values[0]. */
  firstDay: number;
  values: Float64Array;
  outOfStock: Uint8Array;
}

export interface ItemDays {
  product_id: number;
  location_id: number;
  sku: string;
  code: string;
  on_hand: number;
  days: number[];
  net: number[];
  sold: number[];
  /** Change of on-hand that day (every kind of movement). */
  delta: number[];
}

/**
 * One item's movement days → its daily series from its first sale (on or after the window start) to endDay.
 * Demand = max(0, sales − returns). On-hand at the end of a day = current on-hand − the changes after it (the
 * ledger's balance in time order). A day is flagged out of stock when nothing was sold and the item had exactly
 * 0 on hand at its start and its end; a negative balance (history imported before a stock count) means the
 * stock was unknown, so it is not flagged.
 */
export function buildDaily(it: ItemDays, endDay: number): DemandSeries | null {
  const k = it.days.length;
  const endBal = new Array<number>(k);
  let bal = it.on_hand;
  for (let j = k - 1; j >= 0; j--) {
    endBal[j] = bal;
    bal -= it.delta[j];
  }
  const first = it.days.findIndex((d, j) => it.sold[j] > 0 && d <= endDay);
  if (first < 0) return null;
  const firstDay = it.days[first];
  const n = endDay - firstDay + 1;
  const values = new Float64Array(n);
  const oos = new Uint8Array(n);
  let j = first;
  bal = endBal[first] - it.delta[first];
  for (let t = 0; t < n; t++) {
    if (j < k && it.days[j] === firstDay + t) {
      values[t] = Math.max(0, it.net[j]);
      oos[t] = it.sold[j] === 0 && bal === 0 && endBal[j] === 0 ? 1 : 0;
      bal = endBal[j];
      j++;
    } else oos[t] = bal === 0 ? 1 : 0;
  }
  return { productId: it.product_id, locationId: it.location_id, sku: it.sku, location: it.code, firstDay, values, outOfStock: oos };
}

/** A daily series as the domain's input at freq (weeks Monday-Sunday, calendar months; a partial first period is dropped). */
export function toInput(s: DemandSeries, freq: Freq): { series: DemandSeries; input: SeriesInput; starts: () => string[] } | null {
  if (freq === 'D') return { series: s, input: { values: s.values, outOfStock: s.outOfStock, freq }, starts: () => Array.from(s.values, (_, i) => dayToIso(s.firstDay + i)) };
  const a = aggregate(s.values, freq, dayToIso(s.firstDay), { outOfStock: s.outOfStock });
  let k = 0;
  const full = freq === 'W' ? 7 : daysInMonth(a.starts[0]);
  if (a.values.length > 1 && a.days[0] < full) k = 1;
  if (a.values.length - k < 1) return null;
  return { series: s, input: { values: a.values.subarray(k), outOfStock: a.outOfStock.subarray(k), freq }, starts: () => a.starts.slice(k) };
}

/** The last day of the last complete period on or before day (weeks end on Sunday). */
export function periodEnd(day: number, freq: Freq): number {
  if (freq === 'D') return day;
  if (freq === 'W') return day - new Date(day * 86_400_000).getUTCDay();
  const next = new Date((day + 1) * 86_400_000);
  return next.getUTCDate() === 1 ? day : isoToDay(dayToIso(day).slice(0, 8) + '01') - 1;
}

export function periodStart(startIso: string, freq: Freq, i: number): string {
  if (freq === 'D') return dayToIso(isoToDay(startIso) + i);
  if (freq === 'W') return dayToIso(isoToDay(startIso) + 7 * i);
  const [y, m] = startIso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + i, 1)).toISOString().slice(0, 10);
}

function daysInMonth(iso: string): number {
  const [y, m] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

