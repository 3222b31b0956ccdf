/**
 * Forecasting benchmark on real data (issue 4). Run: npx tsx bench/forecast.bench.ts [--data retail|walmart|both]
 *   [--limit N] [--models auto,snaive,...] [--folds K] [--covariates no]
 * Online Retail: ~3,900 products daily, last 28 days held out. Walmart: 3,331 store×dept weekly, last 13
 * weeks held out. Prints weighted RMSSE (weights = revenue in the last `horizon` training periods, as in M5),
 * mean RMSSE, WAPE, bias, MASE, P80/P95 coverage per method, the ratio to seasonal naive from the same run,
 * per demand class for the automatic choice, and throughput. Walmart also runs the global GBM with its external
 * factors (holiday, temperature, fuel, CPI, unemployment, markdowns, store size) against the same GBM without them.
 */
import { dataFile } from '../src/config/data-dir.ts';
import { holdoutBacktest, type MetricSummary } from '../src/domain/forecasting/backtest.ts';
import type { MethodName, SeriesInput } from '../src/domain/forecasting/types.ts';
import { dirname } from 'node:path';
import { type LoadedSeries, loadOnlineRetail, loadWalmart, WALMART_COVARIATES, walmartCovariates } from './forecast-data.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const which = arg('data', 'both');
const limit = Number(arg('limit', '0'));
const folds = Number(arg('folds', '3'));
const margin = Number(arg("margin", "0.1"));
const useGlobal = arg('global', 'yes') !== 'no';
const useCovariates = arg('covariates', 'yes') !== 'no';
const DEFAULT_MODELS = 'auto,snaive,naive,ma,ses,ets,croston,sba,tsb,adida,imapa,tsb-s,zero';
const models = arg('models', DEFAULT_MODELS).split(',') as (MethodName | 'auto')[];
if (!models.includes('snaive')) models.push('snaive');

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : 'n/a';
}

function table(title: string, res: ReturnType<typeof holdoutBacktest>, nSeries: number, cpu: Record<string, number>): void {
  const base = res.overall.snaive;
  console.log(`\n## ${title}`);
  console.log('| model | wRMSSE | ×snaive | RMSSE | ×snaive | WAPE | bias | MASE | P80 cov | P80 PIT cov | P95 cov | P95 PIT cov | pinball P50 | series/s wall | series/CPU-s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [m, s] of Object.entries(res.overall)) {
    console.log(
      `| ${m} | ${fmt(s.weightedRmsse)} | ${fmt(s.weightedRmsse / base.weightedRmsse)} | ${fmt(s.rmsse)} | ${fmt(s.rmsse / base.rmsse)} | ${fmt(s.wape)} | ${fmt(s.bias)} | ${fmt(s.mase)} | ${fmt(s.coverage['0.8'])} | ${fmt(s.pitCoverage['0.8'])} | ${fmt(s.coverage['0.95'])} | ${fmt(s.pitCoverage['0.95'])} | ${fmt(s.pinball['0.5'])} | ${fmt(nSeries / res.seconds[m], 0)} | ${fmt(nSeries / cpu[m], 0)} |`,
    );
  }
  const classes = ['smooth', 'erratic', 'intermittent', 'lumpy'] as const;
  const classModel = 'auto';
  console.log(`\nper demand class (${classModel} vs snaive):`);
  console.log('| class | series | auto wRMSSE | snaive wRMSSE | auto RMSSE | snaive RMSSE | P80 cov | P80 PIT cov | P95 cov | P95 PIT cov |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of classes) {
    const a: MetricSummary | undefined = res.byClass[classModel]?.[c];
    const b: MetricSummary | undefined = res.byClass.snaive?.[c];
    if (!a) continue;
    console.log(`| ${c} | ${a.series} | ${fmt(a.weightedRmsse)} | ${fmt(b?.weightedRmsse ?? NaN)} | ${fmt(a.rmsse)} | ${fmt(b?.rmsse ?? NaN)} | ${fmt(a.coverage['0.8'])} | ${fmt(a.pitCoverage['0.8'])} | ${fmt(a.coverage['0.95'])} | ${fmt(a.pitCoverage['0.95'])} |`);
  }
  console.log(`(series ${nSeries}; RMSSE skipped for ${res.overall.auto?.skipped ?? 0} with a zero in-sample naive scale)`);
}

