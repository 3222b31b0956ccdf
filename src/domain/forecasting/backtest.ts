import { defaultSeasonLength } from './aggregate.ts';
import { alignProfile, type BatchOptions, forecastSeries, pooledProfileEndAligned, withGlobalModel } from './forecast.ts';
import { pitCoverage } from './distribution.ts';
import { errorSums, naiveScale } from './metrics.ts';
import type { DemandClass, Distribution, ForecastOptions, ForecastResult, MethodName, SeriesInput } from './types.ts';

/**
 * Accumulates hold-out accuracy over many series, as in the CLI contract of issue 4:
 * RMSSE = mean over series of sqrt(MSE / mean squared in-sample one-step naive difference) (series
 * with a zero denominator are skipped and counted), plus a weighted RMSSE (weights given per series,
 * e.g. recent revenue as in M5), WAPE = Σ|e| / Σ|actual|, bias = Σe / Σactual, mean MASE, pooled
 * pinball loss and interval coverage.
 */
export class MetricAccumulator {
  series = 0;
  skipped = 0;
  private rmsseSum = 0;
  private rmsseCount = 0;
  private wSum = 0;
  private wRmsse = 0;
  private maseSum = 0;
  private maseCount = 0;
  private sae = 0;
  private se = 0;
  private sumAbsActual = 0;
  private sumActual = 0;
  private points = 0;
  private pin = new Map<number, number>();
  private cov = new Map<number, number>();
  private pit = new Map<number, number>();

  /** actual: held-out values; insample: the training part (for the scales). */
  /** `dist`: the predictive distribution, for the PIT coverage of count forecasts (else = literal coverage). */
  add(
    actual: Float64Array,
    mean: Float64Array,
    insample: Float64Array,
    quantiles: Record<number, Float64Array> = {},
    weight = 1,
    dist?: { distribution: Distribution; ratio?: number },
  ): number {
    this.series++;
    const s = errorSums(actual, mean);
    this.sae += s.sae;
    this.se += s.se;
    this.sumAbsActual += s.sumAbsActual;
    this.sumActual += s.sumActual;
    this.points += s.n;
    const scale = naiveScale(insample, 1, true);
    let r = NaN;
    if (scale > 0 && s.n > 0) {
      r = Math.sqrt(s.sse / s.n / scale);
      this.rmsseSum += r;
      this.rmsseCount++;
      this.wSum += weight;
      this.wRmsse += weight * r;
    } else this.skipped++;
    const absScale = naiveScale(insample, 1, false);
    if (absScale > 0 && s.n > 0) {
      this.maseSum += s.sae / s.n / absScale;
      this.maseCount++;
    }
    for (const [qs, path] of Object.entries(quantiles)) {
      const q = Number(qs);
      const counts = dist && dist.distribution !== 'normal';
      let p = 0;
      let c = 0;
      let u = 0;
      for (let i = 0; i < actual.length; i++) {
        const a = actual[i];
        if (a !== a) continue;
        const d = a - path[i];
        p += d >= 0 ? q * d : (q - 1) * d;
        const inside = a <= path[i] + 1e-9 ? 1 : 0;
        c += inside;
        u += counts ? pitCoverage(mean[i], mean[i] * (dist.ratio ?? 1), Math.round(a), q) : inside;
      }
      this.pin.set(q, (this.pin.get(q) ?? 0) + p);
      this.cov.set(q, (this.cov.get(q) ?? 0) + c);
      this.pit.set(q, (this.pit.get(q) ?? 0) + u);
    }
    return r;
  }

  summary(): MetricSummary {
    const pinball: Record<string, number> = {};
    const coverage: Record<string, number> = {};
    for (const [q, v] of this.pin) pinball[String(q)] = v / Math.max(1, this.points);
    for (const [q, v] of this.cov) coverage[String(q)] = v / Math.max(1, this.points);
    const pitCoverage: Record<string, number> = {};
    for (const [q, v] of this.pit) pitCoverage[String(q)] = v / Math.max(1, this.points);
    return {
      series: this.series,
      skipped: this.skipped,
      points: this.points,
      rmsse: this.rmsseSum / Math.max(1, this.rmsseCount),
      weightedRmsse: this.wRmsse / (this.wSum || 1),
      mase: this.maseSum / Math.max(1, this.maseCount),
      wape: this.sae / (this.sumAbsActual || 1),
      bias: this.se / (this.sumActual || 1),
      pinball,
      coverage,
      pitCoverage,
    };
  }
}

export interface MetricSummary {
  series: number;
  skipped: number;
  points: number;
  rmsse: number;
  weightedRmsse: number;
  mase: number;
  wape: number;
  bias: number;
  /** Keyed by level, e.g. '0.8'. */
  pinball: Record<string, number>;
  coverage: Record<string, number>;
  /**
   * Coverage with the ties of count distributions split by the randomized PIT (see pitCoverage): what a
   * calibrated P80 of integer demand can actually reach. Equals `coverage` for continuous forecasts.
   */
  pitCoverage: Record<string, number>;
}

