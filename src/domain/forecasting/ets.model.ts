import { logit, nelderMead, sigmoid } from './nelder-mead.ts';

/**
 * Exponential smoothing state-space models with additive errors, ETS(A, trend, season):
 * trend N (none), A (additive), Ad (damped); season N, A (additive), M (multiplicative).
 * SES = ETS(A,N,N), Holt = (A,A,N), damped = (A,Ad,N), Holt-Winters additive = (A,A,A) / (A,Ad,A),
 * multiplicative = (A,A,M) / (A,Ad,M). Smoothing parameters are fitted by Nelder-Mead on the
 * Gaussian likelihood (like statsforecast / forecast::ets, within the "usual" bounds
 * 0<β<α<1, 0<γ<1-α, 0.8≤φ≤0.98); initial states come from a decomposition of the first cycles
 * (not optimised: that is what keeps a fit at well under a millisecond). Missing values (NaN) are
 * skipped: the state is propagated without an update and the step is not in the likelihood.
 */
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';

export interface EtsForm {
  trend: EtsTrend;
  season: EtsSeason;
}

export interface EtsFit {
  form: EtsForm;
  name: string;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  m: number;
  /** Number of non-missing observations in the likelihood. */
  n: number;
  /** Number of estimated parameters (smoothing + initial states + σ). */
  k: number;
  aicc: number;
  /** In-sample one-step residual variance (SSE / n). */
  sigma2: number;
  /** Final states after the last observation. */
  level: number;
  slope: number;
  /** Seasonal states indexed by t % m (t = absolute period index). */
  season: Float64Array;
  /** Length of the fitted series (next period index). */
  end: number;
}

export function etsName(form: EtsForm): string {
  return `ETS(A,${form.trend},${form.season})`;
}

const TREND_CODE = { N: 0, A: 1, Ad: 2 } as const;
const SEASON_CODE = { N: 0, A: 1, M: 2 } as const;

interface Init {
  l0: number;
  b0: number;
  s0: Float64Array;
}

/** Decomposition start values: seasonal indices from the first cycles, level/slope by least squares. */
function initStates(y: Float64Array, m: number, trend: number, season: number): Init | null {
  const n = y.length;
  const s0 = new Float64Array(m).fill(season === 2 ? 1 : 0);
  if (season !== 0) {
    const cycles = Math.min(Math.floor(n / m), 8);
    if (cycles < 2) return null;
    const sum = new Float64Array(m);
    const cnt = new Float64Array(m);
    for (let t = 0; t < cycles * m; t++) {
      const v = y[t];
      if (v === v) {
        sum[t % m] += v;
        cnt[t % m]++;
      }
    }
    let grand = 0;
    let pos = 0;
    for (let j = 0; j < m; j++) {
      if (cnt[j] > 0) {
        sum[j] /= cnt[j];
        grand += sum[j];
        pos++;
      }
    }
    if (pos < m) return null;
    grand /= m;
    if (season === 2 && !(grand > 0)) return null;
    for (let j = 0; j < m; j++) s0[j] = season === 1 ? sum[j] - grand : Math.max(0.01, sum[j] / grand);
  }
  const maxn = Math.min(n, Math.max(10, 2 * m));
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let c = 0;
  for (let t = 0; t < maxn; t++) {
    const v = y[t];
    if (v !== v) continue;
    const sa = season === 1 ? v - s0[t % m] : season === 2 ? v / s0[t % m] : v;
    const x = t + 1;
    sx += x;
    sy += sa;
    sxx += x * x;
    sxy += x * sa;
    c++;
  }
  if (c === 0) return null;
  let l0 = sy / c;
  let b0 = 0;
  if (trend !== 0 && c > 1) {
    const den = c * sxx - sx * sx;
    b0 = den !== 0 ? (c * sxy - sx * sy) / den : 0;
    l0 = (sy - b0 * sx) / c;
  }
  return { l0, b0, s0 };
}

interface RunState {
  sse: number;
  n: number;
  l: number;
  b: number;
}

/** One pass of the filter; writes final seasonal states into `s` (which starts as a copy of init). */
function run(
  y: Float64Array,
  m: number,
  trend: number,
  season: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  init: Init,
  s: Float64Array,
  out: RunState,
): void {
  let l = init.l0;
  let b = init.b0;
  s.set(init.s0);
  let sse = 0;
  let cnt = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const j = t % m;
    const sj = s[j];
    const pb = trend === 0 ? 0 : phi * b;
    const lb = l + pb;
    const v = y[t];
    if (v !== v) {
      l = lb;
      b = pb;
      continue;
    }
    if (season === 0) {
      const e = v - lb;
      sse += e * e;
      l = lb + alpha * e;
      b = pb + beta * e;
    } else if (season === 1) {
      const e = v - lb - sj;
      sse += e * e;
      l = lb + alpha * e;
      b = pb + beta * e;
      s[j] = sj + gamma * e;
    } else {
      const e = v - lb * sj;
      sse += e * e;
      const sd = Math.abs(sj) < 1e-6 ? 1e-6 : sj;
      const ld = Math.abs(lb) < 1e-6 ? 1e-6 : lb;
      l = lb + (alpha * e) / sd;
      b = pb + (beta * e) / sd;
      s[j] = sj + (gamma * e) / ld;
    }
    cnt++;
    if (!(Math.abs(l) < 1e12)) {
      sse = Infinity;
      break;
    }
  }
  out.sse = sse;
  out.n = cnt;
  out.l = l;
  out.b = b;
}

