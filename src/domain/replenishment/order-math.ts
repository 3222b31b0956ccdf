/** EOQ, pack / MOQ rounding and service-level solving: the small formulas, each with its explanation. */
import { AppError } from '../../errors.ts';
import type { DemandDistribution } from './distributions.ts';
import type { CostParams, Explained, ServiceTarget } from './types.ts';

function thousands(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  if (body.length <= 3) return s;
  let out = '';
  for (let i = body.length; i > 0; i -= 3) out = body.slice(Math.max(0, i - 3), i) + (out ? ',' + out : '');
  return neg ? '-' + out : out;
}

/** Number for explanations: integers with thousands separators, others to 1-2 decimals (Intl is too slow here). */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return thousands(String(x));
  if (Math.abs(x) >= 100) return thousands(String(Math.round(x)));
  return x.toFixed(Math.abs(x) >= 10 ? 1 : 2);
}

export function pct(level: number): string {
  const p = level * 100;
  return Number.isInteger(p) ? String(p) : p.toFixed(1);
}

/**
 * Economic order quantity (Harris/Wilson): Q* = √(2 D K / (h c)), D annual demand in units, K cost per order,
 * h annual holding rate, c unit cost.
 */
export function eoq(annualDemand: number, costs: CostParams): Explained {
  const { orderingCost: K, holdingRate: h, unitCost: c } = costs;
  if (!(annualDemand >= 0) || !(K >= 0) || !(h > 0) || !(c > 0)) {
    throw new AppError('invalid', 'EOQ needs annual demand ≥ 0, ordering cost ≥ 0, holding rate > 0 and unit cost > 0');
  }
  const q = Math.sqrt((2 * annualDemand * K) / (h * c));
  return {
    value: q,
    why: `EOQ ${fmtNum(Math.round(q))} = √(2 × ${fmtNum(Math.round(annualDemand))}/yr × ${fmtNum(K)} per order / (${pct(h)} % × ${fmtNum(c)}))`,
  };
}

/**
 * Round a wanted quantity to something the supplier accepts: at least the MOQ, then up to a multiple of the pack size.
 * 0 (or less) stays 0: no order. So does float noise (≤ 1e-9 units, e.g. 1e-12 left after subtracting a position):
 * it must not trigger an MOQ-sized order (found by the fast-check property test).
 */
export function roundOrderQty(qty: number, packSize: number, moq: number): Explained & { steps: string[] } {
  if (!(packSize >= 1) || !(moq >= 0)) throw new AppError('invalid', 'pack size must be ≥ 1 and MOQ ≥ 0');
  if (!(qty > 1e-9)) return { value: 0, why: 'no order needed', steps: [] };
  const steps: string[] = [];
  let q = qty;
  if (!Number.isInteger(q) && packSize === 1) {
    q = Math.ceil(q - 1e-9);
  }
  if (q < moq) {
    q = moq;
    steps.push(`raised to MOQ ${fmtNum(moq)}`);
  }
  const packs = Math.ceil(q / packSize - 1e-9);
  const rounded = packs * packSize;
  if (packSize > 1 && rounded !== q) steps.push(`rounded to pack of ${fmtNum(packSize)}`);
  const why = `need ${fmtNum(qty)}${steps.length ? '; ' + steps.join('; ') : ''} → order ${fmtNum(rounded)}${packSize > 1 ? ` (${packs} × ${fmtNum(packSize)})` : ''}`;
  return { value: rounded, why, steps };
}

/** Largest quantity ≤ cap that is a multiple of the pack and ≥ MOQ, or 0 when none exists. */
export function largestValidQtyAtMost(cap: number, packSize: number, moq: number): number {
  const q = Math.floor(cap / packSize + 1e-9) * packSize;
  return q >= Math.max(moq, 1) ? q : 0;
}

/** A fill-rate level is never set above this quantile of demand (see serviceLevelStock). */
export const FILL_RATE_CSL_CAP = 0.999;

