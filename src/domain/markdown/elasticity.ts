import type { MarkdownItem } from './types.ts';
import { invalid } from './stats.ts';

/**
 * Price elasticity from price changes in the history.
 *
 * Model, per item i and period t with sales: log Q_it = a_i + w_g(t) + β_i log P_it + e_it, where w is a
 * period effect shared by all items (or by the item's category) — it absorbs seasonality, trend and
 * shop-wide shocks. Start from the two-way fixed-effects (item + period) pooled slope per category,
 * then backfit: period effects of log Q − β_i log P, own within-item slopes of the time-adjusted log Q,
 * and an empirical-Bayes (normal–normal) posterior item → category → all items with the between-item
 * variance τ² by DerSimonian–Laird; four rounds. An item with little price variation has a large
 * standard error and lands near its category; one with no variation gets the category mean.
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
  /** Also partial out a linear trend per item (its own life cycle: launch, fade) from log Q and log P.
   * Default false. */
  itemTrend?: boolean;
  /** Calibrate the OLS standard errors by split halves (default true): fit each item on its even and on
   * its odd periods; if the two halves disagree more than their standard errors allow (serial correlation,
   * outliers, misspecification), all standard errors are scaled up by the median excess. */
  calibrateSe?: boolean;
  /** Between-item variance: DerSimonian–Laird moments ('dl') or a MAD-based estimate that heavy-tailed
   * own estimates cannot inflate ('robust', default); a number fixes τ. */
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

/** Sweep item and period(-group) means out of `v` in place by alternating projections. */
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

/**
 * Split-half calibration of the OLS standard errors: per item, slopes on the even and on the odd periods;
 * (b_even − b_odd)² / (se_even² + se_odd²) is χ²₁ when the standard errors are right, with median 0.455.
 * Returns sqrt(median ratio / 0.455), at least 1.
 */
function splitHalfSeScale(
  x: Float64Array,
  y: Float64Array,
  item: Int32Array,
  period: Int32Array,
  nItems: number,
  minObs: number,
  minSd: number,
  t?: Float64Array,
): number {
  const half = (parity: number) => {
    const idx: number[] = [];
    for (let k = 0; k < x.length; k++) if ((period[k] & 1) === parity) idx.push(k);
    const m = withinMoments(
      Float64Array.from(idx, (k) => x[k]),
      Float64Array.from(idx, (k) => y[k]),
      Int32Array.from(idx, (k) => item[k]),
      nItems,
      t ? Float64Array.from(idx, (k) => t[k]) : undefined,
    );
    const b = new Float64Array(nItems).fill(NaN);
    const v = new Float64Array(nItems).fill(NaN);
    for (let i = 0; i < nItems; i++) {
      if (m.cnt[i] < Math.max(m.params + 1, minObs / 2) || Math.sqrt(m.sxx[i] / m.cnt[i]) < minSd) continue;
      b[i] = m.sxy[i] / m.sxx[i];
      v[i] = Math.max(m.syy[i] - b[i] * m.sxy[i], 1e-12) / Math.max(1, m.cnt[i] - m.params) / m.sxx[i];
    }
    return { b, v };
  };
  const e = half(0);
  const o = half(1);
  const ratios: number[] = [];
  for (let i = 0; i < nItems; i++) if (!Number.isNaN(e.b[i]) && !Number.isNaN(o.b[i])) ratios.push((e.b[i] - o.b[i]) ** 2 / (e.v[i] + o.v[i]));
  if (ratios.length < 10) return 1;
  return Math.max(1, Math.sqrt(medianOf(ratios) / 0.4549));
}

/** Robust between-estimate variance: (1.4826 · MAD of estimates around their group medians)² − median se². */
function robustTau2(est: number[], se2: number[], grp: number[]): number {
  const byG = new Map<number, number[]>();
  est.forEach((b, i) => {
    let a = byG.get(grp[i]);
    if (!a) byG.set(grp[i], (a = []));
    a.push(b);
  });
  const med = new Map<number, number>();
  for (const [g, a] of byG) med.set(g, medianOf(a));
  const dev = est.map((b, i) => Math.abs(b - med.get(grp[i])!));
  if (dev.length < 3) return 0;
  return Math.max(0, (1.4826 * medianOf(dev)) ** 2 - medianOf(se2));
}

