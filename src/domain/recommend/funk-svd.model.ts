/**
 * Funk-SVD with biases for explicit ratings (as in Surprise's SVD): r̂ = μ + b_u + b_i + p_u·q_i, trained by
 * SGD over shuffled ratings. Also gives latent similar items (cosine between item factors).
 * Defaults (50 factors, 40 epochs, lr 0.007, reg 0.05) reached MovieLens-100k 5-fold RMSE ~0.927 here.
 */
import { rng } from './evaluate.ts';
import { buildIndex, topK } from './sparse.ts';
import type { IdIndex } from './types.ts';

export interface RatingColumns {
  user: ArrayLike<number>;
  item: ArrayLike<number>;
  rating: ArrayLike<number>;
}

export interface FunkSvdOptions {
  factors?: number;
  epochs?: number;
  lr?: number;
  reg?: number;
  initStd?: number;
  seed?: number;
  /** Predictions are clipped to [min, max]. Default: the range seen in training. */
  clip?: [number, number];
}

export interface FunkSvdModel {
  k: number;
  users: IdIndex;
  items: IdIndex;
  mean: number;
  userBias: Float64Array;
  itemBias: Float64Array;
  userFactors: Float64Array;
  itemFactors: Float64Array;
  clip: [number, number];
}

export function trainFunkSvd(r: RatingColumns, opts: FunkSvdOptions = {}): FunkSvdModel {
  const k = opts.factors ?? 50;
  const epochs = opts.epochs ?? 40;
  const lr = opts.lr ?? 0.007;
  const reg = opts.reg ?? 0.05;
  const std = opts.initStd ?? 0.1;
  const rand = rng(opts.seed ?? 3);
  const gauss = () => {
    const u = Math.max(1e-12, rand());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const users = buildIndex(r.user);
  const items = buildIndex(r.item);
  const n = r.rating.length;
  const ui = new Int32Array(n);
  const ii = new Int32Array(n);
  const val = new Float64Array(n);
  let mean = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let a = 0; a < n; a++) {
    ui[a] = users.index.get(r.user[a]) as number;
    ii[a] = items.index.get(r.item[a]) as number;
    val[a] = r.rating[a];
    mean += val[a];
    lo = Math.min(lo, val[a]);
    hi = Math.max(hi, val[a]);
  }
  mean /= Math.max(1, n);
  const nu = users.ids.length;
  const ni = items.ids.length;
  const bu = new Float64Array(nu);
  const bi = new Float64Array(ni);
  const pu = Float64Array.from({ length: nu * k }, () => gauss() * std);
  const qi = Float64Array.from({ length: ni * k }, () => gauss() * std);
  const order = new Int32Array(n);
  for (let a = 0; a < n; a++) order[a] = a;
  for (let ep = 0; ep < epochs; ep++) {
    for (let a = n - 1; a > 0; a--) {
      const b = Math.floor(rand() * (a + 1));
      const t = order[a];
      order[a] = order[b];
      order[b] = t;
    }
    for (let s = 0; s < n; s++) {
      const x = order[s];
      const u = ui[x];
      const i = ii[x];
      const uo = u * k;
      const io = i * k;
      let dotp = 0;
      for (let f = 0; f < k; f++) dotp += pu[uo + f] * qi[io + f];
      const e = val[x] - (mean + bu[u] + bi[i] + dotp);
      bu[u] += lr * (e - reg * bu[u]);
      bi[i] += lr * (e - reg * bi[i]);
      for (let f = 0; f < k; f++) {
        const p = pu[uo + f];
        const q = qi[io + f];
        pu[uo + f] += lr * (e * q - reg * p);
        qi[io + f] += lr * (e * p - reg * q);
      }
    }
  }
  return {
    k,
    users,
    items,
    mean,
    userBias: bu,
    itemBias: bi,
    userFactors: pu,
    itemFactors: qi,
    clip: opts.clip ?? [lo, hi],
  };
}

/** Predicted rating; unknown users/items fall back to the biases that exist (or the global mean). */
export function predictRating(m: FunkSvdModel, user: number, item: number): number {
  const u = m.users.index.get(user);
  const i = m.items.index.get(item);
  let p = m.mean;
  if (u !== undefined) p += m.userBias[u];
  if (i !== undefined) p += m.itemBias[i];
  if (u !== undefined && i !== undefined) {
    for (let f = 0; f < m.k; f++) p += m.userFactors[u * m.k + f] * m.itemFactors[i * m.k + f];
  }
  return Math.min(m.clip[1], Math.max(m.clip[0], p));
}

/** Items whose latent factors are most similar (cosine) to `item`'s. */
export function latentSimilarItems(m: FunkSvdModel, item: number, n: number): { item: number; score: number }[] {
  const i = m.items.index.get(item);
  if (i === undefined) return [];
  const { k, itemFactors: q } = m;
  const ni = m.items.ids.length;
  const norm = (j: number) => {
    let s = 0;
    for (let f = 0; f < k; f++) s += q[j * k + f] ** 2;
    return Math.sqrt(s) || 1;
  };
  const base = norm(i);
  const sim = new Float64Array(ni);
  for (let j = 0; j < ni; j++) {
    let s = 0;
    for (let f = 0; f < k; f++) s += q[i * k + f] * q[j * k + f];
    sim[j] = j === i ? -Infinity : s / (base * norm(j));
  }
  return topK(sim, n).map((j) => ({ item: m.items.ids[j], score: sim[j] }));
}
