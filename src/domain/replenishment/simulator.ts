/**
 * Policy simulator: replays a real daily demand series with an ordering rule.
 *
 * Day t (from startDay to endDay − 1), in this order:
 *   1. receipts due on day t arrive (with backorders, they first clear the backlog);
 *   2. on review days ((t − startDay) mod R = 0) the rule sees the history before t and the position, and may order;
 *      the order arrives at the start of day t + L (L fixed, or drawn per order when leadTimeSdDays > 0);
 *   3. demand d_t is served from stock; the rest is lost (lost sales) or backordered;
 *   4. end-of-day on hand is recorded.
 * Metrics: fill rate = units served from stock / demand; cycle service = share of review cycles without unmet
 * demand; average on hand = mean end-of-day on hand; holding cost = h × Σ on hand; ordering cost = K × orders.
 * The forecast is whatever the rule uses (a parameter: forecastOrderUpToRule takes a forecaster function).
 */
import { AppError } from '../../errors.ts';
import { computePolicy } from './policy.ts';
import { mulberry32, sampleGamma } from './rng.ts';
import type { CostParams, ItemForecast, PolicyKind, ServiceTarget } from './types.ts';

export interface SimState {
  day: number;
  /** Demand of days 0..day−1 (a view, do not keep). */
  history: Float64Array;
  onHand: number;
  onOrder: number;
  backorders: number;
  /** onHand + onOrder − backorders. */
  position: number;
}

/** Returns the quantity to order now (≤ 0: none). */
export type OrderRule = (s: SimState) => number;

export interface SimInput {
  demand: ArrayLike<number>;
  startDay: number;
  endDay?: number;
  reviewDays: number;
  leadTimeDays: number;
  leadTimeSdDays?: number;
  seed?: number;
  mode: 'lost_sales' | 'backorders';
  initialOnHand: number;
  rule: OrderRule;
  holdingCostPerUnitDay?: number;
  orderingCost?: number;
}

export interface SimResult {
  days: number;
  demand: number;
  served: number;
  fillRate: number;
  cycleService: number;
  cycles: number;
  avgOnHand: number;
  stockoutDays: number;
  orders: number;
  unitsOrdered: number;
  holdingCost: number;
  orderingCost: number;
  /** End-of-day on hand per simulated day. */
  onHandCurve: Float64Array;
}

export function simulatePolicy(x: SimInput): SimResult {
  const n = x.demand.length;
  const end = Math.min(x.endDay ?? n, n);
  const R = x.reviewDays;
  if (!(R >= 1) || !Number.isInteger(R)) throw new AppError('invalid', 'review period must be a whole number of days ≥ 1', 'reviewDays');
  if (!(x.leadTimeDays >= 0)) throw new AppError('invalid', 'lead time must be ≥ 0', 'leadTimeDays');
  if (!(x.startDay >= 0 && x.startDay < end)) throw new AppError('invalid', 'startDay must be inside the series', 'startDay');
  const demand = Float64Array.from(x.demand as ArrayLike<number>);
  const sdL = x.leadTimeSdDays ?? 0;
  const rng = mulberry32(x.seed ?? 1);
  const arrivals = new Float64Array(end + 1);
  let onHand = x.initialOnHand;
  let onOrder = 0;
  let backorders = 0;
  let totalDemand = 0;
  let served = 0;
  let sumOnHand = 0;
  let stockoutDays = 0;
  let orders = 0;
  let unitsOrdered = 0;
  let cycles = 0;
  let goodCycles = 0;
  let cycleOk = true;
  const curve = new Float64Array(end - x.startDay);
  for (let t = x.startDay; t < end; t++) {
    const rec = arrivals[t];
    if (rec > 0) {
      onOrder -= rec;
      onHand += rec;
      if (backorders > 0) {
        const c = Math.min(backorders, onHand);
        backorders -= c;
        onHand -= c;
      }
    }
    if ((t - x.startDay) % R === 0) {
      if (t > x.startDay) {
        cycles++;
        if (cycleOk) goodCycles++;
      }
      cycleOk = true;
      const q = x.rule({
        day: t,
        history: demand.subarray(0, t),
        onHand,
        onOrder,
        backorders,
        position: onHand + onOrder - backorders,
      });
      if (q > 0) {
        let lt = x.leadTimeDays;
        if (sdL > 0 && lt > 0) lt = sampleGamma(rng, (lt * lt) / (sdL * sdL)) * ((sdL * sdL) / lt);
        const at = t + Math.max(0, Math.round(lt));
        orders++;
        unitsOrdered += q;
        if (at === t) {
          onHand += q;
          const c = Math.min(backorders, onHand);
          backorders -= c;
          onHand -= c;
        } else {
          onOrder += q;
          if (at <= end) arrivals[Math.min(at, end)] += q;
        }
      }
    }
    const d = demand[t];
    totalDemand += d;
    const s = Math.min(Math.max(onHand, 0), d);
    served += s;
    onHand -= s;
    if (d > s) {
      stockoutDays++;
      cycleOk = false;
      if (x.mode === 'backorders') backorders += d - s;
    }
    curve[t - x.startDay] = onHand;
    sumOnHand += onHand;
  }
  cycles++;
  if (cycleOk) goodCycles++;
  const days = end - x.startDay;
  const h = x.holdingCostPerUnitDay ?? 0;
  const K = x.orderingCost ?? 0;
  return {
    days,
    demand: totalDemand,
    served,
    fillRate: totalDemand > 0 ? served / totalDemand : 1,
    cycleService: goodCycles / cycles,
    cycles,
    avgOnHand: sumOnHand / days,
    stockoutDays,
    orders,
    unitsOrdered,
    holdingCost: h * sumOnHand,
    orderingCost: K * orders,
    onHandCurve: curve,
  };
}