function medianOf(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) >> 1] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
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

interface Moments {
  /** Parameters per item (intercept, slope, and a trend when partialled out): residual df = n − params. */
  params: number;
  cnt: Float64Array;
  meanX: Float64Array;
  meanY: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  syy: Float64Array;
}

/** Within-item sums of squares and cross-products of (x, y) centred per item. */
function withinMoments(x: Float64Array, y: Float64Array, item: Int32Array, nItems: number, t?: Float64Array): Moments {
  const n = x.length;
  const cnt = new Float64Array(nItems);
  const mx = new Float64Array(nItems);
  const my = new Float64Array(nItems);
  for (let k = 0; k < n; k++) {
    const i = item[k];
    cnt[i]++;
    mx[i] += x[k];
    my[i] += y[k];
  }
  for (let i = 0; i < nItems; i++)
    if (cnt[i] > 0) {
      mx[i] /= cnt[i];
      my[i] /= cnt[i];
    }
  const sxx = new Float64Array(nItems);
  const sxy = new Float64Array(nItems);
  const syy = new Float64Array(nItems);
  for (let k = 0; k < n; k++) {
    const i = item[k];
    const dx = x[k] - mx[i];
    const dy = y[k] - my[i];
    sxx[i] += dx * dx;
    sxy[i] += dx * dy;
    syy[i] += dy * dy;
  }
  if (t) {
    // Partial out a per-item linear trend (Frisch–Waugh): S_ab·t = S_ab − S_at S_bt / S_tt.
    const mt = new Float64Array(nItems);
    for (let k = 0; k < n; k++) mt[item[k]] += t[k];
    for (let i = 0; i < nItems; i++) if (cnt[i] > 0) mt[i] /= cnt[i];
    const stt = new Float64Array(nItems);
    const sxt = new Float64Array(nItems);
    const syt = new Float64Array(nItems);
    for (let k = 0; k < n; k++) {
      const i = item[k];
      const dt = t[k] - mt[i];
      stt[i] += dt * dt;
      sxt[i] += (x[k] - mx[i]) * dt;
      syt[i] += (y[k] - my[i]) * dt;
    }
    for (let i = 0; i < nItems; i++)
      if (stt[i] > 0) {
        sxx[i] -= (sxt[i] * sxt[i]) / stt[i];
        sxy[i] -= (sxt[i] * syt[i]) / stt[i];
        syy[i] -= (syt[i] * syt[i]) / stt[i];
        if (sxx[i] < 1e-14) sxx[i] = 0;
      }
  }
  return { cnt, meanX: mx, meanY: my, sxx, sxy, syy, params: t ? 3 : 2 };
}

/** Pooled within estimator (one common slope) over a set of items. */
function pooledOf(m: Moments, idx: number[]): { beta: number; se: number } {
  let a = 0;
  let b = 0;
  let c = 0;
  let nn = 0;
  for (const i of idx) {
    a += m.sxx[i];
    b += m.sxy[i];
    c += m.syy[i];
    nn += m.cnt[i];
  }
  if (!(a > 0)) return { beta: NaN, se: NaN };
  const beta = b / a;
  return { beta, se: Math.sqrt(Math.max(c - beta * b, 1e-12) / Math.max(1, nn - idx.length - 1) / a) };
}

interface Posterior {
  raw: Float64Array;
  rawSe: Float64Array;
  itemMean: Float64Array;
  itemVar: Float64Array;
  ownWeight: Float64Array;
  catMean: Float64Array;
  catVar: Float64Array;
  gMean: number;
  tau2: number;
  tauC2: number;
}

