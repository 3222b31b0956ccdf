/**
 * What one training run produces and a server loads: the recommender (buy-again, item-kNN, EASE / iALS, FBT,
 * popularity) plus, when the store collects ratings, Funk-SVD. Pure: columns in, a bundle (and its bytes) out;
 * clocks are passed in. The service runs `trainBundle` in a worker thread and stores `encodeBundle`'s bytes.
 */
import { AppError } from '../../errors.ts';
import { evaluateRetail, type RetailEvalResult } from './evaluation-runs.ts';
import { trainFunkSvd, type FunkSvdModel, type RatingColumns } from './funk-svd.model.ts';
import { decodeValue, encodeValue } from './model-codec.ts';
import { trainRecommender, type RecommenderModel, type RecommenderOptions } from './recommender.ts';
import type { Interaction, InteractionColumns } from './types.ts';

export type Collaborative = NonNullable<RecommenderOptions['collaborative']>;

export interface Bundle {
  version: 1;
  recommender: RecommenderModel;
  svd: FunkSvdModel | null;
}

export interface TrainInput {
  events: InteractionColumns;
  itemNames: Map<number, string>;
  ratings: RatingColumns | null;
  /** 'auto' picks by catalog size (chooseCollaborative). */
  collaborative: Collaborative | 'auto';
  /** Also score a hold-out of the last `testDays` days (trains a second model on the earlier data). */
  evaluate: boolean;
  testDays: number;
}

export interface TrainMetrics {
  customers: number;
  items: number;
  interactions: number;
  ratings: number;
  collaborative: Collaborative;
  seconds: { train: number; ratings: number; evaluate: number; encode: number };
  bytes: number;
  /** Hold-out figures when evaluated: auto / popularity / buy-again NDCG@10, new-items NDCG@10, FBT HR@10. */
  evaluation?: {
    cutoff: string;
    testDays: number;
    users: number;
    ndcg10: Record<string, number>;
    newItemsNdcg10: Record<string, number>;
    fbtHr10: number;
    fbtPopularityHr10: number;
  } | { skipped: string };
}

/** Minimum ratings before Funk-SVD is trained (fewer fit nothing but noise). */
export const MIN_RATINGS = 10;

/**
 * EASE (dense item-item, cubic in items, capped at its 2,000 most-bought) where the catalog is small, the
 * measured blend of EASE and iALS in the middle, iALS alone (linear in the non-zeros) for large catalogs.
 */
export function chooseCollaborative(items: number): Collaborative {
  if (items <= 500) return 'ease';
  if (items <= 20_000) return 'ease+ials';
  return 'ials';
}

export function trainBundle(input: TrainInput, onProgress: (stage: string, fraction: number) => void = () => {}, clock: () => number = () => 0): { bundle: Bundle; bytes: Uint8Array; metrics: TrainMetrics } {
  const ev = input.events;
  const n = ev.user.length;
  if (n === 0) throw new AppError('invalid', 'no sales with a customer to train on');
  const itemSet = new Set<number>();
  const userSet = new Set<number>();
  for (let k = 0; k < n; k++) {
    itemSet.add(ev.item[k]);
    userSet.add(ev.user[k]);
  }
  const collaborative = input.collaborative === 'auto' ? chooseCollaborative(itemSet.size) : input.collaborative;
  const evalShare = input.evaluate ? 0.45 : 0;
  const t0 = clock();
  const recommender = trainRecommender(ev, {
    collaborative,
    itemNames: input.itemNames,
    onProgress: (stage, f) => onProgress(stage, f * (0.9 - evalShare)),
  });
  const t1 = clock();
  let svd: FunkSvdModel | null = null;
  const nRatings = input.ratings?.rating.length ?? 0;
  if (input.ratings && nRatings >= MIN_RATINGS) {
    onProgress('ratings', 0.9 - evalShare);
    svd = trainFunkSvd(input.ratings);
  }
  const t2 = clock();
  let evaluation: TrainMetrics['evaluation'];
  if (input.evaluate) {
    onProgress('evaluate', 0.9 - evalShare);
    evaluation = holdout(ev, input.testDays, collaborative);
  }
  const t3 = clock();
  onProgress('encode', 0.95);
  const bundle: Bundle = { version: 1, recommender, svd };
  const bytes = encodeBundle(bundle);
  const t4 = clock();
  onProgress('done', 1);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    bundle,
    bytes,
    metrics: {
      customers: userSet.size,
      items: itemSet.size,
      interactions: n,
      ratings: nRatings,
      collaborative,
      seconds: { train: r(t1 - t0), ratings: r(t2 - t1), evaluate: r(t3 - t2), encode: r(t4 - t3) },
      bytes: bytes.byteLength,
      evaluation,
    },
  };
}

function holdout(ev: InteractionColumns, testDays: number, collaborative: Collaborative): NonNullable<TrainMetrics['evaluation']> {
  const events: Interaction[] = [];
  for (let k = 0; k < ev.user.length; k++)
    events.push({ user: ev.user[k], item: ev.item[k], weight: ev.weight[k], time: ev.time[k], basket: ev.basket ? ev.basket[k] : undefined });
  let r: RetailEvalResult;
  try {
    r = evaluateRetail(events, { testDays, components: ['popularity', 'trend', 'buy-again', 'auto'], recommender: { collaborative } });
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
  if (r.users === 0) return { skipped: `no returning customer bought in the last ${testDays} days` };
  const pick = (m: Record<string, { 'ndcg@10': number }>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round4(v['ndcg@10'])]));
  return {
    cutoff: r.cutoff,
    testDays,
    users: r.users,
    ndcg10: pick(r.models),
    newItemsNdcg10: pick(r.new_items),
    fbtHr10: round4(r.fbt['hr@10']),
    fbtPopularityHr10: round4(r.fbt_popularity['hr@10']),
  };
}

const round4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : 0);

export function encodeBundle(b: Bundle): Uint8Array {
  return encodeValue(b);
}

export function decodeBundle(bytes: Uint8Array): Bundle {
  const b = decodeValue(bytes) as Bundle;
  if (!b || b.version !== 1 || !b.recommender || b.recommender.version !== 1) throw new AppError('invalid', 'unsupported recommendation model version');
  return b;
}
