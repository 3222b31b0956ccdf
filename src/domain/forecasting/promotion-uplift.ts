import { dayToIso, isoToDay } from './aggregate.ts';
import { periodStart } from './demand-history.ts';
import type { ForecastResult, Freq } from './types.ts';

/**
 * Promotions in a forecast's horizon: the statistical models forecast the regular-price baseline, and each period
 * a promotion covers is scaled by the promotion's expected uplift — (promo price ÷ regular price)^elasticity, the
 * constant-elasticity demand curve the markdown offers use — pro rata to the share of the period's days it covers.
 * This is the "baseline × promotion lift" of retail planning tools (e.g. RELEX, SAP F&R), not a model that learns
 * promotions from history: the store's own history rarely has enough past promotions per item for that. Quantiles
 * are scaled by the same factor (the lift multiplies the whole demand distribution).
 */

export interface PromoWindow {
  promotionId: number;
  /** First and last day (YYYY-MM-DD, inclusive). */
  startsOn: string;
  endsOn: string;
  /** Promotion price ÷ regular price, in (0, 1]. */
  priceRatio: number;
  /** Price elasticity of demand (negative): the accepted offer's, else a default. */
  elasticity: number;
}

/** Never scale a forecast by more than this (a wild elasticity or a 95 % markdown must not forecast ×1000). */
export const MAX_UPLIFT = 5;

export function promoUplift(priceRatio: number, elasticity: number): number {
  if (!(priceRatio > 0 && priceRatio < 1) || !Number.isFinite(elasticity) || elasticity >= 0) return 1;
  return Math.min(MAX_UPLIFT, priceRatio ** elasticity);
}

/**
 * The factor per forecast period (length `horizon`), periods starting at `startIso` with frequency `freq`. On a day
 * several promotions cover, the deepest one counts (the price is the lowest, as effectivePrices charges).
 */
export function promotionFactors(startIso: string, freq: Freq, horizon: number, windows: PromoWindow[]): { factors: Float64Array; used: number[] } {
  const factors = new Float64Array(horizon).fill(1);
  const used = new Set<number>();
  if (windows.length === 0) return { factors, used: [] };
  const ranges = windows.map((w) => ({ w, from: isoToDay(w.startsOn), to: isoToDay(w.endsOn), u: promoUplift(w.priceRatio, w.elasticity) }));
  for (let i = 0; i < horizon; i++) {
    const from = isoToDay(periodStart(startIso, freq, i));
    const to = isoToDay(periodStart(startIso, freq, i + 1)) - 1;
    let sum = 0;
    for (let d = from; d <= to; d++) {
      let best = 1;
      let bestId = -1;
      for (const r of ranges)
        if (d >= r.from && d <= r.to && r.u > best) {
          best = r.u;
          bestId = r.w.promotionId;
        }
      sum += best;
      if (bestId >= 0) used.add(bestId);
    }
    factors[i] = sum / (to - from + 1);
  }
  return { factors, used: [...used].sort((a, b) => a - b) };
}

/** The result with its mean and quantiles scaled per period, and the reason saying so. Unchanged when no factor ≠ 1. */
export function applyPromotions(result: ForecastResult, startIso: string, freq: Freq, windows: PromoWindow[]): ForecastResult {
  const horizon = result.mean.length;
  const { factors, used } = promotionFactors(startIso, freq, horizon, windows);
  if (used.length === 0) return result;
  const scale = (a: Float64Array) => Float64Array.from(a, (v, i) => v * factors[i]);
  const quantiles: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(result.quantiles)) quantiles[k] = scale(v);
  const peak = Math.max(...factors);
  const first = factors.findIndex((f) => f > 1);
  const last = horizon - 1 - [...factors].reverse().findIndex((f) => f > 1);
  const w = windows.filter((x) => used.includes(x.promotionId));
  const what = w.map((x) => `#${x.promotionId} ${Math.round((1 - x.priceRatio) * 100)} % off, elasticity ${x.elasticity.toFixed(2)}`).join('; ');
  const span = first === last ? periodStart(startIso, freq, first) : `${periodStart(startIso, freq, first)} to ${periodStart(startIso, freq, last)}`;
  return {
    ...result,
    mean: scale(result.mean),
    quantiles,
    reason: `${result.reason}; promotion ${what}: demand ×${peak.toFixed(2)} over ${span}`,
  };
}

/** Last day (YYYY-MM-DD) a forecast of `horizon` periods from `startIso` covers. */
export function horizonEnd(startIso: string, freq: Freq, horizon: number): string {
  return dayToIso(isoToDay(periodStart(startIso, freq, horizon)) - 1);
}