/** Order-up-to (or any PolicyKind) from a forecast computed at each review. The forecaster is a parameter. */
export function forecastPolicyRule(opts: {
  forecaster: (history: Float64Array, horizonDays: number) => ItemForecast;
  kind?: PolicyKind;
  service: ServiceTarget;
  reviewDays: number;
  leadTimeDays: number;
  leadTimeSdDays?: number;
  packSize?: number;
  moq?: number;
  /** For EOQ-based kinds (rop, eoq, minmax). */
  costs?: CostParams;
}): OrderRule {
  const horizon = Math.ceil(opts.leadTimeDays + 3 * (opts.leadTimeSdDays ?? 0)) + opts.reviewDays + 1;
  const supplier = {
    leadTimeDays: opts.leadTimeDays,
    leadTimeSdDays: opts.leadTimeSdDays ?? 0,
    packSize: opts.packSize ?? 1,
    moq: opts.moq ?? 0,
  };
  return (s) => {
    const forecast = opts.forecaster(s.history, horizon);
    const p = computePolicy({
      forecast,
      supplier,
      stock: { onHand: s.onHand - s.backorders, reserved: 0, openOrders: s.onOrder > 0 ? [{ qty: s.onOrder, expectedDay: 0 }] : [] },
      params: { kind: opts.kind ?? 'rs', service: opts.service, reviewDays: opts.reviewDays, costs: opts.costs },
    });
    return p.orderQty.value;
  };
}

/**
 * Classic min/max from trailing history (the usual ERP rule): at each review, with d̄ and σ the mean and sd of
 * daily demand over the last `windowDays`, min = scale × (d̄ L + z σ √L) and max = min + scale × d̄ R;
 * order up to max when the position is at or below min. `scale` is the knob tuned to match a fill rate.
 */
export function trailingMinMaxRule(opts: {
  windowDays: number;
  leadTimeDays: number;
  reviewDays: number;
  z: number;
  scale: number;
}): OrderRule {
  return (s) => {
    const h = s.history;
    const from = Math.max(0, h.length - opts.windowDays);
    const n = h.length - from;
    if (n <= 0) return 0;
    let a = 0;
    let a2 = 0;
    for (let i = from; i < h.length; i++) {
      a += h[i];
      a2 += h[i] * h[i];
    }
    const mean = a / n;
    const sd = Math.sqrt(Math.max(0, a2 / n - mean * mean));
    const min = opts.scale * (mean * opts.leadTimeDays + opts.z * sd * Math.sqrt(opts.leadTimeDays));
    const max = min + opts.scale * mean * opts.reviewDays;
    return s.position <= min ? Math.ceil(max - s.position) : 0;
  };
}
