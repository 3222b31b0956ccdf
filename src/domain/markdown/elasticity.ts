import type { MarkdownItem } from './types.ts';
import { invalid } from './stats.ts';

/**
 * Price elasticity from price changes in the history.
 *
 * Model, per item i and period t with sales: log Q_it = a_i + w_g(t) + β_i log P_it + e_it, where w is a
 * period effect shared by all items (or by the item's category) — it absorbs seasonality, trend and
 * promotions-wide shocks. The fixed effects are swept out of both log Q and log P by alternating
 * projections; β_i is the within slope of the residuals. Items then get an empirical-Bayes (normal–normal)
 * posterior: item → category → all items, with the between-item variance τ² by DerSimonian–Laird.
 * An item with little price variation has a large standard error and lands near its category.
 */

export interface ElasticityPanel {
  skus: string[];
  categories: string[];
  /** Per item: index into `categories`. */
  itemCategory: Int32Array;
  nPeriods: number;
  /** One observation per item-period with Q > 0 and P > 0. */
  item: Int32Array;
  period: Int32Array;
  logQ: Float64Array;
  logP: Float64Array;
}

export interface PanelRow {
  sku: string;
  category: string;
  period: number;
  qty: number;
  price: number;
}

/** Build a panel from item-period rows (rows with qty ≤ 0 or price ≤ 0 are dropped). */
export function buildPanel(rows: PanelRow[]): ElasticityPanel {
  const skuIdx = new Map<string, number>();
  const catIdx = new Map<string, number>();
  const itemCat: number[] = [];
  const keep = rows.filter((r) => r.qty > 0 && r.price > 0 && Number.isInteger(r.period) && r.period >= 0);
  let nPeriods = 0;
  for (const r of keep) {
    if (!skuIdx.has(r.sku)) {
      if (!catIdx.has(r.category)) catIdx.set(r.category, catIdx.size);
      skuIdx.set(r.sku, skuIdx.size);
      itemCat.push(catIdx.get(r.category)!);
    }
    nPeriods = Math.max(nPeriods, r.period + 1);
  }
  return {
    skus: [...skuIdx.keys()],
    categories: [...catIdx.keys()],
    itemCategory: Int32Array.from(itemCat),
    nPeriods,
    item: Int32Array.from(keep, (r) => skuIdx.get(r.sku)!),
    period: Int32Array.from(keep, (r) => r.period),
    logQ: Float64Array.from(keep, (r) => Math.log(r.qty)),
    logP: Float64Array.from(keep, (r) => Math.log(r.price)),
  };
}

/** Panel from items' daily series: Q = units per period, P = sales-weighted mean of the known daily prices. */
export function panelFromItems(items: MarkdownItem[], periodDays = 7): ElasticityPanel {
  const rows: PanelRow[] = [];
  for (const it of items) {
    if (!it.dailyPrice) continue;
    const n = it.dailySales.length;
    const nb = Math.floor(n / periodDays);
    for (let b = 0; b < nb; b++) {
      let q = 0;
      let pq = 0;
      for (let d = b * periodDays; d < (b + 1) * periodDays; d++) {
        const p = it.dailyPrice[d];
        if (it.dailySales[d] > 0 && p > 0) {
          q += it.dailySales[d];
          pq += p * it.dailySales[d];
        }
      }
      if (q > 0) rows.push({ sku: it.sku, category: it.category, period: b, qty: q, price: pq / q });
    }
  }
  return buildPanel(rows);
}

export interface ElasticityOptions {
  /** Period effects shared by all items ('global', default), per category, or none. */
  timeEffects?: 'none' | 'global' | 'category';
  /** Minimum item-periods for an item's own estimate. Default 6. */
  minObs?: number;
  /** Minimum sd of the adjusted log price for an item's own estimate (≈ % price variation). Default 0.01. */
  minLogPriceSd?: number;
  /** Floor of the between-item sd τ (keeps some item signal). Default 0.1. */
  minTau?: number;
  /** Alternating-projection passes for the fixed effects. Default 50 (stops earlier on convergence). */
  maxPasses?: number;
}

export interface ItemElasticity {
  sku: string;
  category: string;
  n: number;
  logPriceSd: number;
  /** Own within-item estimate and its standard error (null: too few observations or no price variation). */
  raw: number | null;
  rawSe: number | null;
  /** Empirical-Bayes posterior mean and sd. */
  shrunk: number;
  shrunkSd: number;
  /** Weight of the item's own estimate in the posterior (0 = pure category). */
  ownWeight: number;
}

export interface GroupElasticity {
  category: string;
  /** Pooled within estimator over the category's items (one common slope). */
  pooled: number;
  pooledSe: number;
  /** Random-effects mean of the item estimates, shrunk toward the global mean. */
  mean: number;
  meanSd: number;
  nItems: number;
  nWithOwn: number;
}