export interface HoldoutOptions extends Omit<ForecastOptions, 'model'> {
  /** Models to score ('auto' = the automatic choice); each gets its own accumulator. */
  models: (MethodName | 'auto')[];
  /** Outer folds: fold k holds out periods [n - k·h, n - (k-1)·h). Default 1. */
  outerFolds?: number;
  /** Give every series a seasonal profile pooled over all training parts (series must share their end). */
  pooledProfile?: boolean;
  /** Train the global GBM per outer fold on the training parts (see BatchOptions.globalModel). */
  globalModel?: BatchOptions['globalModel'];
}

export interface HoldoutResult {
  overall: Record<string, MetricSummary>;
  byClass: Record<string, Record<DemandClass, MetricSummary>>;
  seconds: Record<string, number>;
}

/**
 * Rolling-origin hold-out over many series: for each outer fold, forecast from the history before the
 * origin and score the next `horizon` periods. `weights[i]` weighs series i in the weighted RMSSE.
 * Demand classes are taken from the history of the last fold (the one closest to the data's end).
 */
export function holdoutBacktest(
  inputs: SeriesInput[],
  opts: HoldoutOptions,
  weights?: Float64Array,
  onProgress?: (done: number, total: number) => void,
  now: () => number = () => 0,
): HoldoutResult {
  const h = opts.horizon;
  const K = opts.outerFolds ?? 1;
  const overall: Record<string, MetricAccumulator> = {};
  const byClass: Record<string, Record<string, MetricAccumulator>> = {};
  const seconds: Record<string, number> = {};
  const levels = opts.quantiles ?? [0.5, 0.8, 0.95];
  const total = inputs.length * opts.models.length;
  let done = 0;
  const pooled = new Map<number, Float64Array | null>();
  if (opts.pooledProfile && inputs.length > 0) {
    const m = inputs[0].seasonLength ?? defaultSeasonLength(inputs[0].freq);
    for (let k = K; k >= 1; k--)
      pooled.set(k, pooledProfileEndAligned(inputs.map((inp) => ({ ...inp, values: inp.values.subarray(0, Math.max(0, inp.values.length - k * h)), outOfStock: inp.outOfStock?.subarray(0, Math.max(0, inp.values.length - k * h)) })), m));
  }
  // Training parts per outer fold (with pooled profiles and the global model when asked).
  const trainsByFold = new Map<number, (SeriesInput | null)[]>();
  for (let k = K; k >= 1; k--) {
    const trains = inputs.map((inp) => {
      const o = inp.values.length - k * h;
      if (o < 2) return null;
      const train: SeriesInput = { ...inp, values: inp.values.subarray(0, o), outOfStock: inp.outOfStock?.subarray(0, o) };
      const pk = pooled.get(k);
      if (pk && !train.seasonalProfile) train.seasonalProfile = alignProfile(pk, o);
      return train;
    });
    if (opts.globalModel) {
      const tg = now();
      const present = trains.filter((t): t is SeriesInput => t !== null);
      const withG = withGlobalModel(present, { ...opts, model: undefined });
      let j = 0;
      for (let i = 0; i < trains.length; i++) if (trains[i]) trains[i] = withG[j++];
      seconds['global training'] = (seconds['global training'] ?? 0) + (now() - tg) / 1000;
    }
    trainsByFold.set(k, trains);
  }
  for (const model of opts.models) {
    overall[model] = new MetricAccumulator();
    byClass[model] = {};
    const t0 = now();
    for (let i = 0; i < inputs.length; i++) {
      const inp = inputs[i];
      for (let k = K; k >= 1; k--) {
        const train = trainsByFold.get(k)![i];
        if (!train) continue;
        const o = train.values.length;
        const res: ForecastResult = forecastSeries(train, { ...opts, model });
        const actual = Float64Array.from(inp.values.subarray(o, o + h));
        if (inp.outOfStock) for (let t = 0; t < actual.length; t++) if (inp.outOfStock[o + t]) actual[t] = NaN;
        const q: Record<number, Float64Array> = {};
        levels.forEach((lv) => (q[lv] = res.quantiles['p' + String(Math.round(lv * 1000) / 10)]));
        const w = weights ? weights[i] : 1;
        const dist = { distribution: res.distribution, ratio: res.dispersionRatio };
        overall[model].add(actual, res.mean, train.values, q, w, dist);
        (byClass[model][res.demandClass] ??= new MetricAccumulator()).add(actual, res.mean, train.values, q, w, dist);
      }
      onProgress?.(++done, total);
    }
    seconds[model] = (now() - t0) / 1000;
  }
  const mapSummary = (r: Record<string, MetricAccumulator>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.summary()]));
  return {
    overall: mapSummary(overall),
    byClass: Object.fromEntries(Object.entries(byClass).map(([m, r]) => [m, mapSummary(r)])) as Record<string, Record<DemandClass, MetricSummary>>,
    seconds,
  };
}
