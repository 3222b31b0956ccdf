/** Popularity: how many distinct customers bought each item, each weighted by how recently they last did. */
import { decay, type InteractionData } from './interactions.ts';
import { DAY_MS } from './types.ts';

export interface PopularityOptions {
  /** Half-life of a customer's last purchase of the item (ms). Default 30 days. */
  halfLife?: number;
}

/** Score per item index. */
export function trainPopularity(d: InteractionData, opts: PopularityOptions = {}): Float64Array {
  const halfLife = opts.halfLife ?? 30 * DAY_MS;
  const nItems = d.items.ids.length;
  // last time each (user, item) pair was bought
  const last = new Map<number, number>();
  for (let k = 0; k < d.u.length; k++) {
    const key = d.u[k] * nItems + d.i[k];
    const prev = last.get(key);
    if (prev === undefined || d.t[k] > prev) last.set(key, d.t[k]);
  }
  const score = new Float64Array(nItems);
  for (const [key, t] of last) score[key % nItems] += decay(d.now - t, halfLife);
  return score;
}
