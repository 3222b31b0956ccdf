/**
 * Demand distributions with the three operations replenishment needs: quantile (reorder points at a cycle
 * service level), cdf, and the loss function E[(D − s)+] (expected units short, for fill-rate targets).
 * Discrete ones (Poisson, negative binomial, Monte-Carlo histograms) are held as a probability table, so all
 * three are exact; very large demands fall back to a normal approximation.
 */
import { AppError } from '../../errors.ts';

export type DistributionKind = 'poisson' | 'negbin' | 'gamma' | 'normal' | 'empirical' | 'zero';

export interface DemandDistribution {
  kind: DistributionKind;
  mean: number;
  variance: number;
  /** Smallest x with P(D ≤ x) ≥ p (an integer for discrete kinds). */
  quantile(p: number): number;
  /** P(D ≤ x). */
  cdf(x: number): number;
  /** E[(D − s)+]: expected demand not covered by s units. */
  expectedShortage(s: number): number;
  /** Human label, e.g. "negative binomial (mean 31.5, sd 9.2)". */
  label: string;
}

// ---------- normal ----------

/** Standard normal cdf (Marsaglia 2004 series; absolute error ~1e-15). */
export function normalCdf(x: number): number {
  if (x < -37) return 0;
  if (x > 37) return 1;
  if (Math.abs(x) > 8) {
    // Asymptotic tail (Mills ratio), plenty for |x| > 8.
    const ax = Math.abs(x);
    const tail = (Math.exp(-0.5 * ax * ax) / (ax * Math.sqrt(2 * Math.PI))) * (1 - 1 / (ax * ax) + 3 / ax ** 4);
    return x > 0 ? 1 - tail : tail;
  }
  let s = x;
  let t = 0;
  let b = x;
  const q = x * x;
  let i = 1;
  while (s !== t) {
    t = s;
    i += 2;
    b *= q / i;
    s = t + b;
  }
  return 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal quantile, Wichura's AS 241 (PPND16, ~1e-16 relative). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new AppError('invalid', `probability must be in [0, 1], got ${p}`);
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    x =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -x : x;
}

/** Standard normal loss function G(z) = E[(Z − z)+]. */
export function normalLoss(z: number): number {
  return normalPdf(z) - z * (1 - normalCdf(z));
}

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1);
}

export function normalDistribution(mean: number, sd: number): DemandDistribution {
  const s = Math.max(sd, 1e-12);
  return {
    kind: 'normal',
    mean,
    variance: sd * sd,
    quantile: (p) => Math.max(0, mean + s * normalQuantile(p)),
    cdf: (x) => normalCdf((x - mean) / s),
    expectedShortage: (x) => s * normalLoss((x - mean) / s),
    label: `normal (mean ${fmt(mean)}, sd ${fmt(sd)})`,
  };
}

// ---------- gamma ----------

/** Regularised lower incomplete gamma P(a, x) (series / Lentz continued fraction, Numerical Recipes). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const gln = logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < 1000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(-x + a * Math.log(x) - gln));
  }
  const FPMIN = 1e-300;
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(-x + a * Math.log(x) - gln) * h);
}

/** x with P(a, x) = p (Numerical Recipes invgammp: initial guess + Halley steps). */
export function gammaPInv(p: number, a: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return Infinity;
  const a1 = a - 1;
  const gln = logGamma(a);
  let x: number;
  let lna1 = 0;
  let afac = 0;
  if (a > 1) {
    lna1 = Math.log(a1);
    afac = Math.exp(a1 * (lna1 - 1) - gln);
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) z = -z;
    x = Math.max(1e-3, a * Math.pow(1 - 1 / (9 * a) - z / (3 * Math.sqrt(a)), 3));
  } else {
    const t = 1 - a * (0.253 + a * 0.12);
    if (p < t) {
      // In logs: with a tiny shape (a lumpy item whose error sd dwarfs its mean, k = m²/v ~ 1e-4) (p/t)^(1/a)
      // underflows to a denormal, and the Newton step below then divides infinities into NaN (seen as a stored
      // "ROP NaN" for one demo item). Below e^-700 the quantile is 0 for any purpose here.
      const lx = Math.log(p / t) / a;
      if (lx < -700) return 0;
      x = Math.exp(lx);
    } else x = 1 - Math.log(1 - (p - t) / (1 - t));
  }
  for (let j = 0; j < 100; j++) {
    if (x <= 0) return 0;
    const err = gammaP(a, x) - p;
    const t0 = a > 1 ? afac * Math.exp(-(x - a1) + a1 * (Math.log(x) - lna1)) : Math.exp(-x + a1 * Math.log(x) - gln);
    if (!(t0 > 0 && t0 < Infinity)) break;
    const u = err / t0;
    const dx = u / (1 - 0.5 * Math.min(1, u * (a1 / x - 1)));
    x -= dx;
    if (x <= 0) x = 0.5 * (x + dx);
    if (Math.abs(dx) < 1e-11 * x) break;
  }
  return x;
}

