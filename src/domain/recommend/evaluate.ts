/**
 * Offline evaluation: temporal split, top-N ranking metrics, held-out-item basket test (frequently bought
 * together) and k-fold RMSE for rating prediction. Pure functions; the caller supplies the data.
 */
import type { Interaction } from './types.ts';
import { DAY_MS } from './types.ts';
import { mulberry32 } from '../shared/random.ts';

export interface TemporalSplit {
  cutoff: number;
  train: Interaction[];
  test: Interaction[];
  /** Returning customers (seen in train) -> distinct items they bought in the test window. */
  truth: Map<number, Set<number>>;
  /** Same customers -> test items they had never bought in train (only customers with at least one). */
  newItemsTruth: Map<number, Set<number>>;
  /** Items each returning customer bought in train (for "new items" exclusion). */
  history: Map<number, Set<number>>;
}

/** Last `testDays` (before the latest event) as test; train is everything strictly before the cutoff. */
export function temporalSplit(events: Interaction[], testDays: number): TemporalSplit {
  let latest = -Infinity;
  for (const e of events) if (e.time > latest) latest = e.time;
  const cutoff = latest - testDays * DAY_MS;
  const train: Interaction[] = [];
  const test: Interaction[] = [];
  const history = new Map<number, Set<number>>();
  for (const e of events) {
    if (e.time < cutoff) {
      train.push(e);
      let h = history.get(e.user);
      if (!h) history.set(e.user, (h = new Set()));
      h.add(e.item);
    } else test.push(e);
  }
  const truth = new Map<number, Set<number>>();
  const newItemsTruth = new Map<number, Set<number>>();
  for (const e of test) {
    const h = history.get(e.user);
    if (!h) continue;
    let s = truth.get(e.user);
    if (!s) truth.set(e.user, (s = new Set()));
    s.add(e.item);
    if (!h.has(e.item)) {
      let n = newItemsTruth.get(e.user);
      if (!n) newItemsTruth.set(e.user, (n = new Set()));
      n.add(e.item);
    }
  }
  return { cutoff, train, test, truth, newItemsTruth, history };
}

export interface RankingMetrics {
  users: number;
  'ndcg@10': number;
  'hr@10': number;
  'recall@10': number;
  'recall@20': number;
  'map@12': number;
  'coverage@10': number;
}

/**
 * Scores ranked lists against held-out sets. `recommend(user)` returns at least 20 item ids, best first.
 * Binary relevance; NDCG's ideal uses min(|truth|, 10); MAP@12 divides by min(|truth|, 12).
 * Coverage@10 = distinct items in any top-10 / catalogSize.
 */
export function rankingMetrics(
  truth: Map<number, Set<number>>,
  recommend: (user: number) => number[],
  catalogSize: number,
): RankingMetrics {
  let ndcg = 0;
  let hr = 0;
  let r10 = 0;
  let r20 = 0;
  let map = 0;
  const shown = new Set<number>();
  const idcg = (n: number) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += 1 / Math.log2(r + 2);
    return s;
  };
  for (const [user, items] of truth) {
    const list = recommend(user);
    let dcg = 0;
    let hits10 = 0;
    let hits20 = 0;
    let ap = 0;
    let hits12 = 0;
    for (let r = 0; r < Math.min(20, list.length); r++) {
      const hit = items.has(list[r]);
      if (r < 10) shown.add(list[r]);
      if (!hit) continue;
      if (r < 10) {
        dcg += 1 / Math.log2(r + 2);
        hits10++;
      }
      if (r < 12) {
        hits12++;
        ap += hits12 / (r + 1);
      }
      hits20++;
    }
    ndcg += dcg / idcg(Math.min(items.size, 10));
    hr += hits10 > 0 ? 1 : 0;
    r10 += hits10 / items.size;
    r20 += hits20 / items.size;
    map += ap / Math.min(items.size, 12);
  }
  const n = truth.size || 1;
  return {
    users: truth.size,
    'ndcg@10': ndcg / n,
    'hr@10': hr / n,
    'recall@10': r10 / n,
    'recall@20': r20 / n,
    'map@12': map / n,
    'coverage@10': shown.size / Math.max(1, catalogSize),
  };
}

/** Small deterministic PRNG (mulberry32) for reproducible splits and initialisation. */
export const rng = mulberry32;

export interface BasketCase {
  rest: number[];
  hidden: number;
}

/** Test baskets with ≥ 2 distinct items: one item hidden at random (seeded), the rest as the query. */
export function basketHoldout(test: Interaction[], seed = 7): BasketCase[] {
  const baskets = new Map<number | string, Set<number>>();
  for (const e of test) {
    const key = e.basket ?? `${e.user}@${e.time}`;
    let s = baskets.get(key);
    if (!s) baskets.set(key, (s = new Set()));
    s.add(e.item);
  }
  const rand = rng(seed);
  const out: BasketCase[] = [];
  for (const s of baskets.values()) {
    if (s.size < 2) continue;
    const items = [...s];
    const h = Math.floor(rand() * items.length);
    out.push({ hidden: items[h], rest: items.filter((_, k) => k !== h) });
  }
  return out;
}

/** HR@10 and MRR (reciprocal rank within the returned list, 0 if absent) of the hidden item. */
export function basketMetrics(
  cases: BasketCase[],
  rank: (rest: number[]) => number[],
): { cases: number; 'hr@10': number; mrr: number } {
  let hr = 0;
  let mrr = 0;
  for (const c of cases) {
    const list = rank(c.rest);
    const r = list.indexOf(c.hidden);
    if (r >= 0 && r < 10) hr++;
    if (r >= 0) mrr += 1 / (r + 1);
  }
  const n = cases.length || 1;
  return { cases: cases.length, 'hr@10': hr / n, mrr: mrr / n };
}

/** Assigns each index to one of `folds` folds (seeded shuffle, equal sizes). */
export function kFoldAssignment(n: number, folds: number, seed = 42): Int32Array {
  const perm = new Int32Array(n);
  for (let k = 0; k < n; k++) perm[k] = k;
  const rand = rng(seed);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    const tmp = perm[k];
    perm[k] = perm[j];
    perm[j] = tmp;
  }
  const fold = new Int32Array(n);
  for (let k = 0; k < n; k++) fold[perm[k]] = k % folds;
  return fold;
}

export function rmse(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < pred.length; k++) s += (pred[k] - actual[k]) ** 2;
  return Math.sqrt(s / Math.max(1, pred.length));
}

export function mae(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < pred.length; k++) s += Math.abs(pred[k] - actual[k]);
  return s / Math.max(1, pred.length);
}
