/**
 * Projected stock curve and days until stockout: available stock (on hand − reserved) plus open POs on their
 * expected day, minus the forecast mean, day by day. Overdue POs (expectedDay < 0) are counted as arriving today,
 * unless `ignoreOverdue` is set.
 */
import { AppError } from '../../errors.ts';
import { fmtNum } from './order-math.ts';
import type { ItemForecast, StockPosition } from './types.ts';

export interface StockProjection {
  /** End-of-day projected stock for day 0..H-1 (negative = demand not covered). */
  curve: Float64Array;
  /** Receipts added on each day. */
  receipts: Float64Array;
  /** Day (0-based) on which the projected stock first goes below zero, or null within the horizon. */
  stockoutDay: number | null;
  /** Fractional days of cover before the first stockout (e.g. 3.33), or null when none within the horizon. */
  daysUntilStockout: number | null;
  /** True when the stockout comes before an order placed today could arrive (stockoutDay < lead time). */
  alert: boolean;
  /** Open PO quantity whose expected day has passed (expectedDay < 0): an overdue-PO alert for the caller. */
  overdueQty: number;
  why: string;
}

export function projectStock(input: {
  stock: StockPosition;
  forecast: ItemForecast;
  leadTimeDays: number;
  horizonDays?: number;
  ignoreOverdue?: boolean;
}): StockProjection {
  const { stock, forecast, leadTimeDays } = input;
  const H = input.horizonDays ?? forecast.mean.length;
  if (!(H >= 1) || H > forecast.mean.length) {
    throw new AppError('invalid', `horizon must be between 1 and the forecast length ${forecast.mean.length}`, 'horizonDays');
  }
  const receipts = new Float64Array(H);
  let overdueQty = 0;
  for (const o of stock.openOrders) {
    if (o.expectedDay < 0) overdueQty += o.qty;
    if (o.expectedDay < 0 && input.ignoreOverdue) continue;
    const d = Math.max(0, Math.floor(o.expectedDay));
    if (d < H) receipts[d] += o.qty;
  }
  const curve = new Float64Array(H);
  let level = stock.onHand - stock.reserved;
  let stockoutDay: number | null = level < 0 ? 0 : null;
  let daysUntil: number | null = level < 0 ? 0 : null;
  for (let t = 0; t < H; t++) {
    const start = level + receipts[t];
    const d = forecast.mean[t];
    level = start - d;
    curve[t] = level;
    if (stockoutDay === null && level < 0) {
      stockoutDay = t;
      daysUntil = t + (d > 0 ? Math.max(0, start) / d : 0);
    }
  }
  const alert = stockoutDay !== null && stockoutDay < leadTimeDays;
  let why: string;
  if (stockoutDay === null) why = `no stockout projected within ${H} days (ends at ${fmtNum(Math.round(curve[H - 1]))})`;
  else {
    why = `projected stockout on day ${stockoutDay} (${fmtNum(daysUntil ?? 0)} days of cover)`;
    why += alert
      ? `, before an order placed today could arrive (lead time ${fmtNum(leadTimeDays)} days)`
      : `; an order placed within ${fmtNum(stockoutDay - leadTimeDays)} days still arrives in time`;
  }
  if (overdueQty > 0) why += `; ${fmtNum(overdueQty)} units on overdue POs${input.ignoreOverdue ? ' not counted' : ' counted as arriving today'}`;
  return { curve, receipts, stockoutDay, daysUntilStockout: daysUntil, alert, overdueQty, why };
}
