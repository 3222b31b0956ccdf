/**
 * Recommendations benchmark on the real data sets (../shared/data, see data/README.md).
 *
 *   npx tsx bench/recommend.bench.ts [--folds 5] [--skip-full] [--validation] [--json]
 *
 * --validation drops the last 30 days first, so the "test" window is the validation window the defaults were
 * tuned on (the 30 days before the real test window).
 *
 * Online Retail 2010-11: last 30 days as test, returning customers; NDCG@10 / HR@10 per model with the ratio
 * against popularity from the same run; frequently-bought-together HR@10 vs popularity; training time on the
 * split and on the full history; serving latency. MovieLens-100k: Funk-SVD k-fold RMSE vs the global mean.
 * Times: wall and CPU seconds (the machine is shared; CPU time is the steadier figure).
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../src/config/data-dir.ts';
import { parseMovieLens, parseOnlineRetail } from '../src/domain/recommend/datasets.ts';
import { evaluateRatings, evaluateRetail, type Clocks } from '../src/domain/recommend/evaluation-runs.ts';
import { temporalSplit } from '../src/domain/recommend/evaluate.ts';
import { decodeModel, encodeModel } from '../src/domain/recommend/model-codec.ts';
import { recommendForUser, trainRecommender } from '../src/domain/recommend/recommender.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string, def: number) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : def;
};
const folds = value('folds', 5);
const clocks: Clocks = { wall: () => performance.now() / 1000, cpu: () => process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
const f3 = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(3));
const f4 = (x: number) => x.toFixed(4);
const report: Record<string, unknown> = {};
const floors: { what: string; value: number; floor: number; higherIsBetter: boolean }[] = [];

const retailPath = dataFile('retail', 'online_retail_2010_2011.csv');
if (!retailPath) console.log('SKIP Online Retail: data file missing (set SHELFWISE_DATA)');
else {
  const ds = parseOnlineRetail(readFileSync(retailPath, 'utf8'));
  if (flag('validation')) {
    ds.interactions = temporalSplit(ds.interactions, 30).train;
    console.log('VALIDATION run: the last 30 days are removed; the window below is the tuning window');
  }
  const names = new Map([...ds.items].map(([id, v]) => [id, v.description]));
  console.log(`Online Retail: ${ds.interactions.length} purchase lines kept; skipped ${JSON.stringify(ds.skipped)}`);
  const stages: Record<string, { wall: number; cpu: number }> = {};
  let last = { stage: '', wall: clocks.wall!(), cpu: clocks.cpu!() };
  const onProgress = (stage: string) => {
    const now = { wall: clocks.wall!(), cpu: clocks.cpu!() };
    if (last.stage) {
      const s = (stages[last.stage] ??= { wall: 0, cpu: 0 });
      s.wall += now.wall - last.wall;
      s.cpu += now.cpu - last.cpu;
    }
    last = { stage, ...now };
  };
  const res = evaluateRetail(ds.interactions, { testDays: 30, clocks, keepModel: true, recommender: { itemNames: names, onProgress } });
  console.log(`\nLast 30 days (from ${res.cutoff.slice(0, 10)}): ${res.users} returning customers, ${res.items} items in training`);
  console.log(`training on the split: ${f3(res.train_time?.wall)} s wall, ${f3(res.train_time?.cpu)} s CPU; by stage (CPU s): ` +
    Object.entries(stages).map(([k, v]) => `${k} ${v.cpu.toFixed(2)}`).join(', '));
  const pop = res.models.popularity['ndcg@10'];
  const popRecent = res.models.popularity_recent['ndcg@10'];
  console.log('\nmodel               NDCG@10  HR@10   recall@10 recall@20 MAP@12  cov@10  ×pop    ×pop(recent)');
  for (const [name, m] of Object.entries(res.models)) {
    console.log(
      `${name.padEnd(19)} ${f4(m['ndcg@10'])}   ${f4(m['hr@10'])}  ${f4(m['recall@10'])}    ${f4(m['recall@20'])}    ${f4(m['map@12'])}  ${f4(m['coverage@10'])}  ${(m['ndcg@10'] / pop).toFixed(2).padStart(5)}  ${(m['ndcg@10'] / popRecent).toFixed(2).padStart(5)}`,
    );
  }
  console.log('\nnew items only (never bought before by that customer):');
  const npop = res.new_items.popularity['ndcg@10'];
  for (const [name, m] of Object.entries(res.new_items)) {
    console.log(`${name.padEnd(19)} NDCG@10 ${f4(m['ndcg@10'])}  HR@10 ${f4(m['hr@10'])}  (${m.users} customers)  ×pop ${(m['ndcg@10'] / npop).toFixed(2)}`);
  }
  console.log(`\nfrequently bought together (${res.fbt.cases} test baskets, one item hidden): cosine HR@10 ${f4(res.fbt['hr@10'])} MRR ${f4(res.fbt.mrr)}; popularity HR@10 ${f4(res.fbt_popularity['hr@10'])} MRR ${f4(res.fbt_popularity.mrr)}; ×${(res.fbt['hr@10'] / res.fbt_popularity['hr@10']).toFixed(1)}`);

  // serving: the full path (blend, stock filter, reasons) for every test customer
  const model = res.model!;
  const split = temporalSplit(ds.interactions, 30);
  const outOfStock = new Set([...model.items.ids].filter((_, j) => j % 10 === 0));
  const lat: number[] = [];
  const cpuLat: number[] = [];
  let sample = '';
  for (const user of split.truth.keys()) {
    const t = performance.now();
    const c = process.cpuUsage();
    const recs = recommendForUser(model, user, { n: 10, inStock: (i) => !outOfStock.has(i) });
    const dc = process.cpuUsage(c);
    lat.push(performance.now() - t);
    cpuLat.push((dc.user + dc.system) / 1000);
    const firstNew = recs.findIndex((r) => r.because !== undefined);
    if (!sample && firstNew > 0) sample = [recs[0], recs[firstNew]].map((r) => `${names.get(r.item)} — ${r.reason}`).join('\n  ');
  }
  lat.sort((a, b) => a - b);
  cpuLat.sort((a, b) => a - b);
  const p50 = lat[Math.floor(lat.length / 2)];
  const p99 = lat[Math.floor(lat.length * 0.99)];
  const cpu50 = cpuLat[Math.floor(cpuLat.length / 2)];
  const cpu99 = cpuLat[Math.floor(cpuLat.length * 0.99)];
  console.log(`serving recommendForUser (n=10, 10 % of items out of stock, reasons) over ${lat.length} customers: wall p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; CPU p50 ${cpu50.toFixed(2)} ms, p99 ${cpu99.toFixed(2)} ms`);
  console.log(`example:\n  ${sample}`);

  let full: { wall: number; cpu: number } | null = null;
  if (!flag('skip-full')) {
    const w0 = clocks.wall!();
    const c0 = clocks.cpu!();
    const m = trainRecommender(ds.interactions, { itemNames: names });
    full = { wall: clocks.wall!() - w0, cpu: clocks.cpu!() - c0 };
    console.log(`training on the full history (${ds.interactions.length} lines, ${m.users.ids.length} customers, ${m.items.ids.length} items): ${full.wall.toFixed(1)} s wall, ${full.cpu.toFixed(1)} s CPU`);
    floors.push({ what: 'full-history training CPU s', value: full.cpu, floor: 30, higherIsBetter: false });
    const e0 = performance.now();
    const bytes = encodeModel(m);
    const e1 = performance.now();
    const back = decodeModel(bytes);
    const e2 = performance.now();
    const same = JSON.stringify(recommendForUser(back, m.users.ids[0], { n: 10 })) === JSON.stringify(recommendForUser(m, m.users.ids[0], { n: 10 }));
    console.log(`model bytes (encodeModel): ${(bytes.byteLength / 1e6).toFixed(1)} MB, encode ${(e1 - e0).toFixed(0)} ms, decode ${(e2 - e1).toFixed(0)} ms, same recommendations after decode: ${same}`);
  }
  floors.push({ what: 'auto NDCG@10', value: res.models.auto['ndcg@10'], floor: 0.36, higherIsBetter: true });
  floors.push({ what: 'new-items auto NDCG@10', value: res.new_items.auto['ndcg@10'], floor: 0.1, higherIsBetter: true });
  floors.push({ what: 'FBT HR@10', value: res.fbt['hr@10'], floor: 0.28, higherIsBetter: true });
  floors.push({ what: 'serving p99 CPU ms', value: cpu99, floor: 5, higherIsBetter: false });
  const { model: _m, ...rest } = res;
  report.retail = { ...rest, serving_ms: { p50, p99, cpu50, cpu99 }, full_training: full };
}

const mlPath = dataFile('ratings', 'ml-100k', 'u.data');
if (!mlPath) console.log('SKIP MovieLens: data file missing');
else if (folds <= 0) console.log('SKIP MovieLens: --folds 0');
else {
  const r = parseMovieLens(readFileSync(mlPath, 'utf8'));
  const res = evaluateRatings(r, { folds: 5, runFolds: folds, clocks });
  console.log(`\nMovieLens-100k Funk-SVD (50 factors, 40 epochs, lr 0.007, reg 0.05), ${res.folds} of 5 folds: RMSE ${f4(res.rmse)} MAE ${f4(res.mae)}; global mean RMSE ${f4(res.baseline.rmse)} (×${(res.rmse / res.baseline.rmse).toFixed(3)}); fit ${f3(res.fit_seconds_per_fold)} s wall, ${f3(res.fit_cpu_seconds_per_fold)} s CPU per fold`);
  console.log(`per fold RMSE: ${res.per_fold.map((p) => f4(p.rmse)).join(' ')}`);
  floors.push({ what: 'MovieLens RMSE', value: res.rmse, floor: 0.93, higherIsBetter: false });
  floors.push({ what: 'Funk-SVD fit CPU s/fold', value: res.fit_cpu_seconds_per_fold ?? NaN, floor: 3, higherIsBetter: false });
  report.movielens = res;
}

console.log(flag('validation') ? '\nfloors (issue 7) — validation run: the floors apply to the test window, shown for reference:' : '\nfloors (issue 7):');
for (const f of floors) {
  const ok = f.higherIsBetter ? f.value >= f.floor : f.value <= f.floor;
  console.log(`  ${ok ? 'PASS' : 'FAIL'} ${f.what}: ${f.value.toFixed(4)} (${f.higherIsBetter ? '≥' : '≤'} ${f.floor})`);
}
if (flag('json')) console.log(JSON.stringify(report));
