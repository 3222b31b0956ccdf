/** Predictive distributions for quantiles: normal (continuous), Poisson and negative binomial (counts). */

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - plow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Quantile of a count distribution with the given mean and variance: Poisson when variance ≤ mean,
 * negative binomial (var = mean + mean²/r) above. Returns an integer. Large means use a normal
 * approximation with continuity correction (the exact sum would be slow and underflow).
 */
export function countQuantile(mean: number, variance: number, p: number): number {
  if (!(mean > 0)) return 0;
  const v = Math.max(variance, mean);
  if (mean > 400 || v > 1e5) {
    return Math.max(0, Math.ceil(mean + Math.sqrt(v) * normalQuantile(p) - 0.5));
  }
  const poisson = v <= mean * 1.0001;
  const r = poisson ? 0 : (mean * mean) / (v - mean);
  const q = poisson ? 1 : mean / v; // NB success probability
  const logP0 = poisson ? -mean : r * Math.log(q);
  if (logP0 < -700) return Math.max(0, Math.ceil(mean + Math.sqrt(v) * normalQuantile(p) - 0.5));
  let pmf = Math.exp(logP0);
  let cdf = pmf;
  let k = 0;
  const cap = Math.ceil(mean + 50 * Math.sqrt(v) + 50);
  while (cdf < p - 1e-12 && k < cap) {
    pmf = poisson ? (pmf * mean) / (k + 1) : (pmf * (k + r) * (1 - q)) / (k + 1);
    k++;
    cdf += pmf;
  }
  return k;
}

/**
 * P(Y ≤ k) of the count distribution countQuantile uses (same Poisson / negative binomial choice, same
 * normal approximation with continuity correction for large means). k < 0 gives 0.
 */
export function countCdf(mean: number, variance: number, k: number): number {
  if (k < 0) return 0;
  if (!(mean > 0)) return 1;
  const v = Math.max(variance, mean);
  const normal = () => normalCdf((k + 0.5 - mean) / Math.sqrt(v));
  if (mean > 400 || v > 1e5) return normal();
  const poisson = v <= mean * 1.0001;
  const r = poisson ? 0 : (mean * mean) / (v - mean);
  const q = poisson ? 1 : mean / v;
  const logP0 = poisson ? -mean : r * Math.log(q);
  if (logP0 < -700) return normal();
  let pmf = Math.exp(logP0);
  let cdf = pmf;
  for (let j = 0; j < k && cdf < 1 - 1e-15; j++) {
    pmf = poisson ? (pmf * mean) / (j + 1) : (pmf * (j + r) * (1 - q)) / (j + 1);
    cdf += pmf;
  }
  return Math.min(1, cdf);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Probability that the randomized PIT of an integer actual y falls at or below level p, i.e. that y is
 * "covered" by the p-quantile once the ties of a discrete distribution are split fairly (Czado, Gneiting &
 * Held 2009, the non-randomized PIT). With F(y−1) < p < F(y) the point counts (p − F(y−1)) / (F(y) − F(y−1)).
 * A calibrated count forecast scores p on average; the literal share of y ≤ quantile cannot (P80 = 0 on an
 * item with P(0) = 0.9 covers every zero day).
 */
export function pitCoverage(mean: number, variance: number, y: number, p: number): number {
  const hi = countCdf(mean, variance, y);
  if (hi <= p) return 1;
  const lo = countCdf(mean, variance, y - 1);
  if (lo >= p) return 0;
  return (p - lo) / (hi - lo);
}
