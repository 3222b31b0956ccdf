import { fromEpochDay, weekStart } from './dates.ts';

/**
 * Stockouts from the ledger and a lost-sales estimate. A day is a stockout day of an item when nothing sold and
 * its on-hand was ≤ 0 at the start and at the end of the day, inside a run of such days that began while the item
 * was normally sold (a sale in the `lookback` days before the run began; an item that sat at 0 unsold is not
 * "out of stock", it is not stocked). Lost units per day = the item's demand rate when the run began: its units
 * sold ÷ its in-stock days over the `lookback` days before the run (a rate from the forecast may be given
 * instead). Lost sales = lost units × the item's price.
 */

export interface ItemLedgerDays {
  key: string;
  price: number;
  /** On hand now (after every movement in `days`). */
  onHand: number;
  /** Epoch days with movements, ascending, with the units sold that day and the change of on-hand (all kinds). */
  days: ArrayLike<number>;
  sold: ArrayLike<number>;
  delta: ArrayLike<number>;
  /** Demand per day to use instead of the recent average (e.g. the forecast's mean), when known. */
  dailyDemand?: number;
}

export interface ItemStockouts {
  key: string;
  stockoutDays: number;
  runs: number;
  /** Demand rate used (units/day) of the last run. */
  dailyDemand: number;
  lostUnits: number;
  lostValue: number;
  /** Out of stock on the last day of the window. */
  outAtEnd: boolean;
}

export interface WeekStockouts {
  weekStart: string;
  stockoutDays: number;
  items: number;
  lostUnits: number;
  lostValue: number;
}

export interface StockoutReport {
  weeks: WeekStockouts[];
  /** Items with a stockout day, by lost value (then days). */
  items: ItemStockouts[];
  totals: { items: number; stockoutDays: number; lostUnits: number; lostValue: number };
}

export function stockouts(rows: ItemLedgerDays[], from: number, to: number, lookback = 28): StockoutReport {
  const firstWeek = weekStart(from);
  const nw = to >= from ? Math.floor((weekStart(to) - firstWeek) / 7) + 1 : 0;
  const wk = Array.from({ length: nw }, () => new Float64Array(4)); // days, items, units, value
  const start = from - lookback;
  const n = to - start + 1;
  const sold = new Float64Array(Math.max(0, n));
  const inStock = new Uint8Array(Math.max(0, n));
  const items: ItemStockouts[] = [];
  for (const r of rows) {
    if (n <= 0) break;
    const k = r.days.length;
    // On hand at the start of the window: now minus every change since.
    let bal = r.onHand;
    let j = k - 1;
    for (; j >= 0 && r.days[j] >= start; j--) bal -= r.delta[j];
    j++;
    sold.fill(0);
    let out = 0, runs = 0, lostU = 0, lostV = 0, rate = 0, inRun = false, counting = false, runSeen = false;
    let lastWeek = -1;
    for (let t = 0; t < n; t++) {
      const d = start + t;
      let dq = 0;
      let s = 0;
      if (j < k && r.days[j] === d) {
        dq = r.delta[j];
        s = r.sold[j];
        j++;
      }
      const end = bal + dq;
      sold[t] = s;
      const isOut = s === 0 && bal <= 0 && end <= 0;
      inStock[t] = isOut ? 0 : 1;
      bal = end;
      if (!isOut) {
        inRun = false;
        continue;
      }
      if (!inRun) {
        inRun = true;
        // A new run: normally sold (a sale in the lookback)? At what rate?
        let units = 0, stocked = 0, anySale = false;
        for (let u = Math.max(0, t - lookback); u < t; u++) {
          units += sold[u];
          stocked += inStock[u];
          if (sold[u] > 0) anySale = true;
        }
        counting = anySale;
        runSeen = false;
        rate = r.dailyDemand ?? (stocked ? Math.max(0, units) / stocked : 0);
      }
      if (!counting || d < from) continue;
      if (!runSeen) {
        runSeen = true;
        runs++;
      }
      out++;
      lostU += rate;
      lostV += rate * r.price;
      const wi = Math.floor((weekStart(d) - firstWeek) / 7);
      const w = wk[wi];
      w[0]++;
      w[2] += rate;
      w[3] += rate * r.price;
      if (wi !== lastWeek) {
        w[1]++;
        lastWeek = wi;
      }
    }
    if (out) items.push({ key: r.key, stockoutDays: out, runs, dailyDemand: rate, lostUnits: lostU, lostValue: lostV, outAtEnd: inRun && counting });
  }
  items.sort((a, b) => b.lostValue - a.lostValue || b.stockoutDays - a.stockoutDays || (a.key < b.key ? -1 : 1));
  const totals = { items: items.length, stockoutDays: 0, lostUnits: 0, lostValue: 0 };
  for (const it of items) {
    totals.stockoutDays += it.stockoutDays;
    totals.lostUnits += it.lostUnits;
    totals.lostValue += it.lostValue;
  }
  return { weeks: wk.map((w, i) => ({ weekStart: fromEpochDay(firstWeek + 7 * i), stockoutDays: w[0], items: w[1], lostUnits: w[2], lostValue: w[3] })), items, totals };
}
