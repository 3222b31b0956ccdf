/** Interactions -> dense indices and a users × items sparse matrix. */
import { buildIndex, csrFromTriplets } from './sparse.ts';
import type { Csr, IdIndex, Interaction, InteractionColumns } from './types.ts';

export interface InteractionData {
  users: IdIndex;
  items: IdIndex;
  /** Dense indices per event. */
  u: Int32Array;
  i: Int32Array;
  w: Float64Array;
  t: Float64Array;
  /** Basket id per event (dense, 0..nBaskets-1). */
  b: Int32Array;
  nBaskets: number;
  /** users × items, summed weights. */
  counts: Csr;
  /** Reference time for decay: the latest event time unless given. */
  now: number;
}

export function toColumns(x: Interaction[] | InteractionColumns): InteractionColumns {
  if (!Array.isArray(x)) return x;
  const n = x.length;
  const user = new Float64Array(n);
  const item = new Float64Array(n);
  const weight = new Float64Array(n);
  const time = new Float64Array(n);
  const hasBasket = n > 0 && x.every((e) => e.basket !== undefined);
  const basket = hasBasket ? new Float64Array(n) : undefined;
  for (let k = 0; k < n; k++) {
    const e = x[k];
    user[k] = e.user;
    item[k] = e.item;
    weight[k] = e.weight;
    time[k] = e.time;
    if (basket) basket[k] = e.basket as number;
  }
  return { user, item, weight, time, basket };
}

export function buildInteractionData(x: Interaction[] | InteractionColumns, now?: number): InteractionData {
  const c = toColumns(x);
  const n = c.user.length;
  const users = buildIndex(c.user);
  const items = buildIndex(c.item);
  const u = new Int32Array(n);
  const i = new Int32Array(n);
  const w = new Float64Array(n);
  const t = new Float64Array(n);
  const b = new Int32Array(n);
  const basketIds = new Map<string | number, number>();
  let latest = -Infinity;
  for (let k = 0; k < n; k++) {
    u[k] = users.index.get(c.user[k]) as number;
    i[k] = items.index.get(c.item[k]) as number;
    w[k] = c.weight[k];
    t[k] = c.time[k];
    if (t[k] > latest) latest = t[k];
    const key = c.basket ? c.basket[k] : `${c.user[k]}@${c.time[k]}`;
    let id = basketIds.get(key);
    if (id === undefined) {
      id = basketIds.size;
      basketIds.set(key, id);
    }
    b[k] = id;
  }
  const counts = csrFromTriplets(users.ids.length, items.ids.length, u, i, w);
  return { users, items, u, i, w, t, b, nBaskets: basketIds.size, counts, now: now ?? latest };
}

/** 0.5^(age / halfLife); halfLife = Infinity gives 1. */
export function decay(age: number, halfLife: number): number {
  return halfLife === Infinity ? 1 : Math.pow(0.5, Math.max(0, age) / halfLife);
}
