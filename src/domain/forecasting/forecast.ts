import { AppError } from '../../errors.ts';
import { defaultSeasonLength } from './aggregate.ts';
import { classifyDemand } from './classify.ts';
import { forecastGlobal, type GlobalSeries, type GlobalTrainOptions, trainGlobal } from './global.model.ts';
import type { EtsForm } from './ets.model.ts';
import { METHODS, type MethodContext, defaultCandidates, seriesProfile } from './methods.ts';
import { coverage, errorSums, naiveScale, pinball, quantileKey } from './metrics.ts';
import { bestRatio, countLogLikTable, type Dispersion, dispersionFrom, dispersionFromHistory, isCountSeries, quantilePaths } from './quantiles.ts';
import type { BacktestSummary, ForecastOptions, ForecastResult, MethodName, SeriesInput } from './types.ts';

export const DEFAULT_QUANTILES = [0.5, 0.8, 0.95];

interface Candidate {
  name: string;
  members: MethodName[];
  /** Concatenated back-test forecasts, fold after fold. */
  cv: Float64Array;
  mse: number;
}

function parseSpec(spec: string): MethodName[] {
  const mem = spec.split('+').map((x) => x.trim()) as MethodName[];
  for (const nm of mem) if (!METHODS[nm]) fail(`unknown model "${nm}"`);
  return mem;
}

function fail(message: string): never {
  throw new AppError('invalid', message);
}

/** Missing-aware copy: out-of-stock periods become NaN so no model learns "zero demand" from them. */
export function maskedValues(input: SeriesInput): Float64Array {
  const y = Float64Array.from(input.values);
  const oos = input.outOfStock;
  if (oos) {
    if (oos.length !== y.length) fail('outOfStock must have the same length as values');
    for (let t = 0; t < y.length; t++) if (oos[t]) y[t] = NaN;
  }
  return y;
}

function contextFor(y: Float64Array, input: SeriesInput, m: number, etsForm?: EtsForm): MethodContext {
  const cls = classifyDemand(y);
  const prior = input.seasonalProfile && input.seasonalProfile.length === m ? input.seasonalProfile : null;
  return {
    m,
    freq: input.freq,
    profile: seriesProfile(y, m, prior, prior ? 1000 : 4),
    aggLevel: Number.isFinite(cls.adi) ? Math.max(1, Math.round(cls.adi)) : 1,
    etsForm,
    globalForecast: input.globalForecast,
    cache: new Map(),
  };
}

function runMembers(members: MethodName[], y: Float64Array, h: number, ctx: MethodContext): { mean: Float64Array; detail: string[]; etsForm?: EtsForm } {
  const mean = new Float64Array(h);
  const detail: string[] = [];
  let etsForm: EtsForm | undefined;
  for (const name of members) {
    const out = METHODS[name](y, h, ctx);
    for (let i = 0; i < h; i++) mean[i] += out.mean[i] / members.length;
    if (out.detail) detail.push(out.detail);
    if (out.etsForm) etsForm = out.etsForm;
  }
  return { mean, detail, etsForm };
}

/**
 * Forecast one series: classify its demand (Syntetos-Boylan), back-test the candidates by rolling
 * origin (every member refitted on the data before each origin), keep the default ensemble unless
 * another candidate's back-test MSE (= RMSSE for this series; never MAE, on which the all-zero
 * forecast wins for intermittent items) is lower by more than `selectionMargin`, and derive the
 * quantiles from the back-test errors (negative binomial / Poisson for unit counts, split-conformal
 * or normal otherwise). Out-of-stock periods are treated as missing throughout.
 */
