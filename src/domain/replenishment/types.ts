/**
 * Plain-data input and output types of the replenishment domain.
 * Days are integer offsets from "today" (day 0 = the day the policy is computed); callers map them to dates.
 */

/** Per-item demand forecast, as the forecasting engine will hand it over. */
export interface ItemForecast {
  /** Expected demand per day for the next H days (index 0 = today). */
  mean: Float64Array;
  /** Optional per-day quantiles keyed by level ("0.5", "0.9", "0.95"...). Used only to infer dispersion when no hint is given. */
  quantiles?: Record<string, Float64Array>;
  /** Hints about the spread of demand around the mean. */
  dispersion?: DemandDispersion;
}

/**
 * What is known about the uncertainty of demand. The first one present is used, in this order:
 * horizonErrorSd (best: back-test of cumulative errors), sdPerDay (one-step residual sd, assumed independent
 * from day to day), varianceToMean (variance / mean ratio, 1 = Poisson), the forecast's quantiles, else Poisson.
 */
export interface DemandDispersion {
  /** horizonErrorSd[h-1] = standard deviation of (actual − forecast) summed over h days, from back-test residuals. */
  horizonErrorSd?: Float64Array;
  /** Standard deviation of one-day forecast errors (back-test residuals). */
  sdPerDay?: number;
  /** Variance-to-mean ratio of demand (≥ 1 for over-dispersed, intermittent items). */
  varianceToMean?: number;
}

export interface Supplier {
  id: string;
  leadTimeDays: number;
  leadTimeSdDays: number;
  /** Minimum order quantity per item line (units). */
  moq: number;
  /** Order in multiples of this many units (1 = any quantity). */
  packSize: number;
  /** Minimum value of one purchase order to this supplier (0 = none). */
  minOrderValue: number;
  currency: string;
}

export interface OpenOrder {
  qty: number;
  /** Day offset when the goods are expected (0 = today; negative = overdue, still counted as arriving today). */
  expectedDay: number;
}

export interface StockPosition {
  onHand: number;
  /** Units promised to customers (not available). */
  reserved: number;
  /** Open and in-transit purchase-order quantities still to be received. */
  openOrders: OpenOrder[];
}

export type PolicyKind = 'rop' | 'rs' | 'eoq' | 'minmax' | 'jit';

/** Target service: cycle service level (probability of no stockout per cycle) or fill rate (share of demand met from stock). */
export type ServiceTarget = { kind: 'csl'; level: number } | { kind: 'fill'; level: number };

export interface CostParams {
  /** Purchase cost per unit. */
  unitCost: number;
  /** Fixed cost of placing one order line (for EOQ). */
  orderingCost: number;
  /** Annual holding cost as a fraction of unit cost (e.g. 0.25). */
  holdingRate: number;
}

export interface PolicyParams {
  kind: PolicyKind;
  service: ServiceTarget;
  /** Review period in days (0 = continuous review). */
  reviewDays: number;
  costs?: CostParams;
  /** For 'minmax': fixed levels set by a person. If absent they are derived from the forecast (min = ROP, max = ROP + EOQ or review demand). */
  min?: number;
  max?: number;
}

/** One computed number with how it was obtained. */
export interface Explained {
  value: number;
  why: string;
}

export interface PolicyResult {
  kind: PolicyKind;
  /** Reorder point: order when the inventory position falls to or below it. */
  reorderPoint: Explained;
  /** Order-up-to level (S, or max for min/max). */
  orderUpTo: Explained;
  /** Economic order quantity (null when no costs were given). */
  eoq: Explained | null;
  safetyStock: Explained;
  /** Suggested order quantity now, after pack / MOQ rounding (0 = no order). */
  orderQty: Explained;
  inventoryPosition: Explained;
  /** Expected units short in the coming protection interval if nothing is ordered now. */
  expectedShortage: number;
  /** One-line summary, e.g. "ROP 42 = P95 of 9-day demand; EOQ 120; rounded to pack of 12". */
  summary: string;
}
