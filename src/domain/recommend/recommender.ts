/**
 * Entry point for known customers and items: train once from interactions, serve from memory.
 *
 *   const model = trainRecommender(events, { now });
 *   recommendForUser(model, customerId, { n: 10, inStock, boost, boostWeight });
 *   similarItems(model, itemId); boughtTogether(model, itemId);   (item-recs.ts)
 *
 * The `auto` ranking blends buy-again (the customer's own purchases, time-decayed and lifted when the item
 * is selling now) with a collaborative score (EASE over the most-bought items + implicit ALS) and recent
 * popularity. Weights were chosen on a validation window (the 30 days before the test window) of
 * Online Retail; see docs/recommendations.md.
 */
import { AppError } from '../../errors.ts';
import { trainBuyAgain } from './buy-again.model.ts';
import { scoreEase, trainEase, type EaseModel, type EaseOptions } from './ease.model.ts';
import { trainFbt, type FbtModel, type FbtOptions } from './fbt.model.ts';
import { scoreIals, trainIals, type IalsModel, type IalsOptions } from './ials.model.ts';
import { buildInteractionData } from './interactions.ts';
import { scoreItemKnn, trainItemKnn, type ItemKnnModel, type ItemKnnOptions } from './item-knn.model.ts';
import { trainPopularity } from './popularity.model.ts';
import { stockAwareRerank, type StockOptions } from './rerank.ts';
import { topK } from './sparse.ts';
import type { Csr, IdIndex, Interaction, InteractionColumns, Recommendation } from './types.ts';
import { DAY_MS } from './types.ts';

export interface BlendOptions {
  /** Added to every item the customer bought before, so repeats lead (1 = always before new items). */
  repeatBonus?: number;
  /** Buy-again score is multiplied by (trend + trendEps)^trendPower: re-buys of what sells now rank first. */
  trendPower?: number;
  trendEps?: number;
  /** Weight of the collaborative score (max-normalised per customer). */
  collabWeight?: number;
  /** Weight of recent popularity (max-normalised). */
  trendWeight?: number;
  /** Share of EASE within the collaborative score when both EASE and iALS are trained. */
  easeShare?: number;
}

export interface RecommenderOptions {
  /** Reference time for every decay (ms); default the latest event. */
  now?: number;
  /** 'ease+ials' (default), 'ease', 'ials' or 'item-knn' as the collaborative part of the blend. */
  collaborative?: 'ease+ials' | 'ease' | 'ials' | 'item-knn';
  buyAgainHalfLifeDays?: number;
  /** Half-life of "selling now" popularity. */
  trendHalfLifeDays?: number;
  ease?: EaseOptions;
  ials?: IalsOptions;
  itemKnn?: ItemKnnOptions;
  fbt?: FbtOptions;
  blend?: BlendOptions;
  /** Names for reasons ("because you bought WHITE HANGING HEART T-LIGHT HOLDER"). */
  itemNames?: Map<number, string>;
  /** Progress for a background job: stage name and overall fraction done. */
  onProgress?: (stage: string, fraction: number) => void;
}

export interface RecommenderModel {
  version: 1;
  now: number;
  users: IdIndex;
  items: IdIndex;
  counts: Csr;
  /** Last purchase time per stored (user, item) cell of `counts`. */
  lastTime: Float64Array;
  buyAgain: Csr;
  /** All-time number of distinct customers per item. */
  popularity: Float64Array;
  /** Recent popularity, max-normalised to 1. */
  trend: Float64Array;
  itemKnn: ItemKnnModel;
  ease: EaseModel | null;
  ials: IalsModel | null;
  fbt: FbtModel;
  blend: Required<BlendOptions>;
  itemNames: Map<number, string> | null;
}

export const DEFAULT_BLEND: Required<BlendOptions> = {
  repeatBonus: 1,
  trendPower: 0.3,
  trendEps: 0.02,
  collabWeight: 0.1,
  trendWeight: 0.1,
  easeShare: 0.5,
};

