/**
 * Sampling plans at receiving (pure). 'all': every unit is photographed and judged. 'sample': n of the N received
 * units are inspected with an acceptance number c (single sampling, as in ISO 2859-1 / ANSI Z1.4): when more than
 * c sampled units are defective the whole lot is rejected into quarantine; otherwise only the defective sampled
 * units are quarantined and the rest is received as good.
 */
import { AppError } from '../../errors.ts';

export type SamplingPlan = { mode: 'all' } | { mode: 'sample'; n: number; acceptMax: number };

export interface PlannedSample {
  plan: 'all' | 'sample';
  sampleSize: number;
  acceptMax: number;
}

/** The number of units to inspect for a receipt of qty units (a sample larger than the lot inspects it all). */
export function planSample(qty: number, plan: SamplingPlan): PlannedSample {
  if (!Number.isInteger(qty) || qty <= 0) throw new AppError('invalid', 'quantity received must be a positive integer', 'qty');
  if (plan.mode === 'all') return { plan: 'all', sampleSize: qty, acceptMax: 0 };
  if (!Number.isInteger(plan.n) || plan.n < 1) throw new AppError('invalid', 'sample size must be a positive integer', 'sample');
  if (!Number.isInteger(plan.acceptMax) || plan.acceptMax < 0) throw new AppError('invalid', 'acceptance number must be a whole number ≥ 0', 'acceptMax');
  if (plan.n >= qty) return { plan: 'all', sampleSize: qty, acceptMax: 0 };
  return { plan: 'sample', sampleSize: plan.n, acceptMax: Math.min(plan.acceptMax, plan.n - 1) };
}

export interface LotOutcome {
  lotRejected: boolean;
  good: number;
  defective: number;
}

/** Where the received units go once every sampled unit has a final call. */
export function lotOutcome(qty: number, p: PlannedSample, finalCalls: boolean[]): LotOutcome {
  if (finalCalls.length !== p.sampleSize)
    throw new AppError('conflict', `${finalCalls.length} of ${p.sampleSize} units have a final call; inspect and confirm every sampled unit first`);
  const d = finalCalls.filter(Boolean).length;
  if (p.plan === 'sample' && d > p.acceptMax) return { lotRejected: true, good: 0, defective: qty };
  return { lotRejected: false, good: qty - d, defective: d };
}
