/** Shared types of the forecasting domain (pure: plain typed arrays in, plain data out). */

export type Freq = 'D' | 'W' | 'M';
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';
export type Distribution = 'normal' | 'poisson' | 'negbin';

/** One demand series, oldest period first. NaN values are treated as missing, like out-of-stock periods. */
export interface SeriesInput {
  values: Float64Array;
  /** 1 where the item was out of stock in that period: the observed sales there are censored, not demand. */
  outOfStock?: Uint8Array;
  freq: Freq;
  /** Season length in periods; defaults to 7 (D), 52 (W), 12 (M). Use 1 for no seasonality. */
  seasonLength?: number;
  /**
   * Optional seasonal profile pooled across many series (length seasonLength, mean 1), aligned so that
   * profile[j] applies to period t with t % seasonLength === j, counted from the series END:
   * see `profileIndex`. `forecastBatch` computes one when all series end on the same period.
   */
  seasonalProfile?: Float64Array;
  /**
   * Forecast of a global model trained across many series (see `forecastBatch({ globalModel })`) for
   * this series from a given origin (history length) — enables the 'gbm' method.
   */
  globalForecast?: (origin: number, horizon: number) => Float64Array;
  /**
   * Known per-period covariates for the global model (price, promotion flag, holiday, temperature…),
   * each indexed like `values` from the series start and running at least `horizon` periods past its end.
   * NaN = unknown. Training parts of a back-test keep the full arrays (a covariate is known in advance).
   */
  covariates?: Float64Array[];
}

export type MethodName =
  | 'naive'
  | 'snaive'
  | 'snaive-level'
  | 'ma'
  | 'ses'
  | 'ets'
  | 'croston'
  | 'sba'
  | 'tsb'
  | 'adida'
  | 'imapa'
  | 'ma-s'
  | 'ses-s'
  | 'sba-s'
  | 'tsb-s'
  | 'imapa-s'
  | 'gbm'
  | 'zero';

export interface ForecastOptions {
  horizon: number;
  /** Quantile levels; default [0.5, 0.8, 0.95]. Keys become 'p50', 'p80', 'p95'. */
  quantiles?: number[];
  /** Force one method, or an equal-weight ensemble 'ses+snaive', instead of the automatic choice ('auto'). */
  model?: MethodName | 'auto' | (string & {});
  /** Rolling-origin folds used for the automatic choice and the reported back-test (default 3). */
  folds?: number;
  /**
   * Candidates for 'auto' (default: by demand class and season length), each a method or an
   * equal-weight ensemble 'a+b+c'. The first is the default; another replaces it only when its
   * back-test MSE is lower by more than `selectionMargin`.
   */
  candidates?: string[];
  /** Relative back-test improvement needed to leave the default candidate (default 0.1). */
  selectionMargin?: number;
}

export interface BacktestSummary {
  folds: number;
  horizon: number;
  /** Number of scored (non-missing) held-out points. */
  points: number;
  mae: number;
  rmse: number;
  /** NaN when the in-sample naive scale is 0. */
  mase: number;
  rmsse: number;
  wape: number;
  bias: number;
  /** Mean pinball loss per quantile key ('p50', ...). */
  pinball: Record<string, number>;
  /** Share of held-out points at or below each quantile ('p80' ≈ 0.8 when calibrated). */
  coverage: Record<string, number>;
  /** Cross-validated RMSSE of every candidate tried (the choice is the lowest). */
  candidates: Record<string, number>;
}

export interface ForecastResult {
  model: string;
  reason: string;
  mean: Float64Array;
  quantiles: Record<string, Float64Array>;
  backtest: BacktestSummary | null;
  demandClass: DemandClass;
  adi: number;
  cv2: number;
  distribution: Distribution;
  /** Count distributions: variance / mean of the predictive distribution (1 = Poisson). */
  dispersionRatio?: number;
}