export function trainRecommender(events: Interaction[] | InteractionColumns, opts: RecommenderOptions = {}): RecommenderModel {
  const progress = opts.onProgress ?? (() => {});
  const collab = opts.collaborative ?? 'ease+ials';
  progress('index', 0);
  const d = buildInteractionData(events, opts.now);
  if (d.u.length === 0) throw new AppError('invalid', 'no interactions to train on');
  const lastTime = new Float64Array(d.counts.data.length);
  for (let k = 0; k < d.u.length; k++) {
    const p = cellPosition(d.counts, d.u[k], d.i[k]);
    if (d.t[k] > lastTime[p]) lastTime[p] = d.t[k];
  }
  progress('popularity', 0.05);
  const popularity = trainPopularity(d, { halfLife: Infinity });
  const trend = maxNormalise(trainPopularity(d, { halfLife: (opts.trendHalfLifeDays ?? 7) * DAY_MS }));
  const buyAgain = trainBuyAgain(d, { halfLife: (opts.buyAgainHalfLifeDays ?? 365) * DAY_MS });
  progress('item-knn', 0.1);
  const itemKnn = trainItemKnn(d, opts.itemKnn);
  progress('frequently-bought-together', 0.2);
  const fbt = trainFbt(d, opts.fbt);
  let ease: EaseModel | null = null;
  let ials: IalsModel | null = null;
  if (collab === 'ease' || collab === 'ease+ials') {
    progress('ease', 0.3);
    ease = trainEase(d, opts.ease);
  }
  if (collab === 'ials' || collab === 'ease+ials') {
    progress('ials', 0.65);
    const iterations = opts.ials?.iterations ?? 10;
    ials = trainIals(d.counts, {
      ...opts.ials,
      iterations,
      onIteration: (it, loss) => {
        opts.ials?.onIteration?.(it, loss);
        progress('ials', 0.65 + (0.35 * (it + 1)) / iterations);
      },
    });
  }
  progress('done', 1);
  return {
    version: 1,
    now: d.now,
    users: d.users,
    items: d.items,
    counts: d.counts,
    lastTime,
    buyAgain,
    popularity,
    trend,
    itemKnn,
    ease,
    ials,
    fbt,
    blend: { ...DEFAULT_BLEND, ...opts.blend },
    itemNames: opts.itemNames ?? null,
  };
}