/** Own estimates, then item → category → global normal–normal posteriors (DerSimonian–Laird τ²). */
function empiricalBayes(
  m: Moments,
  itemCategory: Int32Array,
  members: number[][],
  minObs: number,
  minSd: number,
  minTau2: number,
  tauMode: 'dl' | 'robust' | number,
  seScale = 1,
): Posterior {
  const { cnt, sxx, sxy, syy } = m;
  const nItems = cnt.length;
  const nCat = members.length;
  const raw = new Float64Array(nItems).fill(NaN);
  const rawSe = new Float64Array(nItems).fill(NaN);
  for (let i = 0; i < nItems; i++) {
    if (cnt[i] < minObs || Math.sqrt(sxx[i] / cnt[i]) < minSd) continue;
    const b = sxy[i] / sxx[i];
    raw[i] = b;
    rawSe[i] = seScale * Math.sqrt(Math.max(syy[i] - b * sxy[i], 1e-12) / Math.max(1, cnt[i] - m.params) / sxx[i]);
  }
  const own: number[] = [];
  for (let i = 0; i < nItems; i++) if (!Number.isNaN(raw[i])) own.push(i);
  const tau2 =
    typeof tauMode === 'number'
      ? tauMode ** 2
      : Math.max(
          minTau2,
          (tauMode === 'dl' ? dlTau2 : robustTau2)(
            own.map((i) => raw[i]),
            own.map((i) => rawSe[i] ** 2),
            own.map((i) => itemCategory[i]),
          ),
        );
  const cm = new Float64Array(nCat).fill(NaN);
  const cv = new Float64Array(nCat).fill(NaN);
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
      cm[c] = swb / sw;
      cv[c] = 1 / sw;
    }
  }
  const cats: number[] = [];
  for (let c = 0; c < nCat; c++) if (!Number.isNaN(cm[c])) cats.push(c);
  const tauC2 = Math.max(minTau2 / 4, dlTau2(cats.map((c) => cm[c]), cats.map((c) => cv[c]), cats.map(() => 0)));
  let gw = 0;
  let gwb = 0;
  for (const c of cats) {
    const w = 1 / (cv[c] + tauC2);
    gw += w;
    gwb += w * cm[c];
  }
  const gMean = gw > 0 ? gwb / gw : -1;
  const gVar = gw > 0 ? 1 / gw : 1;
  const catMean = new Float64Array(nCat);
  const catVar = new Float64Array(nCat);
  for (let c = 0; c < nCat; c++) {
    if (Number.isNaN(cm[c])) {
      catMean[c] = gMean;
      catVar[c] = gVar + tauC2;
    } else {
      const p = 1 / cv[c] + 1 / (tauC2 + gVar);
      catMean[c] = (cm[c] / cv[c] + gMean / (tauC2 + gVar)) / p;
      catVar[c] = 1 / p;
    }
  }
  const itemMean = new Float64Array(nItems);
  const itemVar = new Float64Array(nItems);
  const ownWeight = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const c = itemCategory[i];
    const priorVar = tau2 + catVar[c];
    if (Number.isNaN(raw[i])) {
      itemMean[i] = catMean[c];
      itemVar[i] = priorVar;
    } else {
      const p = 1 / rawSe[i] ** 2 + 1 / priorVar;
      ownWeight[i] = 1 / rawSe[i] ** 2 / p;
      itemMean[i] = ownWeight[i] * raw[i] + (1 - ownWeight[i]) * catMean[c];
      itemVar[i] = 1 / p;
    }
  }
  return { raw, rawSe, itemMean, itemVar, ownWeight, catMean, catVar, gMean, tau2, tauC2 };
}

export function fitElasticities(panel: ElasticityPanel, opts: ElasticityOptions = {}): ElasticityFit {
  const minObs = opts.minObs ?? 6;
  const minSd = opts.minLogPriceSd ?? 0.01;
  const minTau2 = (opts.minTau ?? 0.1) ** 2;
  const passes = opts.maxPasses ?? 50;
  const time = opts.timeEffects ?? 'global';
  const tauMode = opts.tau ?? 'robust';
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
    const m2 = withinMoments(
      Float64Array.from(x, (v, k) => v - wx[g[k]]),
      Float64Array.from(panel.logQ, (v, k) => v - wy[g[k]]),
      panel.item,
      nItems,
    );
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
    const r = Float64Array.from(panel.logQ, (v, k) => v - slope[panel.item[k]] * x[k]);
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