/**
 * Gamma moment-matched to a mean and variance (shape k = m²/v, scale θ = v/m). Used for large demands instead of a
 * negative binomial table: it keeps the skew, and quantile and loss have closed forms:
 * E[(X − s)+] = kθ (1 − P(k+1, s/θ)) − s (1 − P(k, s/θ)).
 */
export function gammaDistribution(mean: number, variance: number): DemandDistribution {
  if (!(mean > 0) || !(variance > 0)) return zeroDistribution();
  const k = (mean * mean) / variance;
  const th = variance / mean;
  return {
    kind: 'gamma',
    mean,
    variance,
    quantile: (p) => th * gammaPInv(p, k),
    cdf: (x) => gammaP(k, x / th),
    expectedShortage(s) {
      if (s <= 0) return mean - s;
      const y = s / th;
      return Math.max(0, mean * (1 - gammaP(k + 1, y)) - s * (1 - gammaP(k, y)));
    },
    label: `gamma (mean ${fmt(mean)}, sd ${fmt(Math.sqrt(variance))})`,
  };
}

// ---------- discrete tables ----------

/** A distribution on the integers lo, lo+1, ..., held as a pmf table (mass outside is negligible). */
export function tableDistribution(
  kind: DistributionKind,
  lo: number,
  pmf: Float64Array,
  label?: string,
): DemandDistribution {
  const n = pmf.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += pmf[i];
  const cdfT = new Float64Array(n);
  let acc = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const p = pmf[i] / total;
    acc += p;
    cdfT[i] = acc;
    const k = lo + i;
    mean += p * k;
    m2 += p * k * k;
  }
  cdfT[n - 1] = 1;
  // loss[i] = E[(D − (lo+i))+] = Σ_{k ≥ lo+i} P(D > k), built on first use
  let loss: Float64Array | null = null;
  const lossTable = (): Float64Array => {
    if (loss) return loss;
    loss = new Float64Array(n + 1);
    for (let i = n - 1; i >= 0; i--) loss[i] = loss[i + 1] + (1 - cdfT[i]);
    return loss;
  };
  const variance = Math.max(0, m2 - mean * mean);
  const cdf = (x: number): number => {
    const i = Math.floor(x) - lo;
    if (i < 0) return 0;
    if (i >= n) return 1;
    return cdfT[i];
  };
  const lossAtInt = (k: number): number => {
    const i = k - lo;
    if (i <= 0) return mean - k; // all mass at or above k
    if (i >= n) return 0;
    return lossTable()[i];
  };
  return {
    kind,
    mean,
    variance,
    quantile(p) {
      if (p <= 0) return lo;
      // first index with cdf ≥ p (tolerate rounding at 1e-12)
      let a = 0;
      let b = n - 1;
      const target = p - 1e-12;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (cdfT[mid] >= target) b = mid;
        else a = mid + 1;
      }
      return lo + a;
    },
    cdf,
    expectedShortage(s) {
      const f = Math.floor(s);
      const lf = lossAtInt(f);
      if (f === s) return lf;
      // piecewise linear between integers for an integer-valued D
      return lf + (s - f) * (lossAtInt(f + 1) - lf);
    },
    label: label ?? `${kind} (mean ${fmt(mean)}, sd ${fmt(Math.sqrt(variance))})`,
  };
}