export function forecastSeries(input: SeriesInput, opts: ForecastOptions): ForecastResult {
  const h = opts.horizon;
  if (!Number.isInteger(h) || h < 1) fail('horizon must be a positive integer');
  const levels = opts.quantiles ?? DEFAULT_QUANTILES;
  for (const q of levels) if (!(q > 0 && q < 1)) fail('quantile levels must be in (0, 1)');
  const y = maskedValues(input);
  const n = y.length;
  const m = Math.max(1, Math.floor(input.seasonLength ?? defaultSeasonLength(input.freq)));
  const cls = classifyDemand(y);
  const counts = isCountSeries(y);
  let nonNegative = true;
  for (let t = 0; t < n; t++) if (y[t] < 0) nonNegative = false;
  const keys = levels.map(quantileKey);

  if (!y.some((v) => v === v && v !== 0)) {
    const zero = new Float64Array(h);
    return {
      model: 'zero',
      reason: 'no demand observed in the history: forecast is zero',
      mean: zero,
      quantiles: Object.fromEntries(keys.map((k) => [k, new Float64Array(h)])),
      backtest: null,
      demandClass: cls.demandClass,
      adi: cls.adi,
      cv2: cls.cv2,
      distribution: counts ? 'poisson' : 'normal',
    };
  }

  const seasonal = m > 1 && cls.observed >= 2 * m;
  const forced = opts.model && opts.model !== 'auto' ? opts.model : null;
  let specs: string[] = forced ? [forced] : opts.candidates ?? defaultCandidates(cls.demandClass, seasonal, m, input.freq);
  if (!forced && !opts.candidates && input.globalForecast) specs = [...specs, 'gbm', `${specs[0]}+gbm`];
  const parsed = specs.map((sp) => parseSpec(sp));
  const members = [...new Set(parsed.flat())];

  // Full-sample fit of every member method (also gives the ETS form the folds will refit).
  const fullCtx = contextFor(y, input, m);
  const full = new Map<MethodName, ReturnType<typeof runMembers>>();
  for (const name of members) full.set(name, runMembers([name], y, h, fullCtx));
  const etsForm = full.get('ets')?.etsForm;

  // Rolling origins: n - k·h for k = folds..1, each with enough history before it.
  const minTrain = Math.max(10, m + 1);
  const origins: number[] = [];
  for (let k = opts.folds ?? 3; k >= 1; k--) if (n - k * h >= minTrain) origins.push(n - k * h);
  const F = origins.length;
  const actual = new Float64Array(F * h);
  origins.forEach((o, f) => actual.set(y.subarray(o, o + h), f * h));

  const cands: Candidate[] = [];
  if (F > 0) {
    const foldCtx = origins.map((o) => contextFor(y.subarray(0, o), input, m, etsForm));
    const memberCv = new Map<MethodName, Float64Array>();
    for (const name of members) {
      const cv = new Float64Array(F * h);
      for (let f = 0; f < F; f++) cv.set(METHODS[name](y.subarray(0, origins[f]), h, foldCtx[f]).mean, f * h);
      if (nonNegative) for (let i = 0; i < cv.length; i++) if (cv[i] < 0) cv[i] = 0;
      memberCv.set(name, cv);
    }
    parsed.forEach((mem, ci) => {
      const cv = mem.length === 1 ? memberCv.get(mem[0])! : new Float64Array(F * h);
      if (mem.length > 1) for (const nm of mem) { const c = memberCv.get(nm)!; for (let i = 0; i < cv.length; i++) cv[i] += c[i] / mem.length; }
      const e = errorSums(actual, cv);
      cands.push({ name: specs[ci], members: mem, cv, mse: e.n ? e.sse / e.n : Infinity });
    });
  }

  // The first candidate is the incumbent (a robust combination); another replaces it only when its
  // back-test MSE is lower by more than the margin (per-series selection on a few folds is noisy).
  const margin = opts.selectionMargin ?? 0.1;
  let chosen: Candidate = cands[0] ?? { name: specs[0], members: parsed[0], cv: new Float64Array(0), mse: NaN };
  for (const c of cands) if (c.mse < chosen.mse && c.mse < cands[0].mse * (1 - margin)) chosen = c;
  const fin = chosen.members.length === 1 ? full.get(chosen.members[0])! : runMembers(chosen.members, y, h, fullCtx);
  const mean = fin.mean;
  if (nonNegative) for (let i = 0; i < h; i++) if (mean[i] < 0) mean[i] = 0;

  // Dispersion from the back-test errors of the chosen model; history spread when there is none.
  const window = input.freq === 'D' ? 56 : input.freq === 'W' ? 26 : 12;
  const llTable = counts && F > 0 ? countLogLikTable(actual, chosen.cv, F) : null;
  const disp: Dispersion = (F > 0 ? dispersionFrom(actual, chosen.cv, counts, llTable ? bestRatio(llTable) : undefined) : null) ?? dispersionFromHistory(y, window, counts);
  const paths = quantilePaths(mean, disp, levels, nonNegative);
  const quantiles: Record<string, Float64Array> = {};
  keys.forEach((k, i) => (quantiles[k] = paths[i]));

  const scale = naiveScale(y, 1, true);
  let backtest: BacktestSummary | null = null;
  if (F > 0) backtest = summarizeBacktest(y, actual, chosen.cv, cands, origins, h, counts, nonNegative, levels, keys, scale, llTable);

  const rmsseTxt = backtest && Number.isFinite(backtest.rmsse) ? backtest.rmsse.toFixed(3) : 'n/a';
  const why = forced
    ? `model ${forced} requested`
    : F > 0
      ? chosen === cands[0]
        ? `default ${chosen.name} kept: back-test RMSSE ${rmsseTxt} (${F} fold${F > 1 ? 's' : ''} × ${h}); no other of ${cands.length} candidates was ${Math.round(margin * 100)} % better`
        : `${chosen.name} beat the default ${cands[0].name} by more than ${Math.round(margin * 100)} % in the rolling-origin back-test (RMSSE ${rmsseTxt}, ${F} fold${F > 1 ? 's' : ''} × ${h})`
      : `history too short for a back-test (${n} periods): class default ${chosen.name}`;
  const reason =
    `${cls.demandClass} demand (ADI ${Number.isFinite(cls.adi) ? cls.adi.toFixed(2) : '∞'}, CV² ${cls.cv2.toFixed(2)}); ${why}` +
    (fin.detail.length ? `; ${fin.detail.join('; ')}` : '') +
    `; quantiles ${disp.distribution}${disp.distribution === 'negbin' ? ` (var/mean ${disp.ratio.toFixed(2)})` : ''} from ${F > 0 ? 'back-test' : 'recent history'} errors`;

  return { model: chosen.name, reason, mean, quantiles, backtest, demandClass: cls.demandClass, adi: cls.adi, cv2: cls.cv2, distribution: disp.distribution, dispersionRatio: disp.ratio };
}

