import { movingAverageForecast, naiveForecast, seasonalNaiveForecast, seasonalNaiveLevelForecast } from './baselines.model.ts';
import { autoEts, type EtsForm, fitEts, forecastEts } from './ets.model.ts';
import { adidaRate, crostonRate, imapaRate, sbaRate, sesOptimizedNext, tsbRate } from './intermittent.model.ts';
import type { DemandClass, Freq, MethodName } from './types.ts';

/** What a method needs besides the series. Profiles are indexed by t % m, t counted from the series start. */
export interface MethodContext {
  m: number;
  freq: Freq;
  /** Seasonal profile (mean 1) used by the '-s' variants; null = none. */
  profile: Float64Array | null;
  /** Aggregation level for ADIDA / upper level for IMAPA (the rounded ADI). */
  aggLevel: number;
  /** Set by the full-sample 'ets' fit so that back-test folds refit the same form. */
  etsForm?: EtsForm;
  /** Global model forecast for this series from an origin (enables 'gbm'). */
  globalForecast?: (origin: number, horizon: number) => Float64Array;
  /** Rates already computed for this series (flat and '-s' variants share them). */
  cache?: Map<string, number>;
}

function cached(ctx: MethodContext, key: string, f: () => number): number {
  if (!ctx.cache) return f();
  let v = ctx.cache.get(key);
  if (v === undefined) ctx.cache.set(key, (v = f()));
  return v;
}

export interface MethodOutput {
  mean: Float64Array;
  detail?: string;
  etsForm?: EtsForm;
}

export type MethodFn = (y: Float64Array, h: number, ctx: MethodContext) => MethodOutput;

function flat(rate: number, h: number): Float64Array {
  return new Float64Array(h).fill(rate);
}

/** Multiply a flat forecast by the seasonal profile at the forecast periods (y.length + i). */
function shaped(rate: number, h: number, n: number, ctx: MethodContext): Float64Array {
  const out = flat(rate, h);
  const p = ctx.profile;
  if (p) for (let i = 0; i < h; i++) out[i] *= p[(n + i) % p.length];
  return out;
}

export function maWindow(freq: Freq): number {
  return freq === 'D' ? 28 : freq === 'W' ? 8 : 6;
}

function sesRate(y: Float64Array): number {
  return sesOptimizedNext(y);
}

export const METHODS: Record<MethodName, MethodFn> = {
  zero: (_y, h) => ({ mean: new Float64Array(h) }),
  gbm: (y, h, c) =>
    c.globalForecast
      ? { mean: c.globalForecast(y.length, h), detail: 'global gradient-boosted trees trained across the batch' }
      : { mean: shaped(movingAverageForecast(y, 1, maWindow(c.freq))[0], h, y.length, c), detail: 'no global model given: ma-s' },
  naive: (y, h) => ({ mean: naiveForecast(y, h) }),
  snaive: (y, h, c) => ({ mean: seasonalNaiveForecast(y, h, c.m) }),
  'snaive-level': (y, h, c) => ({ mean: seasonalNaiveLevelForecast(y, h, c.m, maWindow(c.freq)) }),
  ma: (y, h, c) => ({ mean: movingAverageForecast(y, h, maWindow(c.freq)) }),
  'ma-s': (y, h, c) => ({ mean: shaped(cached(c, 'ma', () => movingAverageForecast(y, 1, maWindow(c.freq))[0]), h, y.length, c) }),
  ses: (y, h, c) => ({ mean: flat(cached(c, 'ses', () => sesRate(y)), h) }),
  'ses-s': (y, h, c) => ({ mean: shaped(cached(c, 'ses', () => sesRate(y)), h, y.length, c) }),
  ets: (y, h, c) => {
    const fit = c.etsForm ? fitEts(y, c.m, c.etsForm) ?? autoEts(y, c.m) : autoEts(y, c.m);
    if (!fit) return { mean: naiveForecast(y, h), detail: 'ETS could not be fitted: naive' };
    const a = `α=${fit.alpha.toFixed(3)}` + (fit.form.trend !== 'N' ? ` β=${fit.beta.toFixed(3)}` : '') +
      (fit.form.season !== 'N' ? ` γ=${fit.gamma.toFixed(3)}` : '') + (fit.form.trend === 'Ad' ? ` φ=${fit.phi.toFixed(3)}` : '');
    return { mean: forecastEts(fit, h), detail: `${fit.name} by AICc ${fit.aicc.toFixed(1)}, ${a}`, etsForm: fit.form };
  },
  croston: (y, h) => ({ mean: flat(crostonRate(y), h) }),
  sba: (y, h, c) => ({ mean: flat(cached(c, 'sba', () => sbaRate(y)), h) }),
  'sba-s': (y, h, c) => ({ mean: shaped(cached(c, 'sba', () => sbaRate(y)), h, y.length, c) }),
  tsb: (y, h, c) => ({ mean: flat(cached(c, 'tsb', () => tsbRate(y)), h) }),
  'tsb-s': (y, h, c) => ({ mean: shaped(cached(c, 'tsb', () => tsbRate(y)), h, y.length, c) }),
  adida: (y, h, c) => ({ mean: flat(adidaRate(y, c.aggLevel), h) }),
  imapa: (y, h, c) => ({ mean: flat(cached(c, 'imapa', () => imapaRate(y, c.aggLevel)), h) }),
  'imapa-s': (y, h, c) => ({ mean: shaped(cached(c, 'imapa', () => imapaRate(y, c.aggLevel)), h, y.length, c) }),
};

