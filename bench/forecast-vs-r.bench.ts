/**
 * Issue 4's side-by-side: Shelfwise `auto` vs R's forecast::ets (Hyndman) on the same split, plus seasonal naive.
 * Online Retail daily (last 28 days held out, ets on ts(frequency = 7)) and Walmart weekly (last 13 weeks held
 * out; R's ets allows no season longer than 24, so it fits non-seasonal ETS there, as R users get).
 * R comes from Debian (`apt-get install -y r-cran-forecast`; this script tries that once when Rscript or the
 * package is missing, and skips R when it cannot). RMSSE per series = sqrt(mean squared error / mean squared
 * one-step in-sample naive difference), averaged over series (unweighted) and weighted by the revenue of the
 * last training window (as in M5); series with a zero denominator are skipped and counted.
 * Run: npx tsx bench/forecast-vs-r.bench.ts [--limit N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile } from '../src/config/data-dir.ts';
import { forecastSeries } from '../src/domain/forecasting/forecast.ts';
import { loadOnlineRetail, loadWalmart, type LoadedSeries } from './forecast-data.ts';

const limitArg = process.argv.indexOf('--limit');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : 0;

function ensureR(): boolean {
  const probe = () => spawnSync('Rscript', ['-e', 'suppressMessages(library(forecast))'], { encoding: 'utf8' }).status === 0;
  if (probe()) return true;
  console.log('installing r-cran-forecast from Debian (once)…');
  spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-cran-forecast'], { stdio: 'ignore' });
  return probe();
}

function rEts(trains: Float64Array[], frequency: number, h: number): Float64Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'sw-r-'));
  writeFileSync(join(dir, 'in.txt'), trains.map((t) => Array.from(t).join(' ')).join('\n') + '\n');
  const script = `suppressMessages(library(forecast))
lines <- readLines("${join(dir, 'in.txt')}")
out <- file("${join(dir, 'out.txt')}", "w")
for (l in lines) {
  y <- as.numeric(strsplit(l, " ")[[1]])
  f <- tryCatch(forecast(ets(ts(y, frequency = ${frequency})), h = ${h})$mean, error = function(e) rep(mean(tail(y, ${h})), ${h}))
  writeLines(paste(pmax(0, as.numeric(f)), collapse = " "), out)
}
close(out)
`;
  writeFileSync(join(dir, 'run.R'), script);
  const r = spawnSync('Rscript', [join(dir, 'run.R')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return readFileSync(join(dir, 'out.txt'), 'utf8').trim().split('\n').map((l) => Float64Array.from(l.split(' ').map(Number)));
}

function rmsse(train: Float64Array, test: Float64Array, f: Float64Array): number | null {
  let d = 0;
  for (let t = 1; t < train.length; t++) d += (train[t] - train[t - 1]) ** 2;
  d /= train.length - 1;
  if (!(d > 0)) return null;
  let e = 0;
  for (let t = 0; t < test.length; t++) e += (test[t] - f[t]) ** 2;
  return Math.sqrt(e / test.length / d);
}

function snaive(train: Float64Array, m: number, h: number): Float64Array {
  const f = new Float64Array(h);
  for (let t = 0; t < h; t++) f[t] = train[train.length - m + (t % m)] ?? train[train.length - 1];
  return f;
}

function compare(title: string, loaded: LoadedSeries[], freq: 'D' | 'W', m: number, rFrequency: number, h: number, withR: boolean) {
  const series = (limit ? loaded.slice(0, limit) : loaded).filter((s) => s.values.length > h + 2 * m);
  const trains = series.map((s) => s.values.subarray(0, s.values.length - h));
  const tests = series.map((s) => s.values.subarray(s.values.length - h));
  const weights = series.map((s, i) => {
    let w = 0;
    const tr = trains[i];
    for (let t = Math.max(0, tr.length - h); t < tr.length; t++) w += Math.abs(tr[t]) * s.price;
    return w;
  });
  const t0 = performance.now();
  const auto = trains.map((tr) => forecastSeries({ values: tr, freq }, { horizon: h }).mean);
  const tAuto = (performance.now() - t0) / 1000;
  const sn = trains.map((tr) => snaive(tr, m, h));
  let r: Float64Array[] | null = null;
  let tR = 0;
  if (withR) {
    const t1 = performance.now();
    r = rEts(trains, rFrequency, h);
    tR = (performance.now() - t1) / 1000;
  }
  const score = (fs: Float64Array[]) => {
    let sum = 0;
    let n = 0;
    let wsum = 0;
    let wtot = 0;
    let skipped = 0;
    fs.forEach((f, i) => {
      const v = rmsse(trains[i], tests[i], f);
      if (v === null) return void skipped++;
      sum += v;
      n++;
      wsum += v * weights[i];
      wtot += weights[i];
    });
    return { mean: sum / n, weighted: wsum / wtot, skipped };
  };
  const a = score(auto);
  const s = score(sn);
  console.log(`\n${title}: ${series.length} series, horizon ${h}`);
  console.log(`  model            RMSSE (mean)  RMSSE (revenue-weighted)  seconds`);
  console.log(`  shelfwise auto   ${a.mean.toFixed(3).padStart(12)}  ${a.weighted.toFixed(3).padStart(24)}  ${tAuto.toFixed(1).padStart(7)}`);
  if (r) {
    const e = score(r);
    console.log(`  R forecast::ets  ${e.mean.toFixed(3).padStart(12)}  ${e.weighted.toFixed(3).padStart(24)}  ${tR.toFixed(1).padStart(7)}`);
    console.log(`  auto / ets ratio ${(a.mean / e.mean).toFixed(3).padStart(12)}  ${(a.weighted / e.weighted).toFixed(3).padStart(24)}`);
  }
  console.log(`  seasonal naive   ${s.mean.toFixed(3).padStart(12)}  ${s.weighted.toFixed(3).padStart(24)}`);
  console.log(`  (series skipped for a zero denominator: ${a.skipped})`);
}

const withR = ensureR();
if (!withR) console.log('R forecast is not available here: comparing against seasonal naive only');
const or = dataFile('retail', 'online_retail_2010_2011.csv');
if (or) compare('Online Retail daily', loadOnlineRetail(or).series, 'D', 7, 7, 28, withR);
const wm = dataFile('walmart', 'train.csv');
if (wm) compare('Walmart weekly (R: non-seasonal ETS, its limit is 24)', loadWalmart(wm).series, 'W', 52, 52, 13, withR);
