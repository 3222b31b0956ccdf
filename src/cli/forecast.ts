import type { Command } from 'commander';
import { holdoutBacktest, type Freq, type MethodName, type SeriesInput } from '../domain/forecasting/index.ts';
import { aggregate, dayToIso, isoToDay } from '../domain/forecasting/index.ts';
import { AppError } from '../errors.ts';
import { validSalesRows } from '../services/import/sales-file.ts';
import { forecastServiceOf } from '../services/forecast.service.ts';
import { progressBar } from './progress.ts';
import { cliActor, withServices } from './run.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

function parseFreq(v: string | undefined): Freq {
  const f = { d: 'D', day: 'D', daily: 'D', w: 'W', week: 'W', weekly: 'W', m: 'M', month: 'M', monthly: 'M' }[(v ?? 'D').toLowerCase()] as Freq | undefined;
  if (!f) throw new AppError('invalid', 'freq must be D|W|M (or day|week|month)', 'freq');
  return f;
}

function parseInt10(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new AppError('invalid', `${field} must be a positive whole number`, field);
  return Number(v);
}

export function forecastCommand(program: Command) {
  const cmd = program.command('forecast').description('demand forecasts: run them, show one, back-test the models (docs/forecasting.md)');

  cmd
    .command('run')
    .description('forecast every SKU × location with sales (or the ones named) and store the results')
    .option('--freq <freq>', 'D (daily), W (weekly) or M (monthly)', 'D')
    .option('--horizon <n>', 'periods ahead (default 28 days, 13 weeks, 6 months)')
    .option('--sku <sku>', 'only this SKU (repeatable)', collect, [])
    .option('--location <code>', 'only this location')
    .option('--as-of <date>', 'last day of history (YYYY-MM-DD; default: the last day with a sale, at most yesterday)')
    .action(async (o: { freq?: string; horizon?: string; sku: string[]; location?: string; asOf?: string }) => {
      const freq = parseFreq(o.freq);
      const horizon = parseInt10(o.horizon, 'horizon');
      await withServices(async (s) => {
        const bar = progressBar('forecast');
        try {
          const r = await forecastServiceOf(s).run({
            freq,
            horizon,
            skus: o.sku.length ? o.sku : undefined,
            location: o.location,
            asOf: o.asOf,
            actor: cliActor(),
            onProgress: (p) => bar.update({ phase: p.phase, done: p.done, total: Math.max(p.total, 1) }),
          });
          bar.stop();
          console.log(`forecast run ${r.id}: ${r.series} series, ${r.freq} × ${r.horizon}, history to ${r.asOf ?? '-'}; ` + `read ${r.seconds.read} s, forecast ${r.seconds.forecast} s, write ${r.seconds.write} s, total ${r.seconds.total} s`);
        } finally {
          bar.stop();
        }
      });
    });

  cmd
    .command('show <sku>')
    .description('print the latest forecast of a SKU (per location)')
    .option('--location <code>', 'only this location')
    .option('--freq <freq>', 'D, W or M (default: every frequency forecast)')
    .option('--json', 'print JSON')
    .action(async (sku: string, o: { location?: string; freq?: string; json?: boolean }) => {
      const freq = o.freq ? parseFreq(o.freq) : undefined;
      await withServices(async (s) => {
        const items = await forecastServiceOf(s).latest(sku, o.location, freq);
        if (o.json) return console.log(JSON.stringify(items, null, 2));
        if (items.length === 0) throw new AppError('not_found', `no forecast for ${sku}${o.location ? ` at ${o.location}` : ''} yet: run \`shelfwise forecast run\``);
        for (const f of items) {
          const bt = f.backtest as { rmsse?: number; wape?: number; coverage?: Record<string, number> } | null;
          console.log(`${sku} at ${f.location}, ${f.freq}, run ${f.runId} (history to ${f.asOf}): ${f.model}, ${f.demandClass}` + (f.outOfStockPeriods ? `, ${f.outOfStockPeriods} out-of-stock periods ignored` : ''));
          console.log(`  why: ${f.reason}`);
          if (bt) console.log(`  back-test: RMSSE ${fmt(bt.rmsse)}, WAPE ${fmt(bt.wape)}, P80 coverage ${fmt(bt.coverage?.p80)}`);
          console.log(`  ${'period'.padEnd(10)} ${'mean'.padStart(9)} ${'P50'.padStart(7)} ${'P80'.padStart(7)} ${'P95'.padStart(7)}`);
          for (const p of f.periods) console.log(`  ${p.date} ${fmt(p.mean, 2).padStart(9)} ${fmt(p.p50, 0).padStart(7)} ${fmt(p.p80, 0).padStart(7)} ${fmt(p.p95, 0).padStart(7)}`);
          const sum = (k: 'mean' | 'p50') => f.periods.reduce((a, p) => a + p[k], 0);
          console.log(`  total mean ${fmt(sum('mean'), 1)}\n`);
        }
      });
    });

  cmd
    .command('backtest')
    .description('hold out the last H periods of every series and score the models (the store\'s ledger, or --sales FILE)')
    .option('--sales <file>', 'a sales CSV/XLSX in the import format instead of the store\'s ledger')
    .option('--freq <freq>', 'day|week|month (or D|W|M)', 'D')
    .option('--horizon <n>', 'periods held out (default 28 days, 13 weeks, 6 months)')
    .option('--folds <k>', 'outer folds, each stepping back by H', '1')
    .option('--models <list>', 'comma-separated: auto and any of the domain\'s methods', 'auto,snaive,naive,ma,ses,tsb')
    .option('--location <code>', 'only this location (ledger) or store (file)')
    .option('--json', 'print one JSON object')
    .action(async (o: { sales?: string; freq?: string; horizon?: string; folds?: string; models: string; location?: string; json?: boolean }) => {
      const freq = parseFreq(o.freq);
      const horizon = parseInt10(o.horizon, 'horizon') ?? { D: 28, W: 13, M: 6 }[freq];
      const folds = parseInt10(o.folds, 'folds') ?? 1;
      if (horizon < 1 || folds < 1) throw new AppError('invalid', 'horizon and folds must be at least 1', horizon < 1 ? 'horizon' : 'folds');
      const models = o.models.split(',').map((m) => m.trim()).filter(Boolean) as (MethodName | 'auto')[];
      const inputs = o.sales ? await seriesFromFile(o.sales, freq, o.location) : await withServices(async (s) => (await forecastServiceOf(s).demandInputs({ freq, location: o.location })).inputs);
      const usable = inputs.filter((x) => x.values.length > horizon * folds);
      const t0 = performance.now();
      const r = holdoutBacktest(usable, { horizon, models, outerFolds: folds, pooledProfile: freq === 'D' && !o.sales }, undefined, undefined, () => performance.now());
      const seconds = (performance.now() - t0) / 1000;
      const out = {
        series: usable.length,
        horizon,
        folds,
        seconds: Math.round(seconds * 100) / 100,
        models: Object.fromEntries(
          Object.entries(r.overall).map(([m, x]) => [
            m,
            { rmsse: x.rmsse, wape: x.wape, mase: x.mase, bias: x.bias, pinball: mean(Object.values(x.pinball)), coverage80: x.coverage['0.8'], coverage80Pit: x.pitCoverage['0.8'], skipped: x.skipped },
          ]),
        ),
      };
      if (o.json) return console.log(JSON.stringify(out));
      console.log(`${out.series} series (${inputs.length - usable.length} too short left out), ${freq} horizon ${horizon}, ${folds} fold(s), ${out.seconds} s`);
      console.log(`${'model'.padEnd(22)} ${'RMSSE'.padStart(7)} ${'WAPE'.padStart(7)} ${'MASE'.padStart(7)} ${'bias'.padStart(7)} ${'pinball'.padStart(8)} ${'P80 cov'.padStart(8)} ${'PIT cov'.padStart(8)}`);
      for (const [m, x] of Object.entries(out.models))
        console.log(`${m.padEnd(22)} ${fmt(x.rmsse).padStart(7)} ${fmt(x.wape).padStart(7)} ${fmt(x.mase).padStart(7)} ${fmt(x.bias).padStart(7)} ${fmt(x.pinball).padStart(8)} ${fmt(x.coverage80).padStart(8)} ${fmt(x.coverage80Pit).padStart(8)}`);
    });
}

