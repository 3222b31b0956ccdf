/** Forecasting domain: pure functions over typed arrays (see docs/forecasting.md). */
export * from './types.ts';
export { aggregate, defaultSeasonLength, isoToDay, dayToIso, type AggregatedSeries } from './aggregate.ts';
export { classifyDemand, ADI_CUTOFF, CV2_CUTOFF, type Classification } from './classify.ts';
export { naiveForecast, seasonalNaiveForecast, seasonalNaiveLevelForecast, movingAverageForecast } from './baselines.model.ts';
export { fitEts, forecastEts, autoEts, etsForms, etsName, type EtsFit, type EtsForm } from './ets.model.ts';
export { crostonRate, sbaRate, tsbRate, adidaRate, imapaRate, aggregateBlocks, sesOptimizedNext } from './intermittent.model.ts';
export { normalQuantile, countQuantile, countCdf, pitCoverage } from './distribution.ts';
export { fitCountRatio, isCountSeries, quantilePaths, type Dispersion } from './quantiles.ts';
export * from './metrics.ts';
export { METHODS, defaultCandidates, seriesProfile } from './methods.ts';
export { forecastSeries, forecastBatch, withGlobalModel, maskedValues, pooledProfileEndAligned, alignProfile, DEFAULT_QUANTILES, type BatchOptions } from './forecast.ts';
export { trainGbm, predictGbm, type GbmModel, type GbmOptions } from './gbm.model.ts';
export { trainGlobal, forecastGlobal, type GlobalModel, type GlobalSeries, type GlobalTrainOptions } from './global.model.ts';
export { MetricAccumulator, holdoutBacktest, type MetricSummary, type HoldoutOptions, type HoldoutResult } from './backtest.ts';
export { buildDaily, toInput, periodEnd, periodStart, type DemandSeries, type ItemDays } from './demand-history.ts';
