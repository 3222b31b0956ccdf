/** Plain input/output types of the waste-reduction domain (issue 6). No I/O, no clock: every
 * "today" is passed in as a day index into the item's daily series (or an epoch day for receipts). */

/** One goods receipt (a FIFO cost layer). `date` is an epoch day (days since 1970-01-01 UTC). */
export interface Receipt {
  date: number;
  qty: number;
  unitCost: number;
}

/** One stocked item with its daily history. `dailySales[i]` are the units sold on day `startDay + i`. */
export interface MarkdownItem {
  sku: string;
  category: string;
  /** Current regular selling price per unit. */
  price: number;
  /** Current unit cost (used when no receipt layers are given). */
  cost: number;
  onHand: number;
  /** Receipts, any order; the newest layers are what is left on hand under FIFO. */
  receipts?: Receipt[];
  /** Units sold per day, oldest first; the last element is "today" unless an `asOfIndex` is given. */
  dailySales: Float64Array;
  /** Selling price per day (0 or NaN = unknown, e.g. a day without sales). */
  dailyPrice?: Float64Array;
  /** Forecast of units per day from now on (from the forecasting domain). */
  forecastDaily?: number;
  /** Forecasts made in the past for each day of `dailySales` (for the XYZ-by-forecast-error basis). */
  forecastHistory?: Float64Array;
  /** Epoch day of `dailySales[0]`; needed only to relate receipts to the series. */
  startDay?: number;
}

export type AbcClass = 'A' | 'B' | 'C';
export type XyzClass = 'X' | 'Y' | 'Z';

/** A co-purchase pair computed by the recommendations domain (either direction is fine). */
export interface CoPurchasePair {
  a: string;
  b: string;
  /** Any association strength: lift, cosine, confidence… higher is stronger. */
  score: number;
}
