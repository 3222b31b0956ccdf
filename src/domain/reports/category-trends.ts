import type { SalesRow } from './types.ts';
import { fromEpochDay, periodStart, periodStarts, toEpochDay, type Period } from './dates.ts';

/** Sales trend by category: one series per category over periods, with a growth summary. */

export interface CategoryTrendOptions {
  period?: Period;
  from?: string | number;
  to?: string | number;
  /** SKU → category when the rows carry none ('uncategorised' otherwise). */
  categoryOf?: ReadonlyMap<string, string>;
  /** Group by something else, e.g. `(r) => r.store ?? 'online'` for trends by store. */
  groupBy?: (r: SalesRow) => string;
  /** Periods compared by `recentChange` (last k vs the k before). Default 4. */
  compareLast?: number;
}

export interface CategoryTrend {
  category: string;
  qty: Float64Array;
  revenue: Float64Array;
  totalQty: number;
  totalRevenue: number;
  /** Revenue of the last k periods ÷ the k before − 1 (NaN when the earlier window is 0). */
  recentChange: number;
  /** Log-linear OLS slope of revenue per period (e^slope − 1: average growth per period). */
  growthPerPeriod: number;
}

export interface CategoryTrends {
  periods: string[];
  categories: CategoryTrend[];
}

function logLinearGrowth(v: Float64Array): number {
  const pts: [number, number][] = [];
  v.forEach((x, i) => {
    if (x > 0) pts.push([i, Math.log(x)]);
  });
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return Math.exp(sxy / sxx) - 1;
}

export function categoryTrends(rows: SalesRow[], opts: CategoryTrendOptions = {}): CategoryTrends {
  const period = opts.period ?? 'week';
  let lo = opts.from !== undefined ? toEpochDay(opts.from) : Infinity;
  let hi = opts.to !== undefined ? toEpochDay(opts.to) : -Infinity;
  if (opts.from === undefined || opts.to === undefined)
    for (const r of rows) {
      const d = toEpochDay(r.date);
      if (opts.from === undefined && d < lo) lo = d;
      if (opts.to === undefined && d > hi) hi = d;
    }
  if (!(lo <= hi)) return { periods: [], categories: [] };
  const starts = periodStarts(lo, hi, period);
  const slot = new Map(starts.map((s, i) => [s, i]));
  const np = starts.length;
  const byCat = new Map<string, { qty: Float64Array; revenue: Float64Array }>();
  const slotOfDay = new Map<number, number>();
  for (const r of rows) {
    const d = toEpochDay(r.date);
    if (d < lo || d > hi) continue;
    const cat = opts.groupBy ? opts.groupBy(r) : (r.category ?? opts.categoryOf?.get(r.sku) ?? 'uncategorised');
    let acc = byCat.get(cat);
    if (!acc) byCat.set(cat, (acc = { qty: new Float64Array(np), revenue: new Float64Array(np) }));
    let i = slotOfDay.get(d);
    if (i === undefined) slotOfDay.set(d, (i = slot.get(periodStart(d, period))!));
    acc.qty[i] += r.qty;
    acc.revenue[i] += r.revenue ?? r.qty * (r.price ?? 0);
  }
  const k = opts.compareLast ?? 4;
  const categories: CategoryTrend[] = [...byCat.entries()].map(([category, { qty, revenue }]) => {
    let last = 0;
    let prev = 0;
    for (let i = np - k; i < np; i++) if (i >= 0) last += revenue[i];
    for (let i = np - 2 * k; i < np - k; i++) if (i >= 0) prev += revenue[i];
    return {
      category,
      qty,
      revenue,
      totalQty: qty.reduce((s, x) => s + x, 0),
      totalRevenue: revenue.reduce((s, x) => s + x, 0),
      recentChange: prev > 0 ? last / prev - 1 : NaN,
      growthPerPeriod: logLinearGrowth(revenue),
    };
  });
  categories.sort((a, b) => b.totalRevenue - a.totalRevenue || (a.category < b.category ? -1 : 1));
  return { periods: starts.map(fromEpochDay), categories };
}
