/**
 * Age bands as a clothing store merchandises them (pure).
 *
 * Why these bands:
 * - child 0-12: children's wear is sized by age up to ~12 (the catalog's Boys/Girls), one department;
 * - teen 13-19: junior / teen ranges (adult sizes, different styles);
 * - 20-29, 30-44, 45-59: the adult ranges shops brief campaigns by (young adult, core adult, mature);
 * - 60+: senior shoppers (comfort / classic lines).
 * Coarse on purpose: the model's age error is ~5-7 years (docs/vision.md), so finer bands would mostly
 * show noise, and coarse bands are what the privacy design stores (no exact ages in events).
 */
export const AGE_GROUPS = ['child', 'teen', '20-29', '30-44', '45-59', '60+'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Inclusive lower bound in whole years; each band ends where the next starts. */
export const AGE_GROUP_LOWER: Record<AgeGroup, number> = {
  child: 0,
  teen: 13,
  '20-29': 20,
  '30-44': 30,
  '45-59': 45,
  '60+': 60,
};

export function ageGroupIndex(ageYears: number): number {
  let idx = 0;
  for (let i = 1; i < AGE_GROUPS.length; i++) if (ageYears >= AGE_GROUP_LOWER[AGE_GROUPS[i]]) idx = i;
  return idx;
}

/** Age group of an age in years. A model's fractional estimate is floored like a birthday age. */
export function ageGroupOf(ageYears: number): AgeGroup {
  return AGE_GROUPS[ageGroupIndex(Math.floor(Math.max(0, ageYears)))];
}

/** Band limits [lo, hi) in years; hi = Infinity for the top band. */
export function ageGroupRange(group: AgeGroup): [number, number] {
  const i = AGE_GROUPS.indexOf(group);
  const hi = i + 1 < AGE_GROUPS.length ? AGE_GROUP_LOWER[AGE_GROUPS[i + 1]] : Number.POSITIVE_INFINITY;
  return [AGE_GROUP_LOWER[group], hi];
}

/** How many bands apart two groups are (0 = same, 1 = neighbours). */
export function ageGroupDistance(a: AgeGroup, b: AgeGroup): number {
  return Math.abs(AGE_GROUPS.indexOf(a) - AGE_GROUPS.indexOf(b));
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * Probability that the true age lies in `group`, given an estimate, under the residual model fitted on
 * held-apart data: ln(age+1) ~ Normal(ln(estimate+1), sigma). Used as the "age confidence".
 */
export function ageGroupProbability(estimateYears: number, group: AgeGroup, sigmaLog: number): number {
  const m = Math.log(Math.max(0, estimateYears) + 1);
  const [lo, hi] = ageGroupRange(group);
  const zLo = lo <= 0 ? Number.NEGATIVE_INFINITY : (Math.log(lo + 1) - m) / sigmaLog;
  const zHi = Number.isFinite(hi) ? (Math.log(hi + 1) - m) / sigmaLog : Number.POSITIVE_INFINITY;
  const pHi = zHi === Number.POSITIVE_INFINITY ? 1 : normalCdf(zHi);
  const pLo = zLo === Number.NEGATIVE_INFINITY ? 0 : normalCdf(zLo);
  return Math.max(0, Math.min(1, pHi - pLo));
}