const MAX_TABLE = 400_000;
/** Above this many table entries the negative binomial is replaced by a moment-matched gamma. */
export const NEGBIN_TABLE_LIMIT = 2_000;

export function zeroDistribution(): DemandDistribution {
  return tableDistribution('zero', 0, Float64Array.of(1), 'no demand');
}

/** Poisson(λ) as a table (normal approximation above table size limits). */
export function poissonDistribution(lambda: number): DemandDistribution {
  if (!(lambda > 0)) return zeroDistribution();
  const sd = Math.sqrt(lambda);
  const lo = Math.max(0, Math.floor(lambda - 12 * sd - 5));
  const hi = Math.ceil(lambda + 14 * sd + 15);
  if (hi - lo > MAX_TABLE) return normalDistribution(lambda, sd);
  const pmf = new Float64Array(hi - lo + 1);
  let p = Math.exp(-lambda + lo * Math.log(lambda) - logGamma(lo + 1));
  for (let k = lo; k <= hi; k++) {
    pmf[k - lo] = p;
    p *= lambda / (k + 1);
  }
  return tableDistribution('poisson', lo, pmf, `Poisson (mean ${fmt(lambda)})`);
}

/**
 * Negative binomial moment-matched to a mean and variance (> mean); Poisson when variance ≤ mean.
 * Parameterisation: size r = m² / (v − m), p = m / v, P(k) = Γ(k+r)/(Γ(r) k!) p^r (1−p)^k.
 */
export function negBinDistribution(mean: number, variance: number): DemandDistribution {
  if (!(mean > 0)) return zeroDistribution();
  if (variance <= mean * (1 + 1e-9)) return poissonDistribution(mean);
  const r = (mean * mean) / (variance - mean);
  const p = mean / variance;
  const sd = Math.sqrt(variance);
  const lo = Math.max(0, Math.floor(mean - 10 * sd - 5));
  // Long tables (large or very spread demand) cost time: the moment-matched gamma is within a unit or so there.
  if (mean + 25 * sd - lo > NEGBIN_TABLE_LIMIT) return gammaDistribution(mean, variance);
  const log1mp = Math.log1p(-p);
  const logP0 = logGamma(lo + r) - logGamma(r) - logGamma(lo + 1) + r * Math.log(p) + lo * log1mp;
  let pk = Math.exp(logP0);
  const q = 1 - p;
  let out = new Float64Array(Math.min(MAX_TABLE, Math.ceil(mean + 25 * sd) - lo + 16));
  let acc = 0;
  let k = lo;
  // Walk until the right tail is negligible (long tails for small r) or the table limit.
  const minHi = mean + 6 * sd + 10;
  let n = 0;
  while (n < MAX_TABLE) {
    if (n === out.length) {
      const grown = new Float64Array(Math.min(MAX_TABLE, out.length * 2));
      grown.set(out);
      out = grown;
    }
    out[n++] = pk;
    acc += pk;
    if (k > minHi && 1 - acc < 1e-10) break;
    pk *= ((k + r) / (k + 1)) * q;
    k++;
  }
  return tableDistribution('negbin', lo, out.subarray(0, n), `negative binomial (mean ${fmt(mean)}, sd ${fmt(sd)})`);
}

/** Empirical distribution of integer samples (e.g. from Monte Carlo). */
export function empiricalDistribution(samples: ArrayLike<number>): DemandDistribution {
  if (samples.length === 0) return zeroDistribution();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const pmf = new Float64Array(hi - lo + 1);
  for (let i = 0; i < samples.length; i++) pmf[Math.round(samples[i]) - lo] += 1;
  const d = tableDistribution('empirical', lo, pmf);
  d.label = `Monte Carlo, ${samples.length} draws (mean ${fmt(d.mean)}, sd ${fmt(Math.sqrt(d.variance))})`;
  return d;
}
