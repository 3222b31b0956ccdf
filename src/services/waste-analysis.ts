import { abcXyz, buildPanel, fitElasticities, slowStockMetrics, slowStockReport, type AbcClass, type MarkdownItem, type MatrixCell, type PanelRow, type StockStatus, type XyzClass } from '../domain/markdown/index.ts';
import type { ReceiptArrays, SalesArrays, StockRow } from '../db/repositories/waste.repository.ts';

/**
 * Turns the repository's per-item arrays into the domain's MarkdownItems and runs classification, slow/dead
 * stock and the elasticity fit in one pass. Pure (no database): the service loads, this computes.
 */

export type ElasticitySource = 'item' | 'category' | 'pooled' | 'default';

export interface AnalysisOptions {
  /** Days of history for ABC/XYZ, demand and elasticity (default 365). */
  windowDays?: number;
  /** Excess = on hand − demand over this many days (default 90). */
  horizonDays?: number;
  /** No sale for this many days with stock on hand → dead (default 90). */
  deadDays?: number;
  /** Days of cover above this → slow (default 120). */
  slowCoverDays?: number;
  /** ABC cut points: cumulative revenue shares closing A and B (default 0.8 and 0.95). */
  aShare?: number;
  bShare?: number;
  /** XYZ: CV of weekly demand closing X and Y (default 0.5 and 1.0). */
  xMax?: number;
  yMax?: number;
  /** Between-item sd of elasticities for the shrinkage (default 0.3: chosen out of time on Online Retail, docs/markdown.md). */
  tau?: number;
}

export interface WasteItem {
  productId: number;
  locationId: number;
  sku: string;
  name: string;
  category: string;
  location: string;
  price: number;
  cost: number;
  onHand: number;
  abc: AbcClass;
  xyz: XyzClass;
  /** Coefficient of variation of weekly demand (null: no demand). */
  cv: number | null;
  revenue: number;
  daysSinceLastSale: number | null;
  idleDays: number;
  dailyDemand: number;
  demandSource: 'forecast' | 'history';
  /** null = infinite (stock but no demand). */
  daysOfCover: number | null;
  sellThrough: number;
  avgAgeDays: number | null;
  oldestAgeDays: number | null;
  excessUnits: number;
  tiedUpValue: number;
  stockValue: number;
  status: StockStatus;
  elasticity: number;
  elasticitySd: number;
  elasticitySource: ElasticitySource;
}

export interface ElasticitySummary {
  items: number;
  withOwnEstimate: number;
  pooled: number | null;
  mean: number | null;
  tau: number;
  /** Posterior elasticities of the items with sales at a price: quantiles and a histogram (bins of 0.25). */
  quantiles: { p5: number; p25: number; p50: number; p75: number; p95: number } | null;
  histogram: { from: number; to: number; count: number }[];
  categories: { category: string; pooled: number | null; mean: number; items: number; withOwn: number }[];
}

export interface AnalysisResult {
  items: WasteItem[];
  matrix: MatrixCell[];
  totals: { items: number; dead: number; slow: number; excessUnits: number; tiedUpValue: number; stockValue: number };
  elasticity: ElasticitySummary;
  /** Compute time per step, ms. */
  timings: Record<'build' | 'abcXyz' | 'slowStock' | 'elasticity' | 'total', number>;
}

const DEFAULT_ELASTICITY = -1.5;

