/**
 * The policy comparison behind `shelfwise replenish simulate`: replay many series with a forecast-driven policy
 * ("auto") and with the classic min/max whose levels are scaled until it reaches the same aggregate fill rate,
 * so the stock comparison is fair. Periods are whatever the series are in (days, weeks, months); lead time,
 * review period and the min/max window are in the same periods. Output keys follow the JSON.
 */
import { AppError } from '../../errors.ts';
import { forecastPolicyRule, simulatePolicy, trailingMinMaxRule, type OrderRule, type SimResult } from './simulator.ts';
import type { ItemForecast, PolicyKind, ServiceTarget } from './types.ts';

export type Forecaster = (history: Float64Array, horizonPeriods: number) => ItemForecast;

export interface CompareSeries {
  id: string;
  demand: ArrayLike<number>;
  /** Unit cost for holding cost (default 1). */
  unitCost?: number;
}

export interface CompareInput {
  series: CompareSeries[];
  /** Periods used only for training (default: the first half). */
  warmup?: number;
  leadTime: number;
  leadTimeSd?: number;
  review: number;
  service: ServiceTarget;
  forecaster: Forecaster;
  /** Policy kind for "auto" (default rs = order-up-to). */
  kind?: PolicyKind;
  mode?: 'lost_sales' | 'backorders';
  /** Cost per order line (default 0) and annual holding rate on unit cost (default 0.25). */
  orderingCost?: number;
  holdingRate?: number;
  /** Periods per year, to turn the annual holding rate into a per-period cost (default 365). */
  periodsPerYear?: number;
  minmax?: { window?: number; z?: number; tolerance?: number };
  seed?: number;
}

export interface PolicyMetrics {
  fill_rate: number;
  /** Mean over series of each one's fill rate. */
  mean_series_fill_rate: number;
  cycle_service: number;
  /** Mean over series of the average on-hand units per period. */
  avg_on_hand: number;
  stockout_periods: number;
  orders: number;
  holding_cost: number;
  ordering_cost: number;
}

export interface CompareResult {
  series: number;
  periods: number;
  policies: { auto: PolicyMetrics; minmax: PolicyMetrics & { scale: number; runs: number } };
  /** auto avg_on_hand / min-max avg_on_hand. */
  stock_ratio: number;
}

export function aggregateRuns(rs: SimResult[]): PolicyMetrics {
  let dem = 0;
  let srv = 0;
  let fill = 0;
  let cs = 0;
  let oh = 0;
  const m = { stockout_periods: 0, orders: 0, holding_cost: 0, ordering_cost: 0 };
  for (const r of rs) {
    dem += r.demand;
    srv += r.served;
    fill += r.fillRate;
    cs += r.cycleService;
    oh += r.avgOnHand;
    m.stockout_periods += r.stockoutDays;
    m.orders += r.orders;
    m.holding_cost += r.holdingCost;
    m.ordering_cost += r.orderingCost;
  }
  const n = Math.max(rs.length, 1);
  return { fill_rate: dem > 0 ? srv / dem : 1, mean_series_fill_rate: fill / n, cycle_service: cs / n, avg_on_hand: oh / n, ...m };
}

/** Simulate every series with the rule made for it. */
export function runSeries(x: CompareInput, ruleFor: (s: CompareSeries) => OrderRule): PolicyMetrics {
  const ppy = x.periodsPerYear ?? 365;
  return aggregateRuns(
    x.series.map((s) => {
      const n = s.demand.length;
      const start = x.warmup ?? Math.floor(n / 2);
      if (!(start >= 1 && start < n)) throw new AppError('invalid', `warm-up must leave periods to simulate (series ${s.id})`, 'warmup');
      let train = 0;
      for (let i = 0; i < start; i++) train += s.demand[i];
      return simulatePolicy({
        demand: s.demand,
        startDay: start,
        reviewDays: x.review,
        leadTimeDays: x.leadTime,
        leadTimeSdDays: x.leadTimeSd,
        seed: x.seed,
        mode: x.mode ?? 'lost_sales',
        // Same start for every policy: the training mean over one protection interval.
        initialOnHand: Math.round((train / start) * (x.leadTime + x.review)),
        rule: ruleFor(s),
        holdingCostPerUnitDay: ((s.unitCost ?? 1) * (x.holdingRate ?? 0.25)) / ppy,
        orderingCost: x.orderingCost ?? 0,
      });
    }),
  );
}

export function autoRuleFor(x: CompareInput): (s: CompareSeries) => OrderRule {
  return (s) =>
    forecastPolicyRule({
      forecaster: x.forecaster,
      kind: x.kind ?? 'rs',
      service: x.service,
      reviewDays: x.review,
      leadTimeDays: x.leadTime,
      leadTimeSdDays: x.leadTimeSd,
      costs: { unitCost: s.unitCost ?? 1, orderingCost: Math.max(x.orderingCost ?? 0, 1e-9), holdingRate: x.holdingRate ?? 0.25 },
    });
}

export function minMaxRuleFor(x: CompareInput, scale: number): () => OrderRule {
  const window = x.minmax?.window ?? 8 * x.review;
  return () => trailingMinMaxRule({ windowDays: window, leadTimeDays: x.leadTime, reviewDays: x.review, z: x.minmax?.z ?? 1.65, scale });
}

/** Bisection on the min/max scale until its aggregate fill rate is within `tolerance` of the target. */
export function tuneMinMax(
  x: CompareInput,
  targetFill: number,
): { scale: number; metrics: PolicyMetrics; runs: number } {
  const tol = x.minmax?.tolerance ?? 0.0005;
  let lo = 0;
  let hi = 1;
  let runs = 1;
  let best = { scale: hi, metrics: runSeries(x, minMaxRuleFor(x, hi)) };
  while (best.metrics.fill_rate < targetFill && hi < 256) {
    lo = hi;
    hi *= 2;
    best = { scale: hi, metrics: runSeries(x, minMaxRuleFor(x, hi)) };
    runs++;
  }
  for (let i = 0; i < 40 && Math.abs(best.metrics.fill_rate - targetFill) > tol; i++) {
    const mid = (lo + hi) / 2;
    const metrics = runSeries(x, minMaxRuleFor(x, mid));
    runs++;
    if (Math.abs(metrics.fill_rate - targetFill) < Math.abs(best.metrics.fill_rate - targetFill)) best = { scale: mid, metrics };
    if (metrics.fill_rate < targetFill) lo = mid;
    else hi = mid;
  }
  return { ...best, runs };
}

export function comparePolicies(x: CompareInput): CompareResult {
  if (x.series.length === 0) throw new AppError('invalid', 'no series to simulate', 'series');
  const auto = runSeries(x, autoRuleFor(x));
  const mm = tuneMinMax(x, auto.fill_rate);
  const n = x.series[0].demand.length;
  return {
    series: x.series.length,
    periods: n - (x.warmup ?? Math.floor(n / 2)),
    policies: { auto, minmax: { ...mm.metrics, scale: mm.scale, runs: mm.runs } },
    stock_ratio: auto.avg_on_hand / mm.metrics.avg_on_hand,
  };
}