/**
 * Level S that meets a service target over the protection interval.
 *  - cycle service level α: S = smallest s with P(D_{L+R} ≤ s) ≥ α.
 *  - fill rate β: smallest integer S with expected shortage per cycle ≤ (1 − β) × demand per cycle, where
 *    periodic review (R > 0): ESPRC = E[(D_{L+R} − S)+] − E[(D_L − S)+], demand per cycle = E[D_R];
 *    continuous review (s, Q): ESPRC = E[(D_L − s)+], demand per cycle = Q.
 *    The fill-rate level is capped at the P99.9 quantile (maxCycleService): with a tiny mean and a huge variance
 *    (rare giant orders) the loss-function answer would stock for the giant order.
 */
export function serviceLevelStock(
  target: ServiceTarget,
  protection: DemandDistribution,
  opts: { leadOnly?: DemandDistribution; cycleDemand: number; maxCycleService?: number },
): { value: number; why: string } {
  if (!(target.level > 0 && target.level < 1)) {
    throw new AppError('invalid', `service level must be in (0, 1), got ${target.level}`, 'service.level');
  }
  if (target.kind === 'csl') {
    const v = Math.max(0, Math.ceil(protection.quantile(target.level) - 1e-9));
    return { value: v, why: `P${pct(target.level)}` };
  }
  // A hair of tolerance: the loss of a continuous tail never reaches exactly 0 in floating point.
  const allowed = (1 - target.level) * Math.max(opts.cycleDemand, 0) + 1e-9 * (1 + protection.mean);
  const lead = opts.leadOnly;
  const esprc = (s: number): number =>
    protection.expectedShortage(s) - (lead ? lead.expectedShortage(s) : 0);
  if (esprc(0) <= allowed) return { value: 0, why: `fill ${pct(target.level)} %` };
  // esprc is non-increasing in s: bisection on integers, capped far in the tail.
  let lo = 0;
  const sd = Math.sqrt(protection.variance);
  let hi = Math.max(1, Math.ceil(protection.mean + 10 * sd + 10));
  const cap = Math.ceil(protection.mean + 200 * sd + 100);
  while (esprc(hi) > allowed && hi < cap) hi = Math.min(hi * 2, cap);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (esprc(mid) <= allowed) hi = mid;
    else lo = mid;
  }
  // Guard for very lumpy demand (tiny mean, huge variance): the fill-rate answer would stock for rare giant orders.
  const capLevel = opts.maxCycleService ?? FILL_RATE_CSL_CAP;
  const capped = Math.max(0, Math.ceil(protection.quantile(capLevel) - 1e-9));
  if (hi > capped) {
    return { value: capped, why: `P${pct(capLevel)} (fill ${pct(target.level)} % would need ${fmtNum(hi)}: demand too lumpy)` };
  }
  return { value: hi, why: `fill ${pct(target.level)} % (≤ ${fmtNum(allowed)} units short per cycle)` };
}

/**
 * Newsvendor: the quantity that balances the cost of one unit short (underage, e.g. price − cost) against one unit
 * left over (overage, e.g. cost − salvage) is the critical-fractile quantile Q* = F⁻¹(cu / (cu + co)).
 */
export function newsvendorQuantity(demand: DemandDistribution, underageCost: number, overageCost: number): Explained {
  if (!(underageCost > 0) || !(overageCost >= 0)) throw new AppError('invalid', 'underage cost must be > 0 and overage cost ≥ 0');
  const fractile = underageCost / (underageCost + overageCost);
  if (fractile >= 1) throw new AppError('invalid', 'overage cost 0 means order without limit');
  const q = demand.quantile(fractile);
  return {
    value: q,
    why: `newsvendor ${fmtNum(q)} = P${pct(Math.round(fractile * 1000) / 1000)} of ${demand.label} (critical fractile ${fmtNum(underageCost)} / (${fmtNum(underageCost)} + ${fmtNum(overageCost)}))`,
  };
}