function summarizeBacktest(
  y: Float64Array,
  actual: Float64Array,
  cv: Float64Array,
  cands: Candidate[],
  origins: number[],
  h: number,
  counts: boolean,
  nonNegative: boolean,
  levels: number[],
  keys: string[],
  scale: number,
  llTable: Float64Array | null,
): BacktestSummary {
  const F = origins.length;
  const s = errorSums(actual, cv);
  const absScale = naiveScale(y, 1, false);
  // Quantiles of each fold from the dispersion of the OTHER folds (honest coverage when F ≥ 2).
  const qPaths = levels.map(() => new Float64Array(F * h));
  for (let f = 0; f < F; f++) {
    const otherA = F > 1 ? new Float64Array((F - 1) * h) : actual;
    const otherF = F > 1 ? new Float64Array((F - 1) * h) : cv;
    if (F > 1) {
      let j = 0;
      for (let g = 0; g < F; g++) {
        if (g === f) continue;
        otherA.set(actual.subarray(g * h, g * h + h), j * h);
        otherF.set(cv.subarray(g * h, g * h + h), j * h);
        j++;
      }
    }
    const d = dispersionFrom(otherA, otherF, counts, llTable ? bestRatio(llTable, F > 1 ? f : -1) : undefined) ?? dispersionFromHistory(y.subarray(0, origins[f]), 56, counts);
    const paths = quantilePaths(cv.subarray(f * h, f * h + h), d, levels, nonNegative);
    paths.forEach((p, i) => qPaths[i].set(p, f * h));
  }
  const pin: Record<string, number> = {};
  const cov: Record<string, number> = {};
  keys.forEach((k, i) => {
    pin[k] = pinball(actual, qPaths[i], levels[i]);
    cov[k] = coverage(actual, qPaths[i]);
  });
  const candidates: Record<string, number> = {};
  for (const c of cands) candidates[c.name] = scale > 0 ? Math.sqrt(c.mse / scale) : NaN;
  return {
    folds: F,
    horizon: h,
    points: s.n,
    mae: s.n ? s.sae / s.n : NaN,
    rmse: s.n ? Math.sqrt(s.sse / s.n) : NaN,
    mase: absScale > 0 && s.n ? s.sae / s.n / absScale : NaN,
    rmsse: scale > 0 && s.n ? Math.sqrt(s.sse / s.n / scale) : NaN,
    wape: s.sumAbsActual > 0 ? s.sae / s.sumAbsActual : NaN,
    bias: s.sumActual !== 0 ? s.se / s.sumActual : NaN,
    pinball: pin,
    coverage: cov,
    candidates,
  };
}

