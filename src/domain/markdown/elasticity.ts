import { invalid } from './stats.ts';
import type { ElasticityPanel } from './elasticity-panel.ts';
import { empiricalBayes, pooledOf, splitHalfSeScale, withinMoments } from './elasticity-pooling.ts';

/**
 * Price elasticity from price changes in the history.
 *
 * Model, per item i and period t with sales: log Q_it = a_i + w_g(t) + β_i log P_it + e_it, where w is a
 * period effect shared by all items (or by the item's category) — it absorbs seasonality, trend and
 * shop-wide shocks. Start from the two-way fixed-effects (item + period) pooled slope per category,
 * then backfit: period effects of log Q − β_i log P, own within-item slopes of the time-adjusted log Q,
 * and an empirical-Bayes (normal–normal) posterior item → category → all items with the between-item
 * variance τ² by DerSimonian–Laird (or fixed; see `chooseTau`); four rounds. Standard errors are first
 * calibrated by split halves. An item with little price variation has a large
 * standard error and lands near its category; one with no variation gets the category mean.
 */

export interface ElasticityOptions {
  /** Period effects shared by all items ('global', default), per category, or none. */
  timeEffects?: 'none' | 'global' | 'category';
  /** Minimum item-periods for an item's own estimate. Default 6. */
  minObs?: number;
  /** Minimum sd of the adjusted log price for an item's own estimate (≈ % price variation). Default 0.01. */
  minLogPriceSd?: number;
  /** Floor of the between-item sd τ (keeps some item signal). Default 0.1. */
  minTau?: number;
  /** Also partial out a linear trend per item (its own life cycle: launch, fade) from log Q and log P.
   * Default false. */
  itemTrend?: boolean;
  /** Calibrate the OLS standard errors by split halves (default true): fit each item on its even and on
   * its odd periods; if the two halves disagree more than their standard errors allow (serial correlation,
   * outliers, misspecification), all standard errors are scaled up by the median excess. */
  calibrateSe?: boolean;
  /** Between-item variance τ²: DerSimonian–Laird moments ('dl', default), a MAD-based estimate
   * ('robust'), or a fixed τ (e.g. chosen out of time by `chooseTau`). */
  tau?: 'dl' | 'robust' | number;
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
  /** Mean log price over the item's periods, and the level a_i of log Q = a_i + w_t + shrunk · log P. */
  meanLogPrice: number;
  level: number;
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
  /** Period effects w (per period, or per category × period for timeEffects 'category'; zeros for 'none'). */
  periodEffect: Float64Array;
  categories: GroupElasticity[];
  /** seScale: factor applied to the OLS standard errors by the split-half calibration (1 = none). */
  global: { pooled: number; pooledSe: number; mean: number; tau: number; tauCategory: number; seScale: number };
}

/** Period(-group) effects w of r = a_item + w_group + e, by alternating means. */
function periodEffects(r: Float64Array, item: Int32Array, nItems: number, group: Int32Array, nGroups: number, maxPasses: number): Float64Array {
  const n = r.length;
  const a = new Float64Array(nItems);
  const ci = new Float64Array(nItems);
  const w = new Float64Array(nGroups);
  const cg = new Float64Array(nGroups);
  for (let k = 0; k < n; k++) {
    ci[item[k]]++;
    cg[group[k]]++;
  }
  const sg = new Float64Array(nGroups);
  for (let pass = 0; pass < maxPasses; pass++) {
    a.fill(0);
    for (let k = 0; k < n; k++) a[item[k]] += r[k] - w[group[k]];
    for (let i = 0; i < nItems; i++) if (ci[i] > 0) a[i] /= ci[i];
    sg.fill(0);
    for (let k = 0; k < n; k++) sg[group[k]] += r[k] - a[item[k]];
    let moved = 0;
    for (let g = 0; g < nGroups; g++)
      if (cg[g] > 0) {
        const v = sg[g] / cg[g];
        moved = Math.max(moved, Math.abs(v - w[g]));
        w[g] = v;
      }
    if (moved < 1e-9) break;
  }
  return w;
}