export function runAnalysis(
  stock: StockRow[],
  sales: SalesArrays[],
  receipts: ReceiptArrays[],
  forecasts: { product_id: number; location_id: number; daily: number }[],
  endDay: number,
  opts: AnalysisOptions = {},
): AnalysisResult {
  const t0 = performance.now();
  const W = opts.windowDays ?? 365;
  const startDay = endDay - W + 1;
  const key = (p: number, l: number) => p * 100_000 + l;
  const salesBy = new Map(sales.map((s) => [key(s.product_id, s.location_id), s]));
  const recBy = new Map(receipts.map((r) => [key(r.product_id, r.location_id), r]));
  const fcBy = new Map(forecasts.map((f) => [key(f.product_id, f.location_id), f.daily]));
  const zeros = new Float64Array(W); // shared by every item without sales (read only)
  const panel: PanelRow[] = [];
  const items: MarkdownItem[] = stock.map((s) => {
    const k = key(s.product_id, s.location_id);
    const sa = salesBy.get(k);
    let daily = zeros;
    let price: Float64Array | undefined;
    let first = 0;
    if (sa) {
      daily = new Float64Array(W);
      price = new Float64Array(W);
      const wq = new Float64Array(Math.ceil(W / 7));
      const wr = new Float64Array(wq.length);
      for (let j = 0; j < sa.days.length; j++) {
        const i = sa.days[j] - startDay;
        if (i < 0 || i >= W) continue;
        daily[i] = Math.max(0, Number(sa.net[j]));
        const q = Number(sa.sold[j]);
        const r = Number(sa.revenue[j]);
        if (q > 0 && r > 0) {
          price[i] = r / q;
          wq[Math.floor(i / 7)] += q;
          wr[Math.floor(i / 7)] += r;
        }
      }
      for (let w = 0; w < wq.length; w++) if (wq[w] > 0 && wr[w] > 0) panel.push({ sku: String(k), category: s.category, period: w, qty: wq[w], price: wr[w] / wq[w] });
      // The series starts at the item's first sale in the window: weeks before its launch are not "no demand" (XYZ).
      first = Math.max(0, daily.findIndex((v) => v > 0));
    }
    const rc = recBy.get(k);
    const fc = fcBy.get(k);
    return {
      sku: String(k),
      category: s.category,
      price: s.price,
      cost: s.cost,
      onHand: Math.max(0, s.on_hand),
      dailySales: first > 0 ? daily.subarray(first) : daily,
      dailyPrice: price && first > 0 ? price.subarray(first) : price,
      receipts: rc ? rc.days.map((d, j) => ({ date: d, qty: Number(rc.qty[j]), unitCost: Number(rc.cost[j]) })) : [],
      forecastDaily: fc !== undefined && fc !== null && Number.isFinite(fc) ? fc : undefined,
      startDay: startDay + first,
    };
  });

  const t1 = performance.now();
  const cls = abcXyz(items, { aShare: opts.aShare, bShare: opts.bShare, xMax: opts.xMax, yMax: opts.yMax, periodDays: 7 });
  const slowOpts = { horizonDays: opts.horizonDays, deadDays: opts.deadDays, slowCoverDays: opts.slowCoverDays };
  const t2 = performance.now();
  const slow = slowStockReport(items, slowOpts);
  const t3 = performance.now();
  // `ranked` holds only the excess and dead items; the others are computed the same way on demand.
  const slowBy = new Map(slow.ranked.map((r) => [r.sku, r]));
  const el = fitElasticitiesSafe(panel, opts.tau ?? 0.3);
  const t4 = performance.now();

  const out: WasteItem[] = stock.map((s, i) => {
    const c = cls.items[i];
    const row = slowBy.get(items[i].sku) ?? slowStockMetrics(items[i], slowOpts);
    const e = el.byKey.get(items[i].sku);
    const cat = el.byCategory.get(s.category);
    const [elasticity, elasticitySd, elasticitySource]: [number, number, ElasticitySource] = e
      ? [e.shrunk, e.shrunkSd, e.raw !== null ? 'item' : 'category']
      : cat
        ? [cat.mean, cat.meanSd, 'category']
        : el.global
          ? [el.global.mean, 0.5, 'pooled']
          : [DEFAULT_ELASTICITY, 0.5, 'default'];
    return {
      productId: s.product_id,
      locationId: s.location_id,
      sku: s.sku,
      name: s.name,
      category: s.category,
      location: s.location,
      price: s.price,
      cost: s.cost,
      onHand: s.on_hand,
      abc: c.abc,
      xyz: c.xyz,
      cv: Number.isFinite(c.cv) ? round(c.cv, 3) : null,
      revenue: round(c.revenue, 2),
      daysSinceLastSale: row.daysSinceLastSale,
      idleDays: row.idleDays,
      dailyDemand: round(row.dailyDemand, 4),
      demandSource: items[i].forecastDaily !== undefined ? 'forecast' : 'history',
      daysOfCover: Number.isFinite(row.daysOfCover) ? round(row.daysOfCover, 1) : null,
      sellThrough: round(row.sellThrough, 4),
      avgAgeDays: row.avgAgeDays === null ? null : round(row.avgAgeDays, 1),
      oldestAgeDays: row.oldestAgeDays,
      excessUnits: round(row.excessUnits, 1),
      tiedUpValue: round(row.status === 'dead' ? row.stockValue : row.tiedUpValue, 2),
      stockValue: round(row.stockValue, 2),
      status: row.status,
      elasticity: round(elasticity, 3),
      elasticitySd: round(elasticitySd, 3),
      elasticitySource,
    };
  });
  return {
    items: out,
    matrix: cls.matrix.map((m) => ({ ...m, stockValue: round(m.stockValue, 2), revenue: round(m.revenue, 2) })),
    totals: { ...slow.totals, excessUnits: round(slow.totals.excessUnits, 1), tiedUpValue: round(slow.totals.tiedUpValue, 2), stockValue: round(slow.totals.stockValue, 2) },
    elasticity: el.summary,
    timings: { build: ms(t1 - t0), abcXyz: ms(t2 - t1), slowStock: ms(t3 - t2), elasticity: ms(t4 - t3), total: ms(performance.now() - t0) },
  };
}

