/**
 * Calibration of the network's p(male) (pure).
 *
 * FINDINGS: face-api's age/gender net is biased toward "male" (female recall 61-68 % vs ~97 % male on
 * FairFace). A monotone remap p' = σ(a·logit(p) + b) (Platt scaling) fitted on a held-apart split with
 * class-balanced weights moves the decision point so that both classes are recognised about equally
 * often, and makes p' a probability under a 50/50 prior. A pure threshold is the special case a = 1,
 * b = −logit(t). Always fit on one split and report on another: fitted on the same images the gain is
 * optimistic.
 */
import { fitLogistic, logit, sigmoid } from './logistic.ts';

export interface PlattCalibration {
  method: 'platt';
  a: number;
  b: number;
}

export type GenderCalibration = { method: 'identity' } | PlattCalibration;

export const IDENTITY_CALIBRATION: GenderCalibration = { method: 'identity' };

export function applyGenderCalibration(cal: GenderCalibration, pMale: number): number {
  if (cal.method === 'identity') return pMale;
  return sigmoid(cal.a * logit(pMale) + cal.b);
}

/** Platt scaling on logit(p), class-balanced so balanced accuracy is what the 0.5 point optimises. */
export function fitPlatt(pMale: number[], isMale: boolean[], opts: { balanced?: boolean; l2?: number } = {}): PlattCalibration {
  const x = pMale.map((p) => [logit(p)]);
  const y = isMale.map((m) => (m ? 1 : 0));
  const m = fitLogistic(x, y, { balanced: opts.balanced ?? true, l2: opts.l2 ?? 1e-3 });
  const a = m.weights[0] / m.scale[0];
  const b = m.bias - (m.weights[0] * m.mean[0]) / m.scale[0];
  return { method: 'platt', a, b };
}

/**
 * Temperature only: p' = σ(a·logit(p)), b = 0. Keeps the decision point at the network's 0.5 (no
 * accuracy trade between women and men) and only makes the confidence honest (log-loss fit, natural
 * class mix). The default when a held-apart split shows no bias to correct.
 */
export function fitTemperature(pMale: number[], isMale: boolean[]): PlattCalibration {
  const x = pMale.map((p) => logit(p));
  let a = 1;
  for (let it = 0; it < 50; it++) {
    let g = 0, h = 1e-9;
    for (let i = 0; i < x.length; i++) {
      const q = sigmoid(a * x[i]);
      g += (q - (isMale[i] ? 1 : 0)) * x[i];
      h += q * (1 - q) * x[i] * x[i];
    }
    const step = g / h;
    a -= step;
    if (Math.abs(step) < 1e-9) break;
  }
  return { method: 'platt', a, b: 0 };
}

/** The threshold on raw p(male) that maximises balanced accuracy, as an equivalent Platt map. */
export function fitBalancedThreshold(pMale: number[], isMale: boolean[]): PlattCalibration & { threshold: number } {
  const nM = isMale.filter(Boolean).length;
  const nF = isMale.length - nM;
  const order = pMale.map((p, i) => [p, isMale[i]] as const).sort((a, b) => a[0] - b[0]);
  // Threshold between order[k-1] and order[k]: predicted female = first k.
  let best = -1, bestK = 0, femBelow = 0, malBelow = 0;
  for (let k = 0; k <= order.length; k++) {
    if (k > 0) (order[k - 1][1] ? malBelow++ : femBelow++);
    if (k > 0 && k < order.length && order[k][0] === order[k - 1][0]) continue;
    const bal = (femBelow / Math.max(1, nF) + (nM - malBelow) / Math.max(1, nM)) / 2;
    if (bal > best) { best = bal; bestK = k; }
  }
  const lo = bestK > 0 ? order[bestK - 1][0] : 0;
  const hi = bestK < order.length ? order[bestK][0] : 1;
  const threshold = Math.min(1 - 1e-6, Math.max(1e-6, (lo + hi) / 2));
  return { method: 'platt', a: 1, b: -logit(threshold), threshold };
}

/**
 * Age residual model in log space fitted on held-apart data: ln(age+1) ≈ c0 + c1·ln(est+1) + ε,
 * ε ~ N(0, sigma). The linear part corrects a systematic stretch/shift of the estimates; sigma gives
 * the age-group confidence (see ageGroupProbability).
 */
export interface AgeCalibration {
  c0: number;
  c1: number;
  sigmaLog: number;
}

export const IDENTITY_AGE: AgeCalibration = { c0: 0, c1: 1, sigmaLog: 0.3 };

export function applyAgeCalibration(cal: AgeCalibration, estYears: number): number {
  return Math.max(0, Math.exp(cal.c0 + cal.c1 * Math.log(Math.max(0, estYears) + 1)) - 1);
}

export function fitAgeCalibration(estYears: number[], trueYears: number[], opts: { linear?: boolean } = {}): AgeCalibration {
  const x = estYears.map((e) => Math.log(Math.max(0, e) + 1));
  const y = trueYears.map((t) => Math.log(Math.max(0, t) + 1));
  const n = x.length;
  let c0 = 0, c1 = 1;
  if (opts.linear ?? true) {
    const mx = x.reduce((a, b) => a + b, 0) / n;
    const my = y.reduce((a, b) => a + b, 0) / n;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
    c1 = sxx > 0 ? sxy / sxx : 1;
    c0 = my - c1 * mx;
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - (c0 + c1 * x[i])) ** 2;
  return { c0, c1, sigmaLog: Math.sqrt(ss / Math.max(1, n - 2)) };
}
