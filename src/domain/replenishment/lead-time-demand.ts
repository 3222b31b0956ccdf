/**
 * Demand over the protection interval (lead time + review period), including lead-time variability.
 *
 * Moments (default): with T = L + R days, fixed-T mean μ(T) = Σ forecast means over T days and fixed-T variance
 * V(T) from the dispersion hints, a random lead time (mean L, sd σ_L) adds d̄² σ_L² (d̄ = μ(T)/T, the daily rate):
 *   E[D] = μ(T),  Var[D] = V(T) + d̄² σ_L².
 * The result is a negative binomial matched to those two moments (Poisson when Var ≤ E, normal when huge).
 * Monte Carlo: draw L from a gamma with mean L and sd σ_L, then demand from a negative binomial with
 * mean μ(L+R) and variance V(L+R), with a seeded RNG; the histogram is the distribution.
 */
import { AppError } from '../../errors.ts';
import { negBinDistribution, normalDistribution, normalQuantile, empiricalDistribution, type DemandDistribution } from './distributions.ts';
import { mulberry32, sampleCount, sampleGamma } from './rng.ts';
import type { ItemForecast } from './types.ts';

export interface LeadTimeDemandInput {
  forecast: ItemForecast;
  leadTimeDays: number;
  leadTimeSdDays?: number;
  /** Review period in days (0 = continuous review). */
  reviewDays: number;
  method?: 'moments' | 'montecarlo';
  /** Moment-matched family: negative binomial (default; Poisson when not over-dispersed) or the textbook normal. */
  family?: 'negbin' | 'normal';
  /** Monte Carlo draws (default 5000) and seed (default 1). */
  draws?: number;
  seed?: number;
}

export interface LeadTimeDemand {
  dist: DemandDistribution;
  /** Expected length of the protection interval in days (L + R). */
  days: number;
  mean: number;
  sd: number;
  method: 'moments' | 'montecarlo';
  /** Where the variance came from. */
  varianceSource: string;
  why: string;
}

/** Mean daily demand of the last (up to) 7 forecast days: the rate used beyond the horizon. */
function tailRate(mean: Float64Array): number {
  const h = mean.length;
  const k = Math.min(7, h);
  let a = 0;
  for (let t = h - k; t < h; t++) a += mean[t];
  return a / k;
}

/** Σ of forecast means over the first `days` days (fractional days pro rata; beyond the horizon at the last week's rate). */
export function cumulativeMean(mean: Float64Array, days: number): number {
  if (days <= 0) return 0;
  const h = mean.length;
  if (h === 0) return 0;
  let s = 0;
  const whole = Math.floor(days);
  const upto = Math.min(whole, h);
  for (let t = 0; t < upto; t++) s += mean[t];
  if (whole > h) s += (whole - h) * tailRate(mean);
  const frac = days - whole;
  if (frac > 0) s += frac * (whole < h ? mean[whole] : tailRate(mean));
  return s;
}

