/**
 * The two evaluation protocols behind `shelfwise recommend eval` / `rating-eval` and the benchmark.
 * Pure: data in, figures out. Timings only when the caller passes clocks (the domain has none of its own).
 */
import { basketHoldout, basketMetrics, kFoldAssignment, mae, rankingMetrics, rmse, temporalSplit, type RankingMetrics } from './evaluate.ts';
import { predictRating, trainFunkSvd, type FunkSvdOptions, type RatingColumns } from './funk-svd.model.ts';
import { rankBoughtTogether } from './item-recs.ts';
import { rankForUser, trainRecommender, type Component, type RecommenderModel, type RecommenderOptions } from './recommender.ts';
import { topK } from './sparse.ts';
import type { Interaction } from './types.ts';

export interface Clocks {
  /** Seconds, any origin. */
  wall?: () => number;
  cpu?: () => number;
}

export interface Timing {
  wall?: number;
  cpu?: number;
}

function timer(clocks: Clocks | undefined) {
  const w0 = clocks?.wall?.();
  const c0 = clocks?.cpu?.();
  return (): Timing => ({
    wall: w0 === undefined ? undefined : (clocks!.wall!() - w0),
    cpu: c0 === undefined ? undefined : (clocks!.cpu!() - c0),
  });
}

export interface RetailEvalResult {
  users: number;
  items: number;
  cutoff: string;
  models: Record<string, RankingMetrics>;
  new_items: Record<string, RankingMetrics>;
  fbt: { cases: number; 'hr@10': number; mrr: number };
  fbt_popularity: { cases: number; 'hr@10': number; mrr: number };
  train_time?: Timing;
  model?: RecommenderModel;
}

const NAMES: Record<Component, string> = {
  auto: 'auto',
  popularity: 'popularity',
  trend: 'popularity_recent',
  'buy-again': 'buy_again',
  'repeat-count': 'buy_again_plain',
  'item-knn': 'item_knn',
  ease: 'ease',
  ials: 'ials',
};

/**
 * Trains on everything before the last `testDays`, scores each returning customer's distinct items in the
 * window (and, for new_items, only those they never bought before), and hides one item per test basket for
 * frequently-bought-together.
 */
export function evaluateRetail(
  events: Interaction[],
  opts: { testDays?: number; components?: Component[]; recommender?: RecommenderOptions; clocks?: Clocks; keepModel?: boolean } = {},
): RetailEvalResult {
  const split = temporalSplit(events, opts.testDays ?? 30);
  const stop = timer(opts.clocks);
  const m = trainRecommender(split.train, opts.recommender);
  const trainTime = stop();
  const nItems = m.items.ids.length;
  const components = opts.components ?? ['popularity', 'trend', 'repeat-count', 'buy-again', 'item-knn', 'ials', 'ease', 'auto'];
  const models: Record<string, RankingMetrics> = {};
  const newItems: Record<string, RankingMetrics> = {};
  for (const c of components) {
    if ((c === 'ease' && !m.ease) || (c === 'ials' && !m.ials)) continue;
    models[NAMES[c]] = rankingMetrics(split.truth, (u) => rankForUser(m, u, 20, c), nItems);
    if (c !== 'buy-again' && c !== 'repeat-count') newItems[NAMES[c]] = rankingMetrics(split.newItemsTruth, (u) => rankForUser(m, u, 20, c, true), nItems);
  }
  const cases = basketHoldout(split.test);
  const fbt = basketMetrics(cases, (rest) => rankBoughtTogether(m, rest, 100));
  const fbtPop = basketMetrics(cases, (rest) => {
    const skip = new Set(rest.map((id) => m.items.index.get(id)));
    return topK(m.popularity, 100, (j) => skip.has(j)).map((j) => m.items.ids[j]);
  });
  return {
    users: split.truth.size,
    items: nItems,
    cutoff: new Date(split.cutoff).toISOString(),
    models,
    new_items: newItems,
    fbt,
    fbt_popularity: fbtPop,
    train_time: opts.clocks ? trainTime : undefined,
    model: opts.keepModel ? m : undefined,
  };
}

export interface RatingEvalResult {
  rmse: number;
  mae: number;
  folds: number;
  per_fold: { rmse: number; mae: number; baseline_rmse: number; fit?: Timing }[];
  fit_seconds_per_fold?: number;
  fit_cpu_seconds_per_fold?: number;
  baseline: { rmse: number; mae: number };
}

/** k-fold (seeded, equal folds) RMSE / MAE of Funk-SVD against the global-mean baseline. */
export function evaluateRatings(
  r: RatingColumns,
  opts: { folds?: number; runFolds?: number; svd?: FunkSvdOptions; clocks?: Clocks; seed?: number } = {},
): RatingEvalResult {
  const folds = opts.folds ?? 5;
  const runFolds = Math.min(folds, opts.runFolds ?? folds);
  const fold = kFoldAssignment(r.rating.length, folds, opts.seed ?? 42);
  const perFold: RatingEvalResult['per_fold'] = [];
  let se = 0;
  let ae = 0;
  let bse = 0;
  let bae = 0;
  let count = 0;
  for (let f = 0; f < runFolds; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let k = 0; k < fold.length; k++) (fold[k] === f ? te : tr).push(k);
    const pick = (idx: number[]) => ({
      user: idx.map((k) => r.user[k]),
      item: idx.map((k) => r.item[k]),
      rating: idx.map((k) => r.rating[k]),
    });
    const stop = timer(opts.clocks);
    const m = trainFunkSvd(pick(tr), opts.svd);
    const fit = stop();
    const actual = te.map((k) => r.rating[k]);
    const pred = te.map((k) => predictRating(m, r.user[k], r.item[k]));
    const base = te.map(() => m.mean);
    const fr = rmse(pred, actual);
    const fm = mae(pred, actual);
    const br = rmse(base, actual);
    perFold.push({ rmse: fr, mae: fm, baseline_rmse: br, fit: opts.clocks ? fit : undefined });
    se += fr * fr * te.length;
    ae += fm * te.length;
    bse += br * br * te.length;
    bae += mae(base, actual) * te.length;
    count += te.length;
  }
  const avg = (key: 'wall' | 'cpu') => {
    const v = perFold.map((p) => p.fit?.[key]).filter((x): x is number => x !== undefined);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
  };
  return {
    rmse: Math.sqrt(se / count),
    mae: ae / count,
    folds: runFolds,
    per_fold: perFold,
    fit_seconds_per_fold: avg('wall'),
    fit_cpu_seconds_per_fold: avg('cpu'),
    baseline: { rmse: Math.sqrt(bse / count), mae: bae / count },
  };
}
