/**
 * Tier-adjusted price index. Wholesale data such as UCI Online Retail price by quantity tier: the same
 * item on the same day costs 2.95 a unit in a line of 6 and 2.55 in a line of 32+. Averaging the paid
 * price per week then makes weeks with big orders look "cheap" and big-quantity weeks, so a naive
 * log-log fit finds a strongly negative elasticity that is only the tier schedule.
 *
 * Here each item's log unit prices are decomposed by Tukey median polish on a (period × line quantity)
 * table: log p = overall + period effect + quantity-tier effect. The period effect, at the item's most
 * common line quantity, is the list price of that period — it moves only when the price list changes.
 * Median polish is robust to the odd line at a different price (another channel, a manual price).
 */

export interface PriceLines {
  /** Item index per line (0..nItems-1). */
  item: Int32Array;
  period: Int32Array;
  qty: Float64Array;
  unitPrice: Float64Array;
}

export interface PriceIndexResult {
  /** Row-major nItems × nPeriods list price; NaN where the item had no line in that period. */
  index: Float64Array;
  /** Per item: the reference line quantity (most common) the index is expressed at. */
  refQty: Float64Array;
  /** Per item: median log-price premium of lines at ≥ 4× the reference quantity (negative = tier discount). */
  tierDiscount: Float64Array;
}

function medianInPlace(a: number[]): number {
  a.sort((x, y) => x - y);
  const n = a.length;
  return n % 2 ? a[(n - 1) >> 1] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

/** Quantities are bucketed exactly (pack sizes are few); odd quantities above 1,000 share one bucket. */
function qtyBucket(q: number): number {
  return q > 1000 ? 1001 : Math.round(q);
}

export function tierAdjustedPriceIndex(lines: PriceLines, nItems: number, nPeriods: number, iterations = 6): PriceIndexResult {
  const n = lines.item.length;
  const index = new Float64Array(nItems * nPeriods).fill(NaN);
  const refQty = new Float64Array(nItems).fill(NaN);
  const tierDiscount = new Float64Array(nItems).fill(NaN);
  // Group line indices by item.
  const counts = new Int32Array(nItems + 1);
  for (let i = 0; i < n; i++) if (lines.qty[i] > 0 && lines.unitPrice[i] > 0) counts[lines.item[i] + 1]++;
  for (let k = 0; k < nItems; k++) counts[k + 1] += counts[k];
  const order = new Int32Array(counts[nItems]);
  const fill = counts.slice(0, nItems);
  for (let i = 0; i < n; i++) if (lines.qty[i] > 0 && lines.unitPrice[i] > 0) order[fill[lines.item[i]]++] = i;

  for (let it = 0; it < nItems; it++) {
    const from = counts[it];
    const to = counts[it + 1];
    if (to === from) continue;
    // Cells: (period, qty bucket) → median log price.
    const cellVals = new Map<number, number[]>();
    const qtyLines = new Map<number, number>();
    for (let k = from; k < to; k++) {
      const i = order[k];
      const b = qtyBucket(lines.qty[i]);
      const key = lines.period[i] * 2048 + b;
      let arr = cellVals.get(key);
      if (!arr) cellVals.set(key, (arr = []));
      arr.push(Math.log(lines.unitPrice[i]));
      qtyLines.set(b, (qtyLines.get(b) ?? 0) + 1);
    }
    let ref = -1;
    let refCount = -1;
    for (const [b, c] of qtyLines) if (c > refCount || (c === refCount && b < ref)) [ref, refCount] = [b, c];
    refQty[it] = ref;
    const m = cellVals.size;
    const cp = new Int32Array(m);
    const cb = new Int32Array(m);
    const cv = new Float64Array(m);
    let j = 0;
    for (const [key, arr] of cellVals) {
      cp[j] = Math.floor(key / 2048);
      cb[j] = key % 2048;
      cv[j] = medianInPlace(arr);
      j++;
    }
    const rowEff = new Map<number, number>();
    const colEff = new Map<number, number>();
    for (let k = 0; k < m; k++) {
      rowEff.set(cp[k], 0);
      colEff.set(cb[k], 0);
    }
    const resid = Float64Array.from(cv);
    const overall = medianInPlace(Array.from(cv));
    for (let k = 0; k < m; k++) resid[k] -= overall;
    let total = overall;
    for (let iter = 0; iter < iterations; iter++) {
      for (const [eff, keyArr] of [
        [rowEff, cp],
        [colEff, cb],
      ] as const) {
        const groups = new Map<number, number[]>();
        for (let k = 0; k < m; k++) {
          let g = groups.get(keyArr[k]);
          if (!g) groups.set(keyArr[k], (g = []));
          g.push(resid[k]);
        }
        const med = new Map<number, number>();
        for (const [g, arr] of groups) med.set(g, medianInPlace(arr));
        for (let k = 0; k < m; k++) resid[k] -= med.get(keyArr[k])!;
        for (const [g, d] of med) eff.set(g, eff.get(g)! + d);
      }
    }
    // Express at the reference quantity: move the reference column's effect into the level.
    total += colEff.get(ref)!;
    for (const [p, r] of rowEff) if (p >= 0 && p < nPeriods) index[it * nPeriods + p] = Math.exp(total + r);
    const big: number[] = [];
    for (const [b, c] of colEff) if (b >= 4 * ref) big.push(c - colEff.get(ref)!);
    if (big.length) tierDiscount[it] = medianInPlace(big);
  }
  return { index, refQty, tierDiscount };
}
