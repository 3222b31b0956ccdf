import type { SalesRow } from './types.ts';
import { fromEpochDay, toEpochDay, weekStart } from './dates.ts';

/** Weekly top-N best sellers (ISO weeks, Monday start) with current stock. */

export interface TopSellersOptions {
  n?: number;
  /** Rank by units (default) or revenue. */
  by?: 'qty' | 'revenue';
  /** Inclusive date range. */
  from?: string | number;
  to?: string | number;
  /** Current on-hand per SKU (shown next to each seller). */
  stock?: ReadonlyMap<string, number>;
  /** Ties at the N-th place: 'include' every tied item (default) or 'cut' at N (ties by sku). */
  ties?: 'include' | 'cut';
}

export interface TopSellerRow {
  /** Competition rank (1, 2, 2, 4 …). */
  rank: number;
  sku: string;
  qty: number;
  revenue: number;
  onHand: number | null;
}

export interface WeeklyTop {
  weekStart: string;
  totalQty: number;
  totalRevenue: number;
  top: TopSellerRow[];
}

export function weeklyTopSellers(rows: SalesRow[], opts: TopSellersOptions = {}): WeeklyTop[] {
  const n = opts.n ?? 5;
  const by = opts.by ?? 'qty';
  const from = opts.from !== undefined ? toEpochDay(opts.from) : -Infinity;
  const to = opts.to !== undefined ? toEpochDay(opts.to) : Infinity;
  // week → sku → [qty, revenue]
  const weeks = new Map<number, Map<string, Float64Array>>();
  for (const r of rows) {
    const day = toEpochDay(r.date);
    if (day < from || day > to) continue;
    const w = weekStart(day);
    let m = weeks.get(w);
    if (!m) weeks.set(w, (m = new Map()));
    let acc = m.get(r.sku);
    if (!acc) m.set(r.sku, (acc = new Float64Array(2)));
    acc[0] += r.qty;
    acc[1] += r.revenue ?? r.qty * (r.price ?? 0);
  }
  const k = by === 'qty' ? 0 : 1;
  const out: WeeklyTop[] = [];
  for (const w of [...weeks.keys()].sort((a, b) => a - b)) {
    const m = weeks.get(w)!;
    let totalQty = 0;
    let totalRevenue = 0;
    const list: [string, Float64Array][] = [];
    for (const e of m) {
      totalQty += e[1][0];
      totalRevenue += e[1][1];
      if (e[1][k] > 0) list.push(e);
    }
    list.sort((a, b) => b[1][k] - a[1][k] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const top: TopSellerRow[] = [];
    for (let i = 0; i < list.length; i++) {
      const rank = i > 0 && list[i][1][k] === list[i - 1][1][k] ? top[i - 1].rank : i + 1;
      if (opts.ties === 'cut' ? i >= n : rank > n) break;
      const [sku, acc] = list[i];
      top.push({ rank, sku, qty: acc[0], revenue: acc[1], onHand: opts.stock?.get(sku) ?? null });
    }
    out.push({ weekStart: fromEpochDay(w), totalQty, totalRevenue, top });
  }
  return out;
}
