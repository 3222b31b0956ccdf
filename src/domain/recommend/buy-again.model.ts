/** Buy-again: each customer's own purchases, every order of an item weighted by how recent it is. */
import { decay, type InteractionData } from './interactions.ts';
import { csrFromTriplets } from './sparse.ts';
import type { Csr } from './types.ts';
import { DAY_MS } from './types.ts';

export interface BuyAgainOptions {
  /** Half-life of one purchase (ms). Default 60 days. */
  halfLife?: number;
}

/** users × items: Σ over the user's orders of the item of weight · 0.5^(age / halfLife). */
export function trainBuyAgain(d: InteractionData, opts: BuyAgainOptions = {}): Csr {
  const halfLife = opts.halfLife ?? 60 * DAY_MS;
  const v = new Float64Array(d.u.length);
  for (let k = 0; k < v.length; k++) v[k] = d.w[k] * decay(d.now - d.t[k], halfLife);
  return csrFromTriplets(d.users.ids.length, d.items.ids.length, d.u, d.i, v);
}