/**
 * Pooled seasonal profile (mean 1) over many series that END on the same period, returned aligned
 * to the common end: pooled[e] is for periods with (n - 1 - t) % m === e. Each series is scaled by
 * its own mean so big sellers do not dominate.
 */
export function pooledProfileEndAligned(inputs: SeriesInput[], m: number): Float64Array | null {
  if (m <= 1) return null;
  const acc = new Float64Array(m);
  const cnt = new Float64Array(m);
  for (const inp of inputs) {
    const y = maskedValues(inp);
    const n = y.length;
    let s = 0;
    let c = 0;
    for (let t = Math.max(0, n - 52 * m); t < n; t++) if (y[t] === y[t]) { s += y[t]; c++; }
    if (!(s > 0)) continue;
    const mu = s / c;
    for (let t = Math.max(0, n - 52 * m); t < n; t++) {
      const v = y[t];
      if (v !== v) continue;
      const e = (n - 1 - t) % m;
      acc[e] += v / mu;
      cnt[e]++;
    }
  }
  let tot = 0;
  for (let e = 0; e < m; e++) {
    if (cnt[e] === 0) return null;
    acc[e] /= cnt[e];
    tot += acc[e];
  }
  for (let e = 0; e < m; e++) acc[e] *= m / tot;
  return acc;
}

/** Rotate an end-aligned pooled profile to the start alignment (index t % m) of a series of length n. */
export function alignProfile(pooledEnd: Float64Array, n: number): Float64Array {
  const m = pooledEnd.length;
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) out[j] = pooledEnd[(((n - 1 - j) % m) + m) % m];
  return out;
}

export interface BatchOptions extends ForecastOptions {
  /** Shrink each series' seasonal profile toward one pooled over the batch (series must share their end period). */
  pooledProfile?: boolean;
  /**
   * Train one global gradient-boosted model across the batch and offer it ('gbm', and the default
   * ensemble + gbm) as candidates. It is trained only on targets before the first back-test origin,
   * so its back-test is honest. Covariates per series: `SeriesInput.covariates` (or `globalCovariates[i]`).
   */
  globalModel?: boolean | Partial<GlobalTrainOptions>;
  globalCovariates?: Float64Array[][];
}

/** Train the global model on a batch and attach its forecasts to each input (see BatchOptions.globalModel). */
export function withGlobalModel(inputs: SeriesInput[], opts: BatchOptions, profiles?: (Float64Array | null)[]): SeriesInput[] {
  if (inputs.length === 0) return inputs;
  const m = Math.max(1, inputs[0].seasonLength ?? defaultSeasonLength(inputs[0].freq));
  const gs: GlobalSeries[] = inputs.map((inp, i) => ({
    values: maskedValues(inp),
    profile: profiles?.[i] ?? inp.seasonalProfile ?? null,
    covariates: inp.covariates ?? opts.globalCovariates?.[i],
  }));
  const extra = typeof opts.globalModel === 'object' ? opts.globalModel : {};
  const model = trainGlobal(gs, {
    horizon: opts.horizon,
    m,
    cutoffFromEnd: (opts.folds ?? 3) * opts.horizon,
    originStep: Math.max(1, Math.min(m, 7)),
    originsPerSeries: 12,
    horizonsPerOrigin: 4,
    trees: 40,
    depth: 5,
    learningRate: 0.15,
    clip: 8,
    ...extra,
  });
  return inputs.map((inp, i) => ({ ...inp, globalForecast: (origin: number, h: number) => forecastGlobal(model, gs[i], origin, h) }));
}

/** Forecast many series; `onProgress(done, total)` is called after each one. */
export function forecastBatch(
  inputs: SeriesInput[],
  opts: BatchOptions,
  onProgress?: (done: number, total: number) => void,
): ForecastResult[] {
  const out: ForecastResult[] = [];
  let pooled: Float64Array | null = null;
  if (opts.pooledProfile && inputs.length > 0) {
    const m = inputs[0].seasonLength ?? defaultSeasonLength(inputs[0].freq);
    pooled = pooledProfileEndAligned(inputs, m);
  }
  let prepared = inputs.map((inp) => (pooled && !inp.seasonalProfile ? { ...inp, seasonalProfile: alignProfile(pooled!, inp.values.length) } : inp));
  if (opts.globalModel) prepared = withGlobalModel(prepared, opts);
  for (let i = 0; i < prepared.length; i++) {
    out.push(forecastSeries(prepared[i], opts));
    onProgress?.(i + 1, inputs.length);
  }
  return out;
}