/** Fit one ETS form. Returns null when the series is too short or unsuitable (e.g. M season with zeros). */
export function fitEts(y: Float64Array, m: number, form: EtsForm): EtsFit | null {
  const trend = TREND_CODE[form.trend];
  const season = form.season === 'N' || m <= 1 ? 0 : SEASON_CODE[form.season];
  const mm = season === 0 ? 1 : m;
  if (season === 2) for (let t = 0; t < y.length; t++) if (y[t] <= 0) return null;
  const init = initStates(y, mm, trend, season);
  if (!init) return null;
  const s = new Float64Array(mm);
  const st: RunState = { sse: 0, n: 0, l: 0, b: 0 };
  // parameter vector in logit space: alpha, beta/alpha, gamma/(1-alpha), (phi-0.8)/0.18
  const dim = 1 + (trend !== 0 ? 1 : 0) + (season !== 0 ? 1 : 0) + (trend === 2 ? 1 : 0);
  const decode = (u: Float64Array, p: Float64Array): void => {
    let i = 0;
    const alpha = 1e-4 + 0.9998 * sigmoid(u[i++]);
    const beta = trend !== 0 ? Math.max(1e-4, alpha * sigmoid(u[i++])) : 0;
    const gamma = season !== 0 ? Math.max(1e-4, (1 - alpha) * sigmoid(u[i++])) : 0;
    const phi = trend === 2 ? 0.8 + 0.18 * sigmoid(u[i++]) : 1;
    p[0] = alpha;
    p[1] = beta;
    p[2] = gamma;
    p[3] = phi;
  };
  const p = new Float64Array(4);
  const objective = (u: Float64Array): number => {
    decode(u, p);
    run(y, mm, trend, season, p[0], p[1], p[2], p[3], init, s, st);
    return st.n > 0 ? st.n * Math.log(st.sse / st.n + 1e-12) : Infinity;
  };
  const a0 = season !== 0 ? Math.max(0.05, 0.2 / mm) : 0.2;
  const u0 = new Float64Array(dim);
  let i = 0;
  u0[i++] = logit(a0);
  if (trend !== 0) u0[i++] = logit(0.1);
  if (season !== 0) u0[i++] = logit(0.05);
  if (trend === 2) u0[i++] = logit(0.9);
  const opt = nelderMead(objective, u0, { maxEvals: 40 + 35 * dim });
  decode(opt.x, p);
  run(y, mm, trend, season, p[0], p[1], p[2], p[3], init, s, st);
  const n = st.n;
  const k = dim + 1 + (trend !== 0 ? 1 : 0) + (season !== 0 ? mm - 1 : 0) + 1;
  if (n <= k + 1 || !Number.isFinite(st.sse)) return null;
  const sigma2 = st.sse / n;
  const aicc = n * Math.log(sigma2 + 1e-12) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
  return {
    form,
    name: etsName(form),
    alpha: p[0],
    beta: p[1],
    gamma: p[2],
    phi: p[3],
    m: mm,
    n,
    k,
    aicc,
    sigma2,
    level: st.l,
    slope: st.b,
    season: Float64Array.from(s),
    end: y.length,
  };
}

/** Point forecasts (conditional means for additive seasonality) for h periods after the fitted series. */
export function forecastEts(fit: EtsFit, h: number): Float64Array {
  const out = new Float64Array(h);
  const trend = TREND_CODE[fit.form.trend];
  const season = fit.m <= 1 ? 0 : SEASON_CODE[fit.form.season];
  let phiSum = 0;
  let phiPow = 1;
  for (let i = 0; i < h; i++) {
    if (trend === 2) {
      phiPow *= fit.phi;
      phiSum += phiPow;
    } else phiSum = i + 1;
    const lb = fit.level + (trend === 0 ? 0 : phiSum * fit.slope);
    const sj = fit.season[(fit.end + i) % fit.m];
    out[i] = season === 0 ? lb : season === 1 ? lb + sj : lb * sj;
  }
  return out;
}

/** The forms worth trying for this series (multiplicative season only for strictly positive data). */
export function etsForms(y: Float64Array, m: number): EtsForm[] {
  const forms: EtsForm[] = [
    { trend: 'N', season: 'N' },
    { trend: 'A', season: 'N' },
    { trend: 'Ad', season: 'N' },
  ];
  let observed = 0;
  let positive = true;
  for (let t = 0; t < y.length; t++) {
    const v = y[t];
    if (v === v) {
      observed++;
      if (v <= 0) positive = false;
    }
  }
  if (m > 1 && m <= 60 && observed >= 3 * m) {
    forms.push({ trend: 'N', season: 'A' }, { trend: 'A', season: 'A' }, { trend: 'Ad', season: 'A' });
    if (positive) forms.push({ trend: 'N', season: 'M' }, { trend: 'Ad', season: 'M' });
  }
  return forms;
}

/** Fit every suitable form and keep the one with the lowest AICc. */
export function autoEts(y: Float64Array, m: number, forms: EtsForm[] = etsForms(y, m)): EtsFit | null {
  let best: EtsFit | null = null;
  for (const form of forms) {
    const fit = fitEts(y, m, form);
    if (fit && (!best || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}
