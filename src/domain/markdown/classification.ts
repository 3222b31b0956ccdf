import type { AbcClass, MarkdownItem, XyzClass } from './types.ts';
import { bucketSums, invalid, meanOf } from './stats.ts';

/** ABC by revenue share, XYZ by demand variability, and the 3×3 matrix. */

export interface AbcOptions {
  /** Cumulative revenue shares closing A and B (default 0.80 and 0.95 → 80/15/5). */
  aShare?: number;
  bShare?: number;
}

export interface AbcRow {
  sku: string;
  revenue: number;
  share: number;
  /** Cumulative share up to and including this item, in descending revenue order. */
  cumShare: number;
  rank: number;
  abc: AbcClass;
}

/**
 * ABC by revenue. Items are sorted by revenue (desc, ties by sku); an item belongs to A while the
 * cumulative share *before* it is below `aShare` — so the item that crosses the 80 % line is still A
 * (the usual convention: A is the smallest set reaching 80 %). Likewise for B. Zero revenue is always C.
 */
export function abcClassify(revenues: { sku: string; revenue: number }[], opts: AbcOptions = {}): AbcRow[] {
  const aShare = opts.aShare ?? 0.8;
  const bShare = opts.bShare ?? 0.95;
  if (!(aShare > 0 && aShare <= bShare && bShare <= 1)) invalid('need 0 < aShare <= bShare <= 1', 'aShare');
  const rows = revenues
    .map((r) => ({ sku: r.sku, revenue: Math.max(0, r.revenue) }))
    .sort((x, y) => y.revenue - x.revenue || (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0));
  let total = 0;
  for (const r of rows) total += r.revenue;
  let cum = 0;
  const eps = 1e-12;
  return rows.map((r, i) => {
    const before = total > 0 ? cum / total : 1;
    cum += r.revenue;
    const share = total > 0 ? r.revenue / total : 0;
    const abc: AbcClass = r.revenue <= 0 ? 'C' : before < aShare - eps ? 'A' : before < bShare - eps ? 'B' : 'C';
    return { sku: r.sku, revenue: r.revenue, share, cumShare: total > 0 ? cum / total : 0, rank: i + 1, abc };
  });
}

export interface XyzOptions {
  /** 'demand': CV of demand per period; 'forecastError': RMSE of (actual − forecast) per period ÷ mean demand. */
  basis?: 'demand' | 'forecastError';
  /** Days per period (default 7: weekly demand). */
  periodDays?: number;
  /** Number of most recent days to use (default: all). */
  windowDays?: number;
  /** CV upper bounds of X and Y (default 0.5 and 1.0). */
  xMax?: number;
  yMax?: number;
}

export interface XyzRow {
  sku: string;
  cv: number;
  meanPerPeriod: number;
  xyz: XyzClass;
}

/** Coefficient of variation used for XYZ; Infinity when mean demand is zero (no demand → Z). */
export function demandCv(item: MarkdownItem, opts: XyzOptions = {}): { cv: number; mean: number } {
  const p = opts.periodDays ?? 7;
  const end = item.dailySales.length;
  const start = opts.windowDays ? Math.max(0, end - opts.windowDays) : 0;
  const actual = bucketSums(item.dailySales.subarray(start, end), p);
  const m = meanOf(actual);
  if (!(m > 0)) return { cv: Infinity, mean: 0 };
  if ((opts.basis ?? 'demand') === 'demand') {
    let s = 0;
    for (let i = 0; i < actual.length; i++) s += (actual[i] - m) ** 2;
    return { cv: actual.length > 1 ? Math.sqrt(s / (actual.length - 1)) / m : Infinity, mean: m };
  }
  if (!item.forecastHistory || item.forecastHistory.length !== end)
    invalid(`item ${item.sku}: forecastHistory must align with dailySales for basis 'forecastError'`, 'forecastHistory');
  const fc = bucketSums(item.forecastHistory.subarray(start, end), p);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i] - fc[i]) ** 2;
  return { cv: Math.sqrt(s / actual.length) / m, mean: m };
}

export function xyzClassify(items: MarkdownItem[], opts: XyzOptions = {}): XyzRow[] {
  const xMax = opts.xMax ?? 0.5;
  const yMax = opts.yMax ?? 1.0;
  if (!(xMax > 0 && xMax <= yMax)) invalid('need 0 < xMax <= yMax', 'xMax');
  return items.map((it) => {
    const { cv, mean } = demandCv(it, opts);
    const xyz: XyzClass = cv <= xMax ? 'X' : cv <= yMax ? 'Y' : 'Z';
    return { sku: it.sku, cv, meanPerPeriod: mean, xyz };
  });
}

export interface MatrixCell {
  abc: AbcClass;
  xyz: XyzClass;
  count: number;
  /** On hand × unit cost. */
  stockValue: number;
  revenue: number;
}

export interface AbcXyzResult {
  items: { sku: string; category: string; abc: AbcClass; xyz: XyzClass; revenue: number; cv: number; stockValue: number }[];
  /** 9 cells, A-X, A-Y, A-Z, B-X, … C-Z. */
  matrix: MatrixCell[];
}

/** Revenue over the window (sales × daily price when known, else × current price). */
export function itemRevenue(item: MarkdownItem, windowDays?: number): number {
  const n = item.dailySales.length;
  const start = windowDays ? Math.max(0, n - windowDays) : 0;
  let r = 0;
  for (let i = start; i < n; i++) {
    const q = item.dailySales[i];
    if (q === 0) continue;
    const p = item.dailyPrice?.[i];
    r += q * (p !== undefined && p > 0 ? p : item.price);
  }
  return r;
}

export function abcXyz(items: MarkdownItem[], opts: AbcOptions & XyzOptions = {}): AbcXyzResult {
  const abc = abcClassify(items.map((it) => ({ sku: it.sku, revenue: itemRevenue(it, opts.windowDays) })), opts);
  const xyz = xyzClassify(items, opts);
  const abcBySku = new Map(abc.map((r) => [r.sku, r]));
  const cells = new Map<string, MatrixCell>();
  for (const a of ['A', 'B', 'C'] as const)
    for (const x of ['X', 'Y', 'Z'] as const) cells.set(a + x, { abc: a, xyz: x, count: 0, stockValue: 0, revenue: 0 });
  const out: AbcXyzResult['items'] = [];
  items.forEach((it, i) => {
    const a = abcBySku.get(it.sku)!;
    const x = xyz[i];
    const stockValue = Math.max(0, it.onHand) * it.cost;
    const cell = cells.get(a.abc + x.xyz)!;
    cell.count++;
    cell.stockValue += stockValue;
    cell.revenue += a.revenue;
    out.push({ sku: it.sku, category: it.category, abc: a.abc, xyz: x.xyz, revenue: a.revenue, cv: x.cv, stockValue });
  });
  return { items: out, matrix: [...cells.values()] };
}

/** Plain-text 3×3 table (counts and stock value) for CLI/bench output. */
export function formatMatrix(matrix: MatrixCell[]): string {
  const lines = ['      X                   Y                   Z'];
  for (const a of ['A', 'B', 'C'] as const) {
    const row = (['X', 'Y', 'Z'] as const).map((x) => {
      const c = matrix.find((m) => m.abc === a && m.xyz === x)!;
      return `${String(c.count).padStart(5)} ${c.stockValue.toFixed(0).padStart(11)}  `;
    });
    lines.push(`${a}  ${row.join('')}`);
  }
  return lines.join('\n');
}
