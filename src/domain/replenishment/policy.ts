/**
 * One item's replenishment policy: reorder point, order-up-to level, EOQ, safety stock and the order to place now,
 * each with the sentence that explains it.
 *
 * Kinds:
 *  - rs     periodic review (R, S): every review order S − IP, S = service-level stock of demand over L + R.
 *  - rop    (s, Q): when IP ≤ s order the smallest multiple of Q (EOQ) that lifts IP above s.
 *  - eoq    (s, S) with S = s + EOQ.
 *  - minmax classic min/max: given levels, or min = s and max = s + max(EOQ, review demand).
 *  - jit    order exactly the forecast for the next cycle: S = mean demand over L + R, no safety stock.
 */
import { AppError } from '../../errors.ts';
import { cumulativeMean, leadTimeDemand, type LeadTimeDemand } from './lead-time-demand.ts';
import { eoq, fmtNum, pct, roundOrderQty, serviceLevelStock } from './order-math.ts';
import type { Explained, ItemForecast, PolicyParams, PolicyResult, StockPosition, Supplier } from './types.ts';

export interface PolicyInput {
  forecast: ItemForecast;
  supplier: Pick<Supplier, 'leadTimeDays' | 'leadTimeSdDays' | 'moq' | 'packSize'>;
  stock: StockPosition;
  params: PolicyParams;
  /** Lead-time demand method (default moments). */
  method?: 'moments' | 'montecarlo';
  family?: 'negbin' | 'normal';
  seed?: number;
}

/** On hand − reserved + everything still on order (open and in transit): what the next order must top up. */
export function inventoryPosition(stock: StockPosition): Explained {
  let open = 0;
  for (const o of stock.openOrders) open += o.qty;
  const ip = stock.onHand - stock.reserved + open;
  const parts = [`on hand ${fmtNum(stock.onHand)}`];
  if (stock.reserved) parts.push(`− reserved ${fmtNum(stock.reserved)}`);
  if (stock.openOrders.length) parts.push(`+ on order ${fmtNum(open)} (${stock.openOrders.length} open PO line${stock.openOrders.length > 1 ? 's' : ''})`);
  return { value: ip, why: `position ${fmtNum(ip)} = ${parts.join(' ')}` };
}

function annualDemand(f: ItemForecast): number {
  let s = 0;
  for (let i = 0; i < f.mean.length; i++) s += f.mean[i];
  return (s / f.mean.length) * 365;
}