export interface ElasticityFit {
  items: ItemElasticity[];
  categories: GroupElasticity[];
  global: { pooled: number; pooledSe: number; mean: number; tau: number; tauCategory: number };
}

/** Sweep item and period(-group) means out of `v` in place by alternating projections. */
function sweepFixedEffects(v: Float64Array, item: Int32Array, nItems: number, group: Int32Array | null, nGroups: number, maxPasses: number): void {
  const n = v.length;
  const si = new Float64Array(nItems);
  const ci = new Float64Array(nItems);
  for (let k = 0; k < n; k++) ci[item[k]]++;
  const sg = new Float64Array(nGroups);
  const cg = new Float64Array(nGroups);
  if (group) for (let k = 0; k < n; k++) cg[group[k]]++;
  for (let pass = 0; pass < maxPasses; pass++) {
    si.fill(0);
    for (let k = 0; k < n; k++) si[item[k]] += v[k];
    for (let k = 0; k < n; k++) v[k] -= si[item[k]] / ci[item[k]];
    if (!group) return;
    sg.fill(0);
    for (let k = 0; k < n; k++) sg[group[k]] += v[k];
    let moved = 0;
    for (let g = 0; g < nGroups; g++) if (cg[g] > 0) moved = Math.max(moved, Math.abs(sg[g] / cg[g]));
    for (let k = 0; k < n; k++) v[k] -= sg[group[k]] / cg[group[k]];
    if (moved < 1e-9) return;
  }
}

/** DerSimonian–Laird between-estimate variance from estimates grouped around their group means. */
function dlTau2(est: number[], se2: number[], grp: number[]): number {
  const byG = new Map<number, number[]>();
  est.forEach((_, i) => {
    let a = byG.get(grp[i]);
    if (!a) byG.set(grp[i], (a = []));
    a.push(i);
  });
  let Q = 0;
  let df = 0;
  let c = 0;
  for (const idx of byG.values()) {
    if (idx.length < 2) continue;
    let sw = 0;
    let sw2 = 0;
    let swb = 0;
    for (const i of idx) {
      const w = 1 / se2[i];
      sw += w;
      sw2 += w * w;
      swb += w * est[i];
    }
    const m = swb / sw;
    for (const i of idx) Q += (est[i] - m) ** 2 / se2[i];
    df += idx.length - 1;
    c += sw - sw2 / sw;
  }
  return c > 0 ? Math.max(0, (Q - df) / c) : 0;
}

