import type { DemandClass } from './types.ts';

/** Syntetos-Boylan-Croston cut-offs. */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export interface Classification {
  demandClass: DemandClass;
  /** Average inter-demand interval: observed periods / periods with demand (Infinity when none). */
  adi: number;
  /** Squared coefficient of variation of the non-zero demand sizes. */
  cv2: number;
  nonZero: number;
  observed: number;
}

/**
 * Syntetos-Boylan classification by ADI and CV² of non-zero demand sizes. Missing (NaN) periods are
 * left out. Leading zeros before the first sale are ignored (the item was probably not listed yet).
 */
export function classifyDemand(y: Float64Array): Classification {
  let start = 0;
  while (start < y.length && !(y[start] > 0)) start++;
  let observed = 0;
  let nz = 0;
  let sum = 0;
  let sum2 = 0;
  for (let t = start; t < y.length; t++) {
    const v = y[t];
    if (v !== v) continue;
    observed++;
    if (v > 0) {
      nz++;
      sum += v;
      sum2 += v * v;
    }
  }
  const adi = nz > 0 ? observed / nz : Infinity;
  let cv2 = 0;
  if (nz > 1) {
    const mean = sum / nz;
    const variance = Math.max(0, sum2 / nz - mean * mean);
    cv2 = variance / (mean * mean);
  }
  const intermittentTiming = adi >= ADI_CUTOFF;
  const variableSize = cv2 >= CV2_CUTOFF;
  const demandClass: DemandClass = intermittentTiming
    ? variableSize
      ? 'lumpy'
      : 'intermittent'
    : variableSize
      ? 'erratic'
      : 'smooth';
  return { demandClass, adi, cv2, nonZero: nz, observed };
}