/** Variance of demand over a fixed `days`-day window, from the forecast's dispersion hints (see DemandDispersion). */
export function fixedWindowVariance(f: ItemForecast, days: number, mu: number): { variance: number; source: string } {
  const d = f.dispersion;
  if (d?.horizonErrorSd && d.horizonErrorSd.length > 0) {
    const a = d.horizonErrorSd;
    const n = a.length;
    let sd: number;
    if (days <= 1) sd = a[0] * Math.sqrt(Math.max(days, 0));
    else if (days <= n) {
      const i = Math.floor(days);
      const lo = a[i - 1];
      const hi = i < n ? a[i] : a[n - 1];
      sd = lo + (days - i) * (hi - lo);
    } else sd = a[n - 1] * Math.sqrt(days / n);
    return { variance: sd * sd, source: 'back-test error of the cumulative forecast' };
  }
  if (d?.sdPerDay !== undefined) {
    return { variance: d.sdPerDay * d.sdPerDay * days, source: `daily residual sd ${d.sdPerDay.toFixed(2)}` };
  }
  if (d?.varianceToMean !== undefined) {
    return { variance: d.varianceToMean * mu, source: `variance/mean ${d.varianceToMean.toFixed(2)}` };
  }
  if (f.quantiles) {
    // Per-day sd implied by each quantile level other than the median, averaged over the window; days assumed independent.
    let acc = 0;
    let cnt = 0;
    const n = Math.min(Math.ceil(days), f.mean.length);
    for (const [key, q] of Object.entries(f.quantiles)) {
      const level = Number(key);
      if (!(level > 0 && level < 1) || Math.abs(level - 0.5) < 0.05) continue;
      const z = normalQuantile(level);
      for (let t = 0; t < Math.min(n, q.length); t++) {
        const s = (q[t] - f.mean[t]) / z;
        if (s > 0) {
          acc += s * s;
          cnt++;
        }
      }
    }
    if (cnt > 0) return { variance: (acc / cnt) * days, source: 'spread of the forecast quantiles' };
  }
  return { variance: mu, source: 'Poisson (no dispersion hint)' };
}

function checkInput(x: LeadTimeDemandInput): void {
  if (!(x.leadTimeDays >= 0) || !(x.reviewDays >= 0) || !((x.leadTimeSdDays ?? 0) >= 0)) {
    throw new AppError('invalid', 'lead time, its sd and the review period must be ≥ 0');
  }
  if (x.forecast.mean.length === 0) throw new AppError('invalid', 'forecast has no days', 'forecast.mean');
}

function fmtDays(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export function leadTimeDemand(x: LeadTimeDemandInput): LeadTimeDemand {
  checkInput(x);
  const L = x.leadTimeDays;
  const sdL = x.leadTimeSdDays ?? 0;
  const R = x.reviewDays;
  const T = L + R;
  const method = x.method ?? 'moments';
  const muT = cumulativeMean(x.forecast.mean, T);
  const fixed = fixedWindowVariance(x.forecast, T, muT);
  const interval =
    `${fmtDays(T)}-day demand (lead time ${fmtDays(L)}${sdL > 0 ? ` ± ${fmtDays(sdL)}` : ''}` +
    `${R > 0 ? ` + review ${fmtDays(R)}` : ''} days)`;

  if (method === 'montecarlo' && sdL > 0) {
    const draws = x.draws ?? 5000;
    const rng = mulberry32(x.seed ?? 1);
    const shape = (L * L) / (sdL * sdL);
    const scale = L > 0 ? (sdL * sdL) / L : 0;
    const samples = new Float64Array(draws);
    for (let i = 0; i < draws; i++) {
      const l = L > 0 ? sampleGamma(rng, shape) * scale : 0;
      const t = l + R;
      const m = cumulativeMean(x.forecast.mean, t);
      const v = fixedWindowVariance(x.forecast, t, m).variance;
      samples[i] = sampleCount(rng, m, v);
    }
    const dist = empiricalDistribution(samples);
    const sd = Math.sqrt(dist.variance);
    return {
      dist,
      days: T,
      mean: dist.mean,
      sd,
      method,
      varianceSource: fixed.source,
      why: `${interval}: ${dist.label}; variance from ${fixed.source}`,
    };
  }

  const rate = T > 0 ? muT / T : 0;
  const variance = fixed.variance + rate * rate * sdL * sdL;
  const dist =
    x.family === 'normal' ? normalDistribution(muT, Math.sqrt(variance)) : negBinDistribution(muT, variance);
  return {
    dist,
    days: T,
    mean: muT,
    sd: Math.sqrt(variance),
    method: 'moments',
    varianceSource: fixed.source,
    why: `${interval}: ${dist.label}; variance from ${fixed.source}${sdL > 0 ? ' + lead-time variability' : ''}`,
  };
}
