/**
 * Tier-adjusted price index. Wholesale data such as UCI Online Retail price by quantity tier: the same
 * item on the same day costs 2.95 a unit in a line of 6 and 2.55 in a line of 32+. Averaging the paid
 * price per week then makes weeks with big orders look "cheap" and big-quantity weeks, so a naive
 * log-log fit finds a strongly negative elasticity that is only the tier schedule.
 *
 * Here each item's log unit prices are decomposed on a (period × line quantity) table of cell medians:
 * log p = period effect + quantity-tier effect, fitted by line-weighted least squares (alternating
 * means), then refitted without cells more than `trim` (log) off the fit. The period effect at the
 * item's base-tier quantity is the list price of that period — it moves only when the price list
 * changes. Cell medians and the trim make it robust to odd lines (another channel, a manual price).
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
  /** Per item: the reference line quantity (most common in the smaller half of lines) the index is expressed at. */
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

export function tierAdjustedPriceIndex(lines: PriceLines, nItems: number, nPeriods: number, iterations = 200, trim = 0.12): PriceIndexResult {
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
    // Reference quantity: the most common line quantity among the smaller half of the lines (the base tier).
    const byQty = [...qtyLines.entries()].sort((a, b) => a[0] - b[0]);
    let seen = 0;
    let ref = -1;
    let refCount = -1;
    for (const [b, c] of byQty) {
      if (seen >= (to - from) / 2) break;
      if (c > refCount) [ref, refCount] = [b, c];
      seen += c;
    }
    refQty[it] = ref;
    const m = cellVals.size;
    // Dense row (period) and column (quantity) indices for the cells.
    const rowOf = new Map<number, number>();
    const colOf = new Map<number, number>();
    const cr = new Int32Array(m);
    const cc = new Int32Array(m);
    const cv = new Float64Array(m);
    const cw = new Float64Array(m);
    let j = 0;
    for (const [key, arr] of cellVals) {
      const p = Math.floor(key / 2048);
      const q = key % 2048;
      if (!rowOf.has(p)) rowOf.set(p, rowOf.size);
      if (!colOf.has(q)) colOf.set(q, colOf.size);
      cr[j] = rowOf.get(p)!;
      cc[j] = colOf.get(q)!;
      cw[j] = arr.length;
      cv[j] = medianInPlace(arr);
      j++;
    }
    const nr = rowOf.size;
    const nc = colOf.size;
    const row = new Float64Array(nr);
    const col = new Float64Array(nc);
    const sr = new Float64Array(nr);
    const wr = new Float64Array(nr);
    const sc = new Float64Array(nc);
    const wc = new Float64Array(nc);
    // Line-count-weighted least squares by alternating means; then cells more than `trim` off the
    // additive fit (a stray channel or manual price) are dropped and the fit is redone.
    const fit = () => {
      for (let iter = 0; iter < iterations; iter++) {
        sr.fill(0);
        wr.fill(0);
        for (let k = 0; k < m; k++) {
          sr[cr[k]] += cw[k] * (cv[k] - col[cc[k]]);
          wr[cr[k]] += cw[k];
        }
        let moved = 0;
        for (let g = 0; g < nr; g++)
          if (wr[g] > 0) {
            const v = sr[g] / wr[g];
            moved = Math.max(moved, Math.abs(v - row[g]));
            row[g] = v;
          }
        sc.fill(0);
        wc.fill(0);
        for (let k = 0; k < m; k++) {
          sc[cc[k]] += cw[k] * (cv[k] - row[cr[k]]);
          wc[cc[k]] += cw[k];
        }
        for (let g = 0; g < nc; g++)
          if (wc[g] > 0) {
            const v = sc[g] / wc[g];
            moved = Math.max(moved, Math.abs(v - col[g]));
            col[g] = v;
          }
        if (moved < 1e-10) break;
      }
    };
    fit();
    let dropped = 0;
    for (let k = 0; k < m; k++)
      if (Math.abs(cv[k] - row[cr[k]] - col[cc[k]]) > trim) {
        cw[k] = 0;
        dropped++;
      }
    if (dropped) fit();
    // Express at the reference quantity: the reference column's effect joins the level.
    const refEff = col[colOf.get(ref)!];
    for (const [p, g] of rowOf) if (p >= 0 && p < nPeriods && wr[g] > 0) index[it * nPeriods + p] = Math.exp(refEff + row[g]);
    const big: number[] = [];
    for (const [q, g] of colOf) if (q >= 4 * ref && wc[g] > 0) big.push(col[g] - refEff);
    if (big.length) tierDiscount[it] = medianInPlace(big);
  }
  return { index, refQty, tierDiscount };
}