function run(title: string, loaded: LoadedSeries[], freq: 'D' | 'W', horizon: number, covariates?: Float64Array[][]): void {
  const series = limit ? loaded.slice(0, limit) : loaded;
  const inputs: SeriesInput[] = series.map((s) => ({ values: s.values, freq }));
  const weights = new Float64Array(series.length);
  series.forEach((s, i) => {
    const v = s.values;
    let w = 0;
    for (let t = Math.max(0, v.length - 2 * horizon); t < v.length - horizon; t++) w += Math.abs(v[t]) * s.price;
    weights[i] = w;
  });
  // One model at a time so that each gets its own wall-clock and CPU time (the machine is shared).
  const res: ReturnType<typeof holdoutBacktest> = { overall: {}, byClass: {}, seconds: {} };
  const cpuSeconds: Record<string, number> = {};
  for (const model of models) {
    const cpu0 = process.cpuUsage();
    const r = holdoutBacktest(inputs, { horizon, models: [model], folds, outerFolds: 1, pooledProfile: freq === 'D', selectionMargin: margin }, weights, undefined, () => performance.now());
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds[model] = cpu.user / 1e6;
    Object.assign(res.overall, r.overall);
    Object.assign(res.byClass, r.byClass);
    Object.assign(res.seconds, r.seconds);
  }
  if (useGlobal) {
    // The global GBM (trained once per data set on the training parts, before the internal back-test
    // origins), alone and offered to the automatic choice as extra candidates.
    const cpu0 = process.cpuUsage();
    const r = holdoutBacktest(inputs, { horizon, models: ['gbm', 'auto'], folds, outerFolds: 1, pooledProfile: freq === 'D', selectionMargin: margin, globalModel: true }, weights, undefined, () => performance.now());
    const cpu = process.cpuUsage(cpu0);
    res.overall.gbm = r.overall.gbm;
    res.overall['auto+gbm'] = r.overall.auto;
    res.byClass['auto+gbm'] = r.byClass.auto;
    res.seconds.gbm = r.seconds.gbm + r.seconds['global training'];
    res.seconds['auto+gbm'] = r.seconds.auto + r.seconds['global training'];
    res.seconds['global training'] = r.seconds['global training'];
    const share = (r.seconds['global training'] / (r.seconds.gbm + r.seconds.auto + r.seconds['global training'])) * (cpu.user / 1e6);
    cpuSeconds.gbm = (r.seconds.gbm / (r.seconds.gbm + r.seconds.auto + r.seconds['global training'])) * (cpu.user / 1e6) + share;
    cpuSeconds['auto+gbm'] = (r.seconds.auto / (r.seconds.gbm + r.seconds.auto + r.seconds['global training'])) * (cpu.user / 1e6) + share;
  }
  if (useGlobal && covariates) {
    // The same global GBM with the data set's external factors as covariates (known in advance).
    const withCov = inputs.map((inp, i) => ({ ...inp, covariates: covariates[i] }));
    const cpu0 = process.cpuUsage();
    const r = holdoutBacktest(withCov, { horizon, models: ['gbm', 'auto'], folds, outerFolds: 1, pooledProfile: freq === 'D', selectionMargin: margin, globalModel: true }, weights, undefined, () => performance.now());
    const cpu = process.cpuUsage(cpu0);
    res.overall['gbm+covariates'] = r.overall.gbm;
    res.overall['auto+gbm+covariates'] = r.overall.auto;
    res.seconds['gbm+covariates'] = r.seconds.gbm + r.seconds['global training'];
    res.seconds['auto+gbm+covariates'] = r.seconds.auto + r.seconds['global training'];
    cpuSeconds['gbm+covariates'] = cpu.user / 1e6;
    cpuSeconds['auto+gbm+covariates'] = cpu.user / 1e6;
  }
  table(title, res, series.length, cpuSeconds);
  console.log(`wall seconds per model: ${Object.entries(res.seconds).map(([m, s]) => `${m} ${s.toFixed(2)}`).join(', ')}`);
  console.log(`CPU seconds per model: ${Object.entries(cpuSeconds).map(([m, s]) => `${m} ${s.toFixed(2)}`).join(', ')}`);
}

if (which === 'retail' || which === 'both') {
  const f = dataFile('retail', 'online_retail_2010_2011.csv');
  if (!f) console.log('skip Online Retail: data file missing (set SHELFWISE_DATA)');
  else {
    const t0 = performance.now();
    const { series, firstDay, lastDay } = loadOnlineRetail(f);
    const usable = series.filter((s) => s.values.length > 28 + 1);
    console.log(`Online Retail ${firstDay}..${lastDay}: ${usable.length} products with sales before the last 28 days (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    run('Online Retail daily, horizon 28 (last 28 days held out)', usable, 'D', 28);
  }
}
if (which === 'walmart' || which === 'both') {
  const f = dataFile('walmart', 'train.csv');
  if (!f) console.log('skip Walmart: data file missing (set SHELFWISE_DATA)');
  else {
    const { series, weeks } = loadWalmart(f);
    const usable = series.filter((s) => s.values.length > 13 + 1);
    console.log(`\nWalmart ${weeks[0]}..${weeks[weeks.length - 1]}: ${usable.length} store×dept series`);
    const cov = useCovariates ? walmartCovariates(dirname(f), usable, weeks) : undefined;
    if (cov) console.log(`covariates for the global model: ${WALMART_COVARIATES.join(', ')}`);
    run('Walmart weekly, horizon 13 (last 13 weeks held out)', usable, 'W', 13, cov);
  }
}