export function fitElasticities(panel: ElasticityPanel, opts: ElasticityOptions = {}): ElasticityFit {
  const minObs = opts.minObs ?? 6;
  const minSd = opts.minLogPriceSd ?? 0.01;
  const minTau2 = (opts.minTau ?? 0.1) ** 2;
  const passes = opts.maxPasses ?? 50;
  const time = opts.timeEffects ?? 'global';
  const tauMode = opts.tau ?? 'dl';
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
  const members: number[][] = Array.from({ length: nCat }, () => []);
  for (let i = 0; i < nItems; i++) members[panel.itemCategory[i]].push(i);
  const all = Array.from({ length: nItems }, (_, i) => i);
  const x = panel.logP;
  const yAdj = Float64Array.from(panel.logQ);

  // Start: per-category pooled slope of the two-way (item + period) fixed-effects model.
  let slope = new Float64Array(nItems);
  if (group) {
    const g = group;
    const wy = periodEffects(panel.logQ, panel.item, nItems, g, nGroups, passes);
    const wx = periodEffects(x, panel.item, nItems, g, nGroups, passes);
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      dx[k] = x[k] - wx[g[k]];
      dy[k] = panel.logQ[k] - wy[g[k]];
    }
    const m2 = withinMoments(dx, dy, panel.item, nItems);
    for (let c = 0; c < nCat; c++) {
      const b = pooledOf(m2, members[c]).beta;
      for (const i of members[c]) slope[i] = Number.isNaN(b) ? 0 : b;
    }
  }
  // Backfitting: period effects of log Q net of each item's current slope → own slopes of the
  // time-adjusted log Q → empirical-Bayes posterior; repeat so w and β settle together.
  const trend = opts.itemTrend ? Float64Array.from(panel.period) : undefined;
  let mom = withinMoments(x, yAdj, panel.item, nItems, trend);
  const calibrate = opts.calibrateSe ?? true;
  let seScale = calibrate ? splitHalfSeScale(x, yAdj, panel.item, panel.period, nItems, minObs, minSd, trend) : 1;
  let post = empiricalBayes(mom, panel.itemCategory, members, minObs, minSd, minTau2, tauMode, seScale);
  let w: Float64Array = new Float64Array(Math.max(nGroups, panel.nPeriods));
  const rounds = group ? 4 : 0;
  for (let round = 0; round < rounds; round++) {
    const g = group!;
    const r = new Float64Array(n);
    for (let k = 0; k < n; k++) r[k] = panel.logQ[k] - slope[panel.item[k]] * x[k];
    w = periodEffects(r, panel.item, nItems, g, nGroups, passes);
    for (let k = 0; k < n; k++) yAdj[k] = panel.logQ[k] - w[g[k]];
    mom = withinMoments(x, yAdj, panel.item, nItems, trend);
    if (calibrate) seScale = splitHalfSeScale(x, yAdj, panel.item, panel.period, nItems, minObs, minSd, trend);
    post = empiricalBayes(mom, panel.itemCategory, members, minObs, minSd, minTau2, tauMode, seScale);
    slope = Float64Array.from(post.itemMean);
  }
  const gPooled = pooledOf(mom, all);
  const categories: GroupElasticity[] = members.map((idx, c) => {
    const pooled = pooledOf(mom, idx);
    return {
      category: panel.categories[c],
      pooled: pooled.beta,
      pooledSe: pooled.se,
      mean: post.catMean[c],
      meanSd: Math.sqrt(post.catVar[c]),
      nItems: idx.length,
      nWithOwn: idx.filter((i) => !Number.isNaN(post.raw[i])).length,
    };
  });
  const items: ItemElasticity[] = all.map((i) => ({
    sku: panel.skus[i],
    category: panel.categories[panel.itemCategory[i]],
    n: mom.cnt[i],
    logPriceSd: mom.cnt[i] > 0 ? Math.sqrt(mom.sxx[i] / mom.cnt[i]) : 0,
    raw: Number.isNaN(post.raw[i]) ? null : post.raw[i],
    rawSe: Number.isNaN(post.rawSe[i]) ? null : post.rawSe[i],
    shrunk: post.itemMean[i],
    shrunkSd: Math.sqrt(post.itemVar[i]),
    ownWeight: post.ownWeight[i],
    meanLogPrice: mom.meanX[i],
    level: mom.meanY[i] - post.itemMean[i] * mom.meanX[i],
  }));
  return {
    items,
    periodEffect: w,
    categories,
    global: { pooled: gPooled.beta, pooledSe: gPooled.se, mean: post.gMean, tau: Math.sqrt(post.tau2), tauCategory: Math.sqrt(post.tauC2), seScale },
  };
}