/**
 * Default candidates for the automatic choice; the first is the default (incumbent). Ensembles of a
 * few robust methods win more often than any single method on real retail data (docs/forecasting.md).
 */
export function defaultCandidates(cls: DemandClass, seasonal: boolean, m: number, freq: Freq): string[] {
  const longSeason = seasonal && m >= 12;
  let list: string[];
  if (longSeason) list = ['ses+snaive+snaive-level', 'ses+snaive-level', 'ets', 'ses', 'snaive', 'snaive-level', 'ma', 'tsb'];
  else if (cls === 'intermittent' || cls === 'lumpy') list = ['ma-s+ses-s+tsb-s', 'ma-s', 'ses-s', 'sba-s', 'tsb-s'];
  else list = ['ets+ma-s+ses-s', 'ets', 'ma-s', 'ses-s', 'tsb-s', 'snaive', 'ma', 'ses'];
  if (!seasonal) list = list.map((c) => c.replaceAll('-s', '')).filter((c) => !c.includes('snaive'));
  void freq;
  return [...new Set(list.filter((c) => c.length > 0))];
}

/**
 * Seasonal profile of one series (mean 1, indexed by t % m), from up to the last 52 cycles, each
 * position shrunk toward `prior` (a pooled profile, or flat) with the weight of `strength` cycles.
 */
export function seriesProfile(y: Float64Array, m: number, prior: Float64Array | null = null, strength = 4): Float64Array | null {
  if (m <= 1) return null;
  const n = y.length;
  const start = Math.max(0, n - 52 * m);
  const sum = new Float64Array(m);
  const cnt = new Float64Array(m);
  let total = 0;
  let c = 0;
  for (let t = start; t < n; t++) {
    const v = y[t];
    if (v !== v) continue;
    sum[t % m] += v;
    cnt[t % m]++;
    total += v;
    c++;
  }
  if (c === 0 || !(total > 0)) return prior ? Float64Array.from(prior) : null;
  const mu = total / c;
  const prof = new Float64Array(m);
  let ps = 0;
  for (let j = 0; j < m; j++) {
    const pj = prior ? prior[j] : 1;
    prof[j] = (sum[j] + strength * mu * pj) / ((cnt[j] + strength) * mu);
    ps += prof[j];
  }
  for (let j = 0; j < m; j++) prof[j] *= m / ps;
  return prof;
}