export function computePolicy(input: PolicyInput): PolicyResult {
  const { forecast, supplier, stock, params } = input;
  const R = params.reviewDays;
  const L = supplier.leadTimeDays;
  if (!(R >= 0)) throw new AppError('invalid', 'review period must be ≥ 0', 'reviewDays');
  const common = { forecast, leadTimeDays: L, leadTimeSdDays: supplier.leadTimeSdDays, method: input.method, family: input.family, seed: input.seed };
  const ltd: LeadTimeDemand = leadTimeDemand({ ...common, reviewDays: R });
  const ip = inventoryPosition(stock);
  const eoqX = params.costs ? eoq(annualDemand(forecast), params.costs) : null;
  const reviewDemand = R > 0 ? cumulativeMean(forecast.mean, L + R) - cumulativeMean(forecast.mean, L) : 0;
  const days = fmtNum(ltd.days);

  // Batch size used by (s, Q)-type kinds: EOQ, else one review period of demand, at least one pack.
  const batch = Math.max(
    eoqX ? eoqX.value : reviewDemand > 0 ? reviewDemand : ltd.mean / Math.max(ltd.days, 1),
    supplier.packSize,
    supplier.moq,
    1,
  );
  const cycleDemand = R > 0 && (params.kind === 'rs' || params.kind === 'jit') ? reviewDemand : batch;
  const leadOnly =
    params.service.kind === 'fill' && R > 0 && (params.kind === 'rs' || params.kind === 'jit')
      ? leadTimeDemand({ ...common, reviewDays: 0 }).dist
      : undefined;

  let s: number; // reorder point
  let S: number; // order-up-to level (or s + Q for rop)
  let sWhy: string;
  let SWhy: string;
  let raw: number; // wanted quantity before rounding
  let lvl: { value: number; why: string } | null = null;
  const level = (): { value: number; why: string } =>
    (lvl ??= serviceLevelStock(params.service, ltd.dist, { leadOnly, cycleDemand }));

  switch (params.kind) {
    case 'rs': {
      const t = level();
      s = S = t.value;
      sWhy = SWhy = `S ${fmtNum(S)} = ${t.why} of ${days}-day demand`;
      raw = S - ip.value;
      break;
    }
    case 'jit': {
      S = Math.max(0, Math.ceil(ltd.mean - 1e-9));
      s = S;
      sWhy = SWhy = `JIT target ${fmtNum(S)} = forecast of ${days}-day demand, no safety stock`;
      raw = S - ip.value;
      break;
    }
    case 'rop': {
      const t = level();
      s = t.value;
      const Q = Math.ceil(batch - 1e-9);
      S = s + Q;
      sWhy = `ROP ${fmtNum(s)} = ${t.why} of ${days}-day demand`;
      SWhy = `ROP + Q = ${fmtNum(S)}`;
      raw = ip.value <= s ? Q * Math.max(1, Math.floor((s - ip.value) / Q) + 1) : 0;
      break;
    }
    case 'eoq': {
      const t = level();
      s = t.value;
      S = s + Math.ceil(batch - 1e-9);
      sWhy = `ROP ${fmtNum(s)} = ${t.why} of ${days}-day demand`;
      SWhy = `order-up-to ${fmtNum(S)} = ROP + ${eoqX ? 'EOQ' : 'review demand'} ${fmtNum(Math.ceil(batch - 1e-9))}`;
      raw = ip.value <= s ? S - ip.value : 0;
      break;
    }
    case 'minmax': {
      if (params.min !== undefined) {
        s = params.min;
        sWhy = `min ${fmtNum(s)} (set by hand)`;
      } else {
        const t = level();
        s = t.value;
        sWhy = `min ${fmtNum(s)} = ${t.why} of ${days}-day demand`;
      }
      if (params.max !== undefined) {
        S = params.max;
        SWhy = `max ${fmtNum(S)} (set by hand)`;
      } else {
        const add = Math.ceil(Math.max(batch, reviewDemand) - 1e-9);
        S = s + add;
        SWhy = `max ${fmtNum(S)} = min + ${fmtNum(add)}`;
      }
      if (S < s) throw new AppError('invalid', `max ${S} is below min ${s}`, 'max');
      raw = ip.value <= s ? S - ip.value : 0;
      break;
    }
    default:
      throw new AppError('invalid', `unknown policy kind ${(params as { kind: string }).kind}`, 'kind');
  }

  const rounded = roundOrderQty(raw, supplier.packSize, supplier.moq);
  const safety = s - ltd.mean;
  const ss: Explained = {
    value: safety,
    why: `safety stock ${fmtNum(Math.round(safety))} = ${fmtNum(s)} − mean ${days}-day demand ${fmtNum(ltd.mean)}`,
  };
  const head = params.kind === 'rs' || params.kind === 'jit' ? SWhy : sWhy;
  const parts = [head];
  if (eoqX) parts.push(`EOQ ${fmtNum(Math.round(eoqX.value))}`);
  if (params.kind === 'minmax' || params.kind === 'eoq') parts.push(SWhy);
  if (rounded.value > 0) {
    const note = rounded.steps.join('; ');
    parts.push(`order ${fmtNum(rounded.value)}${note ? ` (${note})` : ''}`);
  } else parts.push(`no order (${ip.why})`);
  return {
    kind: params.kind,
    reorderPoint: { value: s, why: `${sWhy}; ${ltd.why}` },
    orderUpTo: { value: S, why: SWhy },
    eoq: eoqX,
    safetyStock: ss,
    orderQty: { value: rounded.value, why: `${rounded.why}; ${ip.why}` },
    inventoryPosition: ip,
    expectedShortage: ltd.dist.expectedShortage(ip.value),
    summary: parts.join('; '),
  };
}

/** Short label of a service target: "P95" or "fill 98 %". */
export function serviceLabel(p: PolicyParams): string {
  return p.service.kind === 'csl' ? `P${pct(p.service.level)}` : `fill ${pct(p.service.level)} %`;
}