export function fitElasticities(panel: ElasticityPanel, opts: ElasticityOptions = {}): ElasticityFit {
  const minObs = opts.minObs ?? 6;
  const minSd = opts.minLogPriceSd ?? 0.01;
  const minTau2 = (opts.minTau ?? 0.1) ** 2;
  const passes = opts.maxPasses ?? 50;
  const time = opts.timeEffects ?? 'global';
  const nItems = panel.skus.length;
  const nCat = panel.categories.length;
  const n = panel.item.length;
  if (panel.logQ.length !== n || panel.logP.length !== n || panel.period.length !== n) invalid('panel arrays differ in length', 'panel');

  let group: Int32Array | null = null;
  let nGroups = 0;
  if (time === 'global') {
    group = panel.period;
    nGroups = panel.nPeriods;
  } else if (time === 'category') {
    group = Int32Array.from(panel.period, (p, k) => panel.itemCategory[panel.item[k]] * panel.nPeriods + p);
    nGroups = nCat * panel.nPeriods;
  }
  const y = Float64Array.from(panel.logQ);
  const x = Float64Array.from(panel.logP);
  sweepFixedEffects(y, panel.item, nItems, group, nGroups, passes);
  sweepFixedEffects(x, panel.item, nItems, group, nGroups, passes);

  const sxx = new Float64Array(nItems);
  const sxy = new Float64Array(nItems);
  const syy = new Float64Array(nItems);
  const cnt = new Float64Array(nItems);
  for (let k = 0; k < n; k++) {
    const i = panel.item[k];
    sxx[i] += x[k] * x[k];
    sxy[i] += x[k] * y[k];
    syy[i] += y[k] * y[k];
    cnt[i]++;
  }
  // Own estimates.
  const raw = new Float64Array(nItems).fill(NaN);
  const rawSe = new Float64Array(nItems).fill(NaN);
  for (let i = 0; i < nItems; i++) {
    if (cnt[i] < minObs || Math.sqrt(sxx[i] / cnt[i]) < minSd) continue;
    const b = sxy[i] / sxx[i];
    const rss = Math.max(syy[i] - b * sxy[i], 1e-12);
    raw[i] = b;
    rawSe[i] = Math.sqrt(rss / (cnt[i] - 2) / sxx[i]);
  }
  // Pooled within estimators per category and overall.
  const pooledOf = (members: number[]) => {
    let a = 0;
    let b = 0;
    let c = 0;
    let m = 0;
    for (const i of members) {
      a += sxx[i];
      b += sxy[i];
      c += syy[i];
      m += cnt[i];
    }
    if (!(a > 0)) return { beta: NaN, se: NaN };
    const beta = b / a;
    return { beta, se: Math.sqrt(Math.max(c - beta * b, 1e-12) / Math.max(1, m - members.length - 1) / a) };
  };
  const members: number[][] = Array.from({ length: nCat }, () => []);
  for (let i = 0; i < nItems; i++) members[panel.itemCategory[i]].push(i);
  const all = Array.from({ length: nItems }, (_, i) => i);
  const gPooled = pooledOf(all);

  // τ² between items (within categories), pooled over categories.
  const own = all.filter((i) => !Number.isNaN(raw[i]));
  const tau2 = Math.max(minTau2, dlTau2(own.map((i) => raw[i]), own.map((i) => rawSe[i] ** 2), own.map((i) => panel.itemCategory[i])));
  // Random-effects mean per category.
  const catMean = new Float64Array(nCat).fill(NaN);
  const catVar = new Float64Array(nCat).fill(NaN);
  for (let c = 0; c < nCat; c++) {
    let sw = 0;
    let swb = 0;
    for (const i of members[c])
      if (!Number.isNaN(raw[i])) {
        const w = 1 / (rawSe[i] ** 2 + tau2);
        sw += w;
        swb += w * raw[i];
      }
    if (sw > 0) {
      catMean[c] = swb / sw;
      catVar[c] = 1 / sw;
    }
  }
  // Categories → global (DL across category means).
  const cats = Array.from({ length: nCat }, (_, c) => c).filter((c) => !Number.isNaN(catMean[c]));
  const tauC2 = Math.max(minTau2 / 4, dlTau2(cats.map((c) => catMean[c]), cats.map((c) => catVar[c]), cats.map(() => 0)));
  let gw = 0;
  let gwb = 0;
  for (const c of cats) {
    const w = 1 / (catVar[c] + tauC2);
    gw += w;
    gwb += w * catMean[c];
  }
  const gMean = gw > 0 ? gwb / gw : Number.isNaN(gPooled.beta) ? -1 : gPooled.beta;
  const gVar = gw > 0 ? 1 / gw : 1;
  const categories: GroupElasticity[] = [];
  const catPost = new Float64Array(nCat);
  const catPostVar = new Float64Array(nCat);
  for (let c = 0; c < nCat; c++) {
    if (Number.isNaN(catMean[c])) {
      catPost[c] = gMean;
      catPostVar[c] = gVar + tauC2;
    } else {
      const p = 1 / catVar[c] + 1 / (tauC2 + gVar);
      catPost[c] = (catMean[c] / catVar[c] + gMean / (tauC2 + gVar)) / p;
      catPostVar[c] = 1 / p;
    }
    const pooled = pooledOf(members[c]);
    categories.push({
      category: panel.categories[c],
      pooled: pooled.beta,
      pooledSe: pooled.se,
      mean: catPost[c],
      meanSd: Math.sqrt(catPostVar[c]),
      nItems: members[c].length,
      nWithOwn: members[c].filter((i) => !Number.isNaN(raw[i])).length,
    });
  }
  const items: ItemElasticity[] = all.map((i) => {
    const c = panel.itemCategory[i];
    const priorVar = tau2 + catPostVar[c];
    let shrunk = catPost[c];
    let postVar = priorVar;
    let ownWeight = 0;
    if (!Number.isNaN(raw[i])) {
      const p = 1 / rawSe[i] ** 2 + 1 / priorVar;
      ownWeight = 1 / rawSe[i] ** 2 / p;
      shrunk = ownWeight * raw[i] + (1 - ownWeight) * catPost[c];
      postVar = 1 / p;
    }
    return {
      sku: panel.skus[i],
      category: panel.categories[c],
      n: cnt[i],
      logPriceSd: cnt[i] > 0 ? Math.sqrt(sxx[i] / cnt[i]) : 0,
      raw: Number.isNaN(raw[i]) ? null : raw[i],
      rawSe: Number.isNaN(rawSe[i]) ? null : rawSe[i],
      shrunk,
      shrunkSd: Math.sqrt(postVar),
      ownWeight,
    };
  });
  return { items, categories, global: { pooled: gPooled.beta, pooledSe: gPooled.se, mean: gMean, tau: Math.sqrt(tau2), tauCategory: Math.sqrt(tauC2) } };
}
