/**
 * EOQ and reorder point against the forecast demand they were computed from: per item, the forecast's daily
 * demand (mean of its first `days` days) and lead-time demand (Σ of the mean over the lead time, the days beyond
 * the horizon at the daily rate), next to the plan's ROP, EOQ and order-up-to and the stock on hand.
 * The ROP's margin over lead-time demand is the safety stock the service level bought; days of cover = on hand ÷
 * daily demand.
 */

export interface PlanVsForecastInput {
  key: string;
  /** The forecast's daily means from its first day. */
  mean: ArrayLike<number>;
  leadTimeDays: number;
  reorderPoint: number;
  orderUpTo: number;
  eoq: number | null;
  safetyStock: number;
  onHand: number;
  inventoryPosition: number;
}

export interface PlanVsForecast {
  key: string;
  dailyDemand: number;
  leadTimeDemand: number;
  reorderPoint: number;
  /** ROP − lead-time demand. */
  ropMargin: number;
  orderUpTo: number;
  eoq: number | null;
  /** EOQ ÷ daily demand: days an EOQ lasts. */
  eoqDays: number | null;
  safetyStock: number;
  onHand: number;
  inventoryPosition: number;
  /** On hand ÷ daily demand (null when no demand is forecast). */
  daysOfCover: number | null;
  /** Inventory position ≤ ROP: an order is due. */
  belowReorderPoint: boolean;
}

export function leadTimeDemand(mean: ArrayLike<number>, leadTimeDays: number, daily: number): number {
  const L = Math.max(0, leadTimeDays);
  const full = Math.floor(L);
  let s = 0;
  for (let i = 0; i < full; i++) s += i < mean.length ? mean[i] : daily;
  const frac = L - full;
  if (frac > 0) s += frac * (full < mean.length ? mean[full] : daily);
  return s;
}

export function planVsForecast(rows: PlanVsForecastInput[], days = 28): PlanVsForecast[] {
  return rows.map((r) => {
    const k = Math.min(days, r.mean.length);
    let s = 0;
    for (let i = 0; i < k; i++) s += r.mean[i];
    const daily = k ? s / k : 0;
    const ltd = leadTimeDemand(r.mean, r.leadTimeDays, daily);
    return {
      key: r.key,
      dailyDemand: daily,
      leadTimeDemand: ltd,
      reorderPoint: r.reorderPoint,
      ropMargin: r.reorderPoint - ltd,
      orderUpTo: r.orderUpTo,
      eoq: r.eoq,
      eoqDays: r.eoq !== null && daily > 0 ? r.eoq / daily : null,
      safetyStock: r.safetyStock,
      onHand: r.onHand,
      inventoryPosition: r.inventoryPosition,
      daysOfCover: daily > 0 ? r.onHand / daily : null,
      belowReorderPoint: r.inventoryPosition <= r.reorderPoint,
    };
  });
}
