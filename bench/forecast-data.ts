/** Loaders for the forecasting benchmark and tests: real data sets → daily / weekly series. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { isoToDay } from '../src/domain/forecasting/aggregate.ts';

export interface LoadedSeries {
  id: string;
  values: Float64Array;
  /** ISO date of values[0]. */
  start: string;
  /** Price per unit (mean unit price of the item) for revenue weights; 1 for dollar series. */
  price: number;
}

/**
 * UCI Online Retail → one daily series per product (StockCode starting with 5 digits: postage, fees,
 * manual adjustments are left out). Daily demand = net units (sales minus same-day cancellations),
 * floored at 0. Each series runs from the product's first sale to the data's last day (absent days are
 * zero sales). `maxSkus` keeps the first N products by code (for small test extracts).
 */
export function loadOnlineRetail(
  file: string,
  opts: { maxSkus?: number; gross?: boolean; fromFirstDay?: boolean } = {},
): { series: LoadedSeries[]; firstDay: string; lastDay: string } {
  const rows: string[][] = parse(readFileSync(file), { from_line: 2, relax_quotes: true, skip_empty_lines: true });
  const byCode = new Map<string, Map<number, number>>();
  const priceSum = new Map<string, [number, number]>();
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (const r of rows) {
    const code = r[1];
    if (!/^\d{5}/.test(code)) continue;
    const qty = Number(r[3]);
    if (opts.gross && (qty <= 0 || r[0].startsWith('C'))) continue;
    const day = isoToDay(r[4].slice(0, 10));
    if (day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
    let m = byCode.get(code);
    if (!m) byCode.set(code, (m = new Map()));
    m.set(day, (m.get(day) ?? 0) + qty);
    const price = Number(r[5]);
    if (qty > 0 && price > 0) {
      const ps = priceSum.get(code) ?? [0, 0];
      ps[0] += price * qty;
      ps[1] += qty;
      priceSum.set(code, ps);
    }
  }
  let codes = [...byCode.keys()].sort();
  if (opts.maxSkus) codes = codes.slice(0, opts.maxSkus);
  const series: LoadedSeries[] = [];
  for (const code of codes) {
    const m = byCode.get(code)!;
    let first = Infinity;
    for (const [d, q] of m) if (q > 0 && d < first) first = d;
    if (!Number.isFinite(first)) continue;
    if (opts.fromFirstDay) first = minDay;
    const values = new Float64Array(maxDay - first + 1);
    for (const [d, q] of m) if (d >= first) values[d - first] = Math.max(0, q);
    const ps = priceSum.get(code);
    series.push({ id: code, values, start: new Date(first * 86_400_000).toISOString().slice(0, 10), price: ps ? ps[0] / ps[1] : 1 });
  }
  const iso = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);
  return { series, firstDay: iso(minDay), lastDay: iso(maxDay) };
}

/**
 * Walmart store × department weekly sales → one series per (Store, Dept), over the full common
 * calendar (missing weeks inside a series' span are 0; the series starts at its first week).
 */
export function loadWalmart(file: string): { series: LoadedSeries[]; weeks: string[] } {
  const rows: string[][] = parse(readFileSync(file), { from_line: 2, skip_empty_lines: true });
  const weekSet = new Set<string>();
  for (const r of rows) weekSet.add(r[2]);
  const weeks = [...weekSet].sort();
  const wIdx = new Map(weeks.map((w, i) => [w, i]));
  const by = new Map<string, Float64Array>();
  const firstW = new Map<string, number>();
  for (const r of rows) {
    const key = `${r[0]}-${r[1]}`;
    let v = by.get(key);
    if (!v) by.set(key, (v = new Float64Array(weeks.length)));
    const i = wIdx.get(r[2])!;
    v[i] = Number(r[3]);
    firstW.set(key, Math.min(firstW.get(key) ?? Infinity, i));
  }
  const series: LoadedSeries[] = [];
  for (const [key, v] of by) {
    const f = firstW.get(key)!;
    series.push({ id: key, values: v.slice(f), start: weeks[f], price: 1 });
  }
  return { series, weeks };
}

/** Names of the Walmart covariates, in the order walmartCovariates returns them. */
export const WALMART_COVARIATES = ['IsHoliday', 'Temperature', 'Fuel_Price', 'CPI', 'Unemployment', 'MarkDown1', 'MarkDown2', 'MarkDown3', 'MarkDown4', 'MarkDown5', 'Size'] as const;

/**
 * Walmart's external factors (features.csv per store × week: holiday flag, temperature, fuel price, CPI,
 * unemployment, the five anonymised markdowns, NA → NaN; stores.csv: store size) as covariates aligned
 * with each series from loadWalmart (index 0 = the series' first week). features.csv runs past train.csv,
 * so the arrays cover the held-out weeks: these are the "known in advance" factors the issue names.
 */
// features.csv columns of WALMART_COVARIATES[1..9]: Temperature, Fuel_Price, CPI, Unemployment, MarkDown1-5.
const COLUMNS = [2, 3, 9, 10, 4, 5, 6, 7, 8];

export function walmartCovariates(dir: string, series: LoadedSeries[], weeks: string[]): Float64Array[][] {
  const feats: string[][] = parse(readFileSync(`${dir}/features.csv`), { from_line: 2, skip_empty_lines: true });
  const stores: string[][] = parse(readFileSync(`${dir}/stores.csv`), { from_line: 2, skip_empty_lines: true });
  const size = new Map(stores.map((r) => [r[0], Number(r[2])]));
  const wIdx = new Map(weeks.map((w, i) => [w, i]));
  const num = (v: string): number => (v === 'NA' || v === '' ? NaN : Number(v));
  // per store: one array per covariate over all weeks
  const byStore = new Map<string, Float64Array[]>();
  for (const r of feats) {
    const i = wIdx.get(r[1]);
    if (i === undefined) continue;
    let a = byStore.get(r[0]);
    if (!a) byStore.set(r[0], (a = WALMART_COVARIATES.map(() => new Float64Array(weeks.length).fill(NaN))));
    a[0][i] = r[11] === 'TRUE' ? 1 : 0;
    COLUMNS.forEach((col, c) => (a[c + 1][i] = num(r[col])));
    a[10][i] = size.get(r[0]) ?? NaN;
  }
  const start = new Map(weeks.map((w, i) => [w, i]));
  return series.map((s) => {
    const store = s.id.split('-')[0];
    const a = byStore.get(store);
    const f = start.get(s.start)!;
    return WALMART_COVARIATES.map((_, c) => (a ? a[c].slice(f, f + s.values.length) : new Float64Array(s.values.length).fill(NaN)));
  });
}