/** Sales file → one daily series per SKU (× store), from its first to its last sale; absent days are zero sales. */
async function seriesFromFile(file: string, freq: Freq, store?: string): Promise<SeriesInput[]> {
  const by = new Map<string, Map<number, number>>();
  const sales = validSalesRows(file);
  for await (const r of sales.rows) {
    if (store && r.store !== store) continue;
    const key = `${r.sku}\u0000${r.store ?? ''}`;
    const day = isoToDay(r.date.toISOString());
    let m = by.get(key);
    if (!m) by.set(key, (m = new Map()));
    m.set(day, (m.get(day) ?? 0) + r.qty);
  }
  const bad = sales.skipped();
  if (bad) process.stderr.write(`${bad} rows were not valid sales rows and were left out\n`);
  if (by.size === 0) throw new AppError('invalid', `no valid sales rows in ${file}`, 'sales');
  const out: SeriesInput[] = [];
  for (const m of by.values()) {
    const days = [...m.entries()].filter(([, q]) => q > 0).map(([d]) => d);
    if (days.length === 0) continue;
    const first = Math.min(...days);
    const last = Math.max(...days);
    const y = new Float64Array(last - first + 1);
    for (const [d, q] of m) if (d >= first && d <= last) y[d - first] += q;
    for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0;
    out.push(freq === 'D' ? { values: y, freq } : { values: aggregate(y, freq, dayToIso(first)).values, freq });
  }
  return out;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const fmt = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
