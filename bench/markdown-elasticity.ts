/** Elasticity pieces of the markdown benchmark: weekly panels from Online Retail and the hold-out check. */
import { tierAdjustedPriceIndex } from '../src/domain/markdown/price-index.ts';
import type { PanelRow } from '../src/domain/markdown/elasticity-panel.ts';
import { quantile } from '../src/domain/markdown/stats.ts';
import { weekStart } from '../src/domain/reports/dates.ts';
import type { RetailLines } from './markdown-data.ts';

export interface WeeklyPanels {
  nWeeks: number;
  week0: number;
  /** Tier-adjusted list price per item-week (row-major nSku × nWeeks, NaN = no registered sale). */
  index: Float64Array;
  /** Unit-weighted mean paid price per item-week over all lines (the naive price). */
  paid: Float64Array;
  /** Units per item-week from registered customers' sales lines. */
  units: Float64Array;
  refQty: Float64Array;
  tierDiscount: Float64Array;
}

/** Registered customers' sales lines only: lines without a CustomerID are a second, ~2× priced channel. */
export function weeklyPanels(r: RetailLines): WeeklyPanels {
  const nSku = r.skus.length;
  const week0 = weekStart(r.firstDay);
  const nWeeks = Math.floor((r.lastDay - week0) / 7) + 1;
  const keep: number[] = [];
  for (let i = 0; i < r.n; i++) if (!r.cancel[i] && r.hasCustomer[i] && r.qty[i] > 0 && r.price[i] > 0) keep.push(i);
  const item = Int32Array.from(keep, (i) => r.sku[i]);
  const period = Int32Array.from(keep, (i) => Math.floor((r.day[i] - week0) / 7));
  const qty = Float64Array.from(keep, (i) => r.qty[i]);
  const unitPrice = Float64Array.from(keep, (i) => r.price[i]);
  const { index, refQty, tierDiscount } = tierAdjustedPriceIndex({ item, period, qty, unitPrice }, nSku, nWeeks);
  const units = new Float64Array(nSku * nWeeks);
  const paidSum = new Float64Array(nSku * nWeeks);
  const paidQty = new Float64Array(nSku * nWeeks);
  for (let k = 0; k < keep.length; k++) units[item[k] * nWeeks + period[k]] += qty[k];
  for (let i = 0; i < r.n; i++)
    if (!r.cancel[i] && r.qty[i] > 0 && r.price[i] > 0) {
      const c = r.sku[i] * nWeeks + Math.floor((r.day[i] - week0) / 7);
      paidSum[c] += r.qty[i] * r.price[i];
      paidQty[c] += r.qty[i];
    }
  const paid = Float64Array.from(paidSum, (s, c) => (paidQty[c] > 0 ? s / paidQty[c] : NaN));
  return { nWeeks, week0, index, paid, units, refQty, tierDiscount };
}

/** Panel rows (item-weeks with registered sales) with the chosen price, weeks in [from, to). */
export function panelRows(w: WeeklyPanels, skus: string[], cats: string[], price: 'index' | 'paid', from = 0, to = w.nWeeks): PanelRow[] {
  const rows: PanelRow[] = [];
  const src = price === 'index' ? w.index : w.paid;
  for (let k = 0; k < skus.length; k++)
    for (let t = from; t < to; t++) {
      const c = k * w.nWeeks + t;
      if (w.units[c] > 0 && src[c] > 0) rows.push({ sku: skus[k], category: cats[k], period: t, qty: w.units[c], price: src[c] });
    }
  return rows;
}

export function describe(values: number[]): string {
  if (!values.length) return 'n=0';
  const q = (p: number) => quantile(values, p).toFixed(2);
  const neg = values.filter((v) => v < 0).length / values.length;
  return `n=${values.length}  p5 ${q(0.05)}  p25 ${q(0.25)}  median ${q(0.5)}  p75 ${q(0.75)}  p95 ${q(0.95)}  share<0 ${(100 * neg).toFixed(0)}%`;
}