const ms = (x: number) => Math.round(x);

function fitElasticitiesSafe(rows: PanelRow[], tau: number) {
  const empty = {
    byKey: new Map<string, { shrunk: number; shrunkSd: number; raw: number | null }>(),
    byCategory: new Map<string, { mean: number; meanSd: number }>(),
    global: null as null | { mean: number },
    summary: { items: 0, withOwnEstimate: 0, pooled: null, mean: null, tau, quantiles: null, histogram: [], categories: [] } as ElasticitySummary,
  };
  const panel = buildPanel(rows);
  if (panel.skus.length < 2 || panel.item.length < 12) return empty;
  const fit = fitElasticities(panel, { tau });
  if (!Number.isFinite(fit.global.mean)) return empty;
  const ok = (x: number) => Number.isFinite(x);
  const byKey = new Map(fit.items.filter((i) => ok(i.shrunk)).map((i) => [i.sku, { shrunk: i.shrunk, shrunkSd: ok(i.shrunkSd) ? i.shrunkSd : 0.5, raw: i.raw }]));
  const byCategory = new Map(fit.categories.filter((c) => ok(c.mean)).map((c) => [c.category, { mean: c.mean, meanSd: ok(c.meanSd) ? c.meanSd : 0.5 }]));
  const vals = [...byKey.values()].map((v) => v.shrunk).sort((a, b) => a - b);
  const q = (p: number) => round(vals[Math.min(vals.length - 1, Math.max(0, Math.round(p * (vals.length - 1))))], 3);
  const hist = new Map<number, number>();
  for (const v of vals) {
    const b = Math.floor(Math.max(-6, Math.min(3, v)) * 4) / 4;
    hist.set(b, (hist.get(b) ?? 0) + 1);
  }
  return {
    byKey,
    byCategory,
    global: { mean: fit.global.mean },
    summary: {
      items: vals.length,
      withOwnEstimate: fit.items.filter((i) => i.raw !== null).length,
      pooled: ok(fit.global.pooled) ? round(fit.global.pooled, 3) : null,
      mean: round(fit.global.mean, 3),
      tau,
      quantiles: vals.length ? { p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) } : null,
      histogram: [...hist.entries()].sort((a, b) => a[0] - b[0]).map(([from, count]) => ({ from, to: from + 0.25, count })),
      categories: fit.categories.map((c) => ({ category: c.category, pooled: ok(c.pooled) ? round(c.pooled, 3) : null, mean: round(c.mean, 3), items: c.nItems, withOwn: c.nWithOwn })),
    },
  };
}

export function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