function cellPosition(m: Csr, row: number, col: number): number {
  let lo = m.indptr[row];
  let hi = m.indptr[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (m.indices[mid] === col) return mid;
    if (m.indices[mid] < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function maxNormalise(v: Float64Array): Float64Array {
  let mx = 0;
  for (const x of v) if (x > mx) mx = x;
  if (mx > 0) for (let k = 0; k < v.length; k++) v[k] /= mx;
  return v;
}

/** Rankable components (the bench scores each on the same split). */
export type Component = 'auto' | 'popularity' | 'trend' | 'buy-again' | 'repeat-count' | 'item-knn' | 'ease' | 'ials';

/** Customers with longer histories feed only their most-bought items to the item-to-item models (latency). */
const MAX_COLLAB_HISTORY = 300;

function collabHistory(m: RecommenderModel, u: number): Int32Array {
  const a = m.counts.indptr[u];
  const b = m.counts.indptr[u + 1];
  const hist = m.counts.indices.subarray(a, b);
  if (b - a <= MAX_COLLAB_HISTORY) return hist;
  const order = Array.from({ length: b - a }, (_, k) => k).sort((x, y) => m.counts.data[a + y] - m.counts.data[a + x] || x - y);
  return Int32Array.from(order.slice(0, MAX_COLLAB_HISTORY), (k) => hist[k]);
}

/** Personal decayed frequency × how well the item sells now: (trend + ε)^power. */
function liftedBuyAgain(m: RecommenderModel, u: number): Float64Array {
  const a = m.counts.indptr[u];
  const b = m.counts.indptr[u + 1];
  const bl = m.blend;
  const lifted = new Float64Array(b - a);
  for (let p = a; p < b; p++) {
    const j = m.buyAgain.indices[p];
    lifted[p - a] = m.buyAgain.data[p] * Math.pow(m.trend[j] + bl.trendEps, bl.trendPower);
  }
  return lifted;
}

function addNormalised(src: Float64Array, weight: number, out: Float64Array): void {
  let mx = 0;
  for (const x of src) if (x > mx) mx = x;
  if (mx <= 0 || weight === 0) return;
  const f = weight / mx;
  for (let j = 0; j < out.length; j++) out[j] += f * src[j];
}

/** Scores of every item (index order) for customer index u under one component. */
export function scoreComponent(m: RecommenderModel, u: number, component: Component, out: Float64Array): void {
  const nItems = out.length;
  const a = m.counts.indptr[u];
  const b = m.counts.indptr[u + 1];
  const hist = collabHistory(m, u);
  // fill after the customer's own items: what sells now (recent popularity)
  const tieBreak = (w: number) => addNormalised(m.trend, w, out);
  switch (component) {
    case 'popularity':
      out.set(m.popularity);
      return;
    case 'trend':
      out.set(m.trend);
      return;
    case 'buy-again': {
      tieBreak(1e-3);
      const lifted = liftedBuyAgain(m, u);
      for (let p = a; p < b; p++) out[m.buyAgain.indices[p]] += lifted[p - a];
      return;
    }
    case 'repeat-count':
      tieBreak(1e-3);
      for (let p = a; p < b; p++) out[m.counts.indices[p]] += m.counts.data[p];
      return;
    case 'item-knn':
      scoreItemKnn(m.itemKnn, hist, null, out);
      tieBreak(1e-6);
      return;
    case 'ease':
      if (!m.ease) throw new AppError('invalid', 'model trained without EASE');
      scoreEase(m.ease, hist, null, out);
      tieBreak(1e-6);
      return;
    case 'ials':
      if (!m.ials) throw new AppError('invalid', 'model trained without iALS');
      scoreIals(m.ials, u, out);
      return;
    case 'auto': {
      const bl = m.blend;
      const tmp = new Float64Array(nItems);
      const collab = (src: 'ease' | 'ials' | 'item-knn', w: number) => {
        tmp.fill(0);
        if (src === 'ease' && m.ease) scoreEase(m.ease, hist, null, tmp);
        else if (src === 'ials' && m.ials) scoreIals(m.ials, u, tmp);
        else if (src === 'item-knn') scoreItemKnn(m.itemKnn, hist, null, tmp);
        addNormalised(tmp, w, out);
      };
      if (m.ease && m.ials) {
        collab('ease', bl.collabWeight * bl.easeShare);
        collab('ials', bl.collabWeight * (1 - bl.easeShare));
      } else if (m.ease) collab('ease', bl.collabWeight);
      else if (m.ials) collab('ials', bl.collabWeight);
      else collab('item-knn', bl.collabWeight);
      for (let j = 0; j < nItems; j++) out[j] += bl.trendWeight * m.trend[j];
      let mx = 0;
      const lifted = liftedBuyAgain(m, u);
      for (const v of lifted) if (v > mx) mx = v;
      const lmx = Math.log1p(mx) || 1;
      for (let p = a; p < b; p++) out[m.buyAgain.indices[p]] += bl.repeatBonus + Math.log1p(lifted[p - a]) / lmx;
      return;
    }
  }
}

export interface RecommendOptions extends StockOptions {
  n?: number;
  /** Only items the customer has not bought before. */
  newOnly?: boolean;
  /** Which ranking to serve; default 'auto' (the blend). */
  component?: Component;
  /** Candidates considered before stock filtering and boosts. Default max(50, 5n). */
  pool?: number;
}

/** Item ids only (fast path for evaluation). */
export function rankForUser(m: RecommenderModel, user: number, n: number, component: Component = 'auto', newOnly = false): number[] {
  const u = m.users.index.get(user);
  const out = new Float64Array(m.items.ids.length);
  if (u === undefined) out.set(component === 'popularity' ? m.popularity : m.trend);
  else scoreComponent(m, u, component, out);
  if (newOnly && u !== undefined)
    for (let p = m.counts.indptr[u]; p < m.counts.indptr[u + 1]; p++) out[m.counts.indices[p]] = -Infinity;
  return topK(out, n).map((j) => m.items.ids[j]);
}

export function nameOf(m: RecommenderModel, item: number): string {
  return m.itemNames?.get(item) ?? `item ${item}`;
}

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Top-n for a known customer, with reasons; unknown customers get what sells now. */
export function recommendForUser(m: RecommenderModel, user: number, opts: RecommendOptions = {}): Recommendation[] {
  const n = opts.n ?? 10;
  const component = opts.component ?? 'auto';
  const u = m.users.index.get(user);
  const nItems = m.items.ids.length;
  const scores = new Float64Array(nItems);
  if (u === undefined) scores.set(m.trend);
  else scoreComponent(m, u, component, scores);
  const exclude = new Set<number>(opts.exclude ?? []);
  if (opts.newOnly && u !== undefined)
    for (let p = m.counts.indptr[u]; p < m.counts.indptr[u + 1]; p++) scores[m.counts.indices[p]] = -Infinity;
  const pool = opts.pool ?? Math.max(50, 5 * n);
  const inStock = opts.inStock;
  const skip = (j: number) => {
    const id = m.items.ids[j];
    return exclude.has(id) || (inStock !== undefined && !inStock(id));
  };
  const chosen = new Set(topK(scores, pool, skip));
  if (opts.boost) {
    for (const [id, b] of opts.boost) {
      const j = m.items.index.get(id);
      if (j !== undefined && b > 0 && scores[j] > -Infinity && !skip(j)) chosen.add(j);
    }
  }
  const candidates: Recommendation[] = [...chosen].map((j) => ({ item: m.items.ids[j], score: scores[j], reason: '' }));
  const ranked = stockAwareRerank(candidates, n, opts);
  for (const r of ranked) explain(m, u, r, component);
  return ranked;
}

/** Fills `reason` (and `because`) for one recommendation of customer index u. */
function explain(m: RecommenderModel, u: number | undefined, r: Recommendation, component: Component): void {
  const suffix = r.reason; // " · on offer" from the re-ranker, if any
  const j = m.items.index.get(r.item) as number;
  if (u === undefined) {
    r.reason = 'popular right now' + suffix;
    return;
  }
  const a = m.counts.indptr[u];
  const b = m.counts.indptr[u + 1];
  const own = cellPosition(m.counts, u, j);
  if (own >= 0 && component !== 'ease' && component !== 'ials' && component !== 'item-knn') {
    const times = m.counts.data[own];
    r.reason = `buy again: you bought it ${times === 1 ? 'once' : `${times} times`}, last on ${isoDay(m.lastTime[own])}` + suffix;
    return;
  }
  // strongest item-to-item link from the customer's history (EASE weight, else kNN similarity)
  let best = -1;
  let bestW = 0;
  for (let p = a; p < b; p++) {
    const i = m.counts.indices[p];
    let w = 0;
    if (m.ease && m.ease.slot[i] >= 0 && m.ease.slot[j] >= 0) w = m.ease.b[m.ease.slot[i] * m.ease.n + m.ease.slot[j]];
    else {
      const { k, idx, sim } = m.itemKnn.neighbours;
      for (let q = i * k; q < i * k + k && idx[q] >= 0; q++) if (idx[q] === j) w = sim[q];
    }
    if (w > bestW) {
      bestW = w;
      best = i;
    }
  }
  if (best >= 0 && (component !== 'ials' || !m.ials)) {
    const id = m.items.ids[best];
    r.because = id;
    r.reason = `because you bought ${nameOf(m, id)}` + suffix;
  } else if (m.ials || component === 'ials') r.reason = 'popular with customers like you' + suffix;
  else r.reason = 'popular right now' + suffix;
}
