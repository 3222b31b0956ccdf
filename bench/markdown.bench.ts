/**
 * Waste-reduction benchmark on UCI Online Retail (issue 6): ABC/XYZ matrix, slow/dead stock, price
 * elasticities (item vs pooled) with a hold-out check against a no-price-effect baseline, markdown
 * offers, and the timing of every report over the full history against the 2 s floor.
 * Run: npx tsx bench/markdown.bench.ts
 */
import { dataFile } from '../src/config/data-dir.ts';
import { abcXyz, formatMatrix } from '../src/domain/markdown/classification.ts';
import { slowStockReport } from '../src/domain/markdown/slow-stock.ts';
import { fitElasticities, type ElasticityFit } from '../src/domain/markdown/elasticity.ts';
import { buildPanel } from '../src/domain/markdown/elasticity-panel.ts';
import { chooseTau, holdoutScore } from '../src/domain/markdown/elasticity-validate.ts';
import { optimiseMarkdown, suggestBundles } from '../src/domain/markdown/markdown-offer.ts';
import type { CoPurchasePair, MarkdownItem } from '../src/domain/markdown/types.ts';
import { median } from '../src/domain/markdown/stats.ts';
import { weeklyTopSellers } from '../src/domain/reports/top-sellers.ts';
import { categoryTrends } from '../src/domain/reports/category-trends.ts';
import { inventoryValueOverTime } from '../src/domain/reports/inventory-value.ts';
import { fromEpochDay, toEpochDay } from '../src/domain/reports/dates.ts';
import type { SalesRow, StockMovement } from '../src/domain/reports/types.ts';
import { categoryOfDescription, dailyNetSales, loadRetailLines, simulateLedger } from './markdown-data.ts';
import { describe, panelRows, weeklyPanels } from './markdown-elasticity.ts';

const file = dataFile('retail', 'online_retail_2010_2011.csv');
if (!file) {
  console.log('skipped: retail/online_retail_2010_2011.csv not found under SHELFWISE_DATA (../shared/data)');
  process.exit(0);
}
const FLOOR_MS = 2000;
const timings: [string, number, number, boolean][] = [];
/** Median wall and CPU ms over `runs`. `report`: a user-facing report held to the 2 s floor; otherwise a
 * batch job (model fitting). CPU time is shown because the 2 cores are shared with other work. */
function timed<T>(label: string, f: () => T, runs = 3, report = true): T {
  let out!: T;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    out = f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  timings.push([label, median(wall), median(cpu), report]);
  return out;
}
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : String(v));

// ---------------------------------------------------------------- data
let t = performance.now();
const r = loadRetailLines(file);
const nSku = r.skus.length;
const nDays = r.lastDay - r.firstDay + 1;
console.log(`Online Retail: ${r.n} product lines, ${nSku} SKUs, ${fromEpochDay(r.firstDay)} .. ${fromEpochDay(r.lastDay)} (${nDays} days); parsed in ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
const cats = r.descriptions.map(categoryOfDescription);
const daily = dailyNetSales(r);
const panels = weeklyPanels(r);
console.log(`daily series + tier-adjusted weekly price index in ${(performance.now() - t).toFixed(0)} ms`);

// List price today = the last weekly index; cost assumed at 60 % of the item's median list price.
const listPrice = new Float64Array(nSku);
const unitCost = new Float64Array(nSku);
for (let k = 0; k < nSku; k++) {
  const seen: number[] = [];
  for (let w = 0; w < panels.nWeeks; w++) {
    const v = panels.index[k * panels.nWeeks + w];
    if (v > 0) seen.push(v), (listPrice[k] = v);
  }
  if (!seen.length) {
    const ps: number[] = [];
    for (let i = 0; i < r.n; i++) if (r.sku[i] === k && r.price[i] > 0) ps.push(r.price[i]);
    listPrice[k] = ps.length ? median(ps) : 0;
  }
  unitCost[k] = 0.6 * (seen.length ? median(seen) : listPrice[k]);
}
const ledger = simulateLedger(daily, r.firstDay, unitCost);
const items: MarkdownItem[] = r.skus.map((sku, k) => {
  const dailyPrice = new Float64Array(nDays);
  for (let d = 0; d < nDays; d++) {
    const v = panels.index[k * panels.nWeeks + Math.floor((r.firstDay + d - panels.week0) / 7)];
    dailyPrice[d] = v > 0 ? v : 0;
  }
  return { sku, category: cats[k], price: listPrice[k], cost: unitCost[k], onHand: ledger.onHand[k], receipts: ledger.receipts[k], dailySales: daily[k], dailyPrice, startDay: r.firstDay };
});

// ---------------------------------------------------------------- tier confound
{
  let cells = 0;
  let off = 0;
  let changed = 0;
  let withTiers = 0;
  for (let k = 0; k < nSku; k++) {
    const vals: number[] = [];
    for (let w = 0; w < panels.nWeeks; w++) {
      const c = k * panels.nWeeks + w;
      if (panels.index[c] > 0 && panels.paid[c] > 0) {
        cells++;
        if (Math.abs(Math.log(panels.paid[c] / panels.index[c])) > Math.log(1.02)) off++;
        vals.push(Math.log(panels.index[c]));
      }
    }
    if (vals.length > 1 && Math.max(...vals) - Math.min(...vals) > Math.log(1.02)) changed++;
    if (panels.tierDiscount[k] < -0.02) withTiers++;
  }
  console.log(`\nQuantity tiers: ${withTiers} SKUs sell cheaper (median ${f2(100 * (1 - Math.exp(median(Array.from(panels.tierDiscount).filter((v) => v < -0.02)))))} % off) at ≥ 4× their base line quantity;`);
  console.log(`the mean paid price differs from the tier-adjusted list price by > 2 % in ${((100 * off) / cells).toFixed(1)} % of ${cells} item-weeks; ${changed} SKUs had a list price change > 2 %.`);
}

// ---------------------------------------------------------------- ABC / XYZ
const cls = timed('ABC/XYZ matrix (all SKUs)', () => abcXyz(items));
console.log('\nABC (revenue 80/15/5) × XYZ (CV of weekly demand ≤ 0.5 / ≤ 1.0): count, stock value at cost');
console.log(formatMatrix(cls.matrix));

// ---------------------------------------------------------------- slow / dead stock
const slow = timed('slow/dead stock ranking', () => slowStockReport(items, { horizonDays: 90, deadDays: 90 }));
console.log(
  `\nSlow/dead stock (simulated ledger, 90-day horizon): ${slow.totals.dead} dead, ${slow.totals.slow} slow of ${slow.totals.items}; ` +
    `excess ${slow.totals.excessUnits.toFixed(0)} units, tied-up ${slow.totals.tiedUpValue.toFixed(0)} of ${slow.totals.stockValue.toFixed(0)} stock value; ${slow.newDeadAlerts.length} new dead this week`,
);
for (const row of slow.ranked.slice(0, 5))
  console.log(`  ${row.sku.padEnd(7)} ${row.status.padEnd(4)} on hand ${row.onHand.toFixed(0).padStart(6)}  cover ${f2(row.daysOfCover).padStart(8)} d  last sale ${row.daysSinceLastSale ?? '-'} d  age ${f2(row.avgAgeDays ?? NaN)} d  tied ${(row.status === 'dead' ? row.stockValue : row.tiedUpValue).toFixed(0)}`);

// ---------------------------------------------------------------- elasticities
const allRows = panelRows(panels, r.skus, cats, 'index');
const all = buildPanel(allRows);
const weekOf = (iso: string) => Math.floor((toEpochDay(iso) - panels.week0) / 7);
const tauAll = timed('choose τ on all weeks (split 2011-09-01, 8 fits)', () => chooseTau(allRows, weekOf('2011-09-01')), 1, false);
const fit = timed('elasticity fit (all item-weeks)', () => fitElasticities(all, { tau: tauAll.tau }), 1, false);
const fitDl = fitElasticities(all);
const naive = fitElasticities(buildPanel(panelRows(panels, r.skus, cats, 'paid')), { tau: tauAll.tau });
const noTime = fitElasticities(all, { timeEffects: 'none', tau: tauAll.tau });
const printFit = (label: string, f: ElasticityFit) => {
  const own = f.items.filter((i) => i.raw !== null);
  console.log(`${label}: pooled ${f2(f.global.pooled)} ± ${f2(f.global.pooledSe)}, τ items ${f2(f.global.tau)}, τ categories ${f2(f.global.tauCategory)}, se scale ${f2(f.global.seScale)}`);
  console.log(`   own (item) estimates ${describe(own.map((i) => i.raw!))}`);
  console.log(`   EB shrunk, all items  ${describe(f.items.map((i) => i.shrunk))}`);
};
console.log(`\nElasticities: ${all.item.length} item-weeks, ${all.skus.length} SKUs, ${all.categories.length} categories`);
printFit(`tier-adjusted list price, week effects, τ = ${tauAll.tau} chosen out of time (model)`, fit);
printFit('tier-adjusted list price, week effects, DL τ', fitDl);
printFit('tier-adjusted list price, no week effects', noTime);
printFit('mean paid price (tier confound), week effects', naive);
console.log('   category         items  own   pooled ± se      EB mean');
for (const c of [...fit.categories].sort((a, b) => b.nItems - a.nItems))
  console.log(`   ${c.category.padEnd(17)} ${String(c.nItems).padStart(5)} ${String(c.nWithOwn).padStart(4)}  ${f2(c.pooled).padStart(6)} ± ${f2(c.pooledSe).padEnd(6)}  ${f2(c.mean).padStart(6)} ± ${f2(c.meanSd)}`);
const ow = fit.items.filter((i) => i.raw !== null).map((i) => i.ownWeight);
console.log(`   own-data weight in the posterior: ${describe(ow)}`);

// ---------------------------------------------------------------- hold-out: first 9 months → last 3
{
  const cut = weekOf('2011-09-01');
  const trainRows = panelRows(panels, r.skus, cats, 'index', 0, cut);
  const test = panelRows(panels, r.skus, cats, 'index', cut);
  const train = buildPanel(trainRows);
  // τ chosen inside the training months only: fit to 2011-06-01, score June-August.
  const chosen = timed('choose τ by inner time split (8 fits)', () => chooseTau(trainRows, weekOf('2011-06-01')), 1, false);
  const fits = {
    dl: fitElasticities(train),
    robust: fitElasticities(train, { tau: 'robust' }),
    dlRawSe: fitElasticities(train, { calibrateSe: false }),
    trend: fitElasticities(train, { itemTrend: true }),
    chosen: fitElasticities(train, { tau: chosen.tau }),
  };
  const tf = fits.dl;
  const shrunk = Object.fromEntries(Object.entries(fits).map(([k, f]) => [k, new Map(f.items.map((i) => [i.sku, i.shrunk]))]));
  const catMean = new Map(tf.categories.map((c) => [c.category, c.mean]));
  const catPooled = new Map(tf.categories.map((c) => [c.category, c.pooled]));
  console.log(`\nHold-out: fit on weeks before 2011-09-01 (${train.item.length} item-weeks), predict log units of the ${test.length} item-weeks after.`);
  console.log(`   training fit: split-half se scale ${f2(tf.global.seScale)}; τ items DL ${f2(tf.global.tau)}, robust ${f2(fits.robust.global.tau)}, uncalibrated-se DL ${f2(fits.dlRawSe.global.tau)}`);
  console.log(`   τ by inner time split (fit to 2011-06-01, score Jun-Aug price-changed MSE): ${chosen.scores.map((x) => `${x.tau}: ${x.mseChanged.toFixed(4)}`).join(', ')} → τ = ${chosen.tau}`);
  const models: [string, (i: ElasticityFit['items'][number]) => number][] = [
    ['no price effect (β = 0)', () => 0],
    [`item EB β, τ chosen out of time (${chosen.tau})`, (i) => shrunk.chosen.get(i.sku)!],
    ['item EB β, DL τ (default)', (i) => i.shrunk],
    ['item EB β, robust τ', (i) => shrunk.robust.get(i.sku)!],
    ['item EB β, uncalibrated se, DL τ', (i) => shrunk.dlRawSe.get(i.sku)!],
    ['item EB β + per-item trend, DL τ', (i) => shrunk.trend.get(i.sku)!],
    ['item own β (raw, else category)', (i) => (i.raw !== null ? i.raw : catMean.get(i.category)!)],
    ['category pooled β', (i) => catPooled.get(i.category) ?? tf.global.pooled],
    ['global pooled β', () => tf.global.pooled],
  ];
  const scores = models.map(([label, f]) => holdoutScore(tf, test, label, f));
  const base = scores[0];
  console.log(`   scored: ${base.nObs} item-weeks of items seen in training; ${base.nChanged} priced > 2 % from the item's training mean`);
  console.log('   model                                       MSE(all)  ratio   MSE(price changed)  ratio');
  for (const row of scores)
    console.log(`   ${row.label.padEnd(43)} ${row.mse.toFixed(4)}  ${(row.mse / base.mse).toFixed(3)}   ${row.mseChanged.toFixed(4).padStart(10)}        ${(row.mseChanged / base.mseChanged).toFixed(3)}`);
}

// ---------------------------------------------------------------- markdown offers
const bySku = new Map(fit.items.map((i) => [i.sku, i]));
const catEb = new Map(fit.categories.map((c) => [c.category, c]));
const excess = slow.ranked.filter((row) => row.status !== 'dead' && row.excessUnits > 0);
const offers = timed('markdown offers (all excess SKUs)', () =>
  excess.map((row) => {
    const e = bySku.get(row.sku);
    const c = catEb.get(row.category);
    const it = items[r.skus.indexOf(row.sku)];
    return optimiseMarkdown(
      {
        sku: row.sku,
        price: it.price,
        cost: it.cost,
        onHand: row.onHand,
        baseDailyDemand: row.dailyDemand,
        daysToTarget: 56,
        elasticity: e?.shrunk ?? c?.mean ?? fit.global.mean,
        elasticitySd: e?.shrunkSd ?? c?.meanSd ?? 0.5,
      },
      { demand: 'poisson', leftoverTolerance: 1 },
    );
  }),
);
{
  const depthCount = new Map<number, number>();
  let rev = 0;
  let revBase = 0;
  let left = 0;
  let leftBase = 0;
  for (const o of offers) {
    depthCount.set(o.chosen.depth, (depthCount.get(o.chosen.depth) ?? 0) + 1);
    rev += o.chosen.revenue;
    revBase += o.baseline.revenue;
    left += o.chosen.leftover;
    leftBase += o.baseline.leftover;
  }
  const clears = offers.filter((o) => !o.cannotClear).length;
  const noDemand = excess.filter((row) => row.dailyDemand === 0).length;
  console.log(`\nMarkdown offers for ${offers.length} excess SKUs (8 weeks to target, ladder 0-50 %, Poisson demand, β ~ posterior): ${clears} clear by the target date`);
  console.log(`   ${noDemand} of them sold nothing in the last 28 days (no demand to mark down: clearance/bundle candidates)`);
  console.log(`   depth: ${[...depthCount.entries()].sort((a, b) => a[0] - b[0]).map(([d, n]) => `${d * 100}%×${n}`).join('  ')}`);
  console.log(`   expected revenue ${rev.toFixed(0)} vs ${revBase.toFixed(0)} without markdown; leftover ${left.toFixed(0)} vs ${leftBase.toFixed(0)} units`);
  for (const o of [...offers].sort((a, b) => b.chosen.revenue - b.baseline.revenue - (a.chosen.revenue - a.baseline.revenue)).slice(0, 5))
    console.log(`   ${o.sku.padEnd(7)} ${String(o.chosen.depth * 100).padStart(3)} % off → uplift +${(100 * o.chosen.uplift).toFixed(0)} %, clears ${o.chosen.clearedUnits.toFixed(0)} units, revenue ${o.chosen.revenue.toFixed(0)} (vs ${o.baseline.revenue.toFixed(0)}), left ${o.chosen.leftover.toFixed(0)}`);
}

// ---------------------------------------------------------------- bundle hook (co-purchase counted here only to exercise it)
{
  const target = new Set(excess.slice(0, 50).map((row) => r.skus.indexOf(row.sku)));
  const byInvoice = new Map<number, number[]>();
  for (let i = 0; i < r.n; i++)
    if (!r.cancel[i]) {
      let a = byInvoice.get(r.invoice[i]);
      if (!a) byInvoice.set(r.invoice[i], (a = []));
      a.push(r.sku[i]);
    }
  const co = new Map<string, number>();
  const freq = new Float64Array(nSku);
  for (const skusIn of byInvoice.values()) {
    const u = [...new Set(skusIn)];
    for (const s of u) freq[s]++;
    for (const s of u) if (target.has(s)) for (const o of u) if (o !== s) co.set(`${s},${o}`, (co.get(`${s},${o}`) ?? 0) + 1);
  }
  const pairs: CoPurchasePair[] = [];
  for (const [key, c] of co) {
    const [s, o] = key.split(',').map(Number);
    if (c >= 5) pairs.push({ a: r.skus[s], b: r.skus[o], score: c / Math.sqrt(freq[s] * freq[o]) });
  }
  const demand = new Map(items.map((it) => [it.sku, recentRate(it)]));
  const b = timed('bundle suggestions (50 excess SKUs)', () => suggestBundles(excess.slice(0, 50).map((row) => row.sku), pairs, demand, { perItem: 2 }));
  console.log(`\nBundle hook: ${b.length} suggestions for 50 excess SKUs from ${pairs.length} cosine co-purchase pairs, e.g. ${b.slice(0, 3).map((s) => `${s.sku}+${s.partner} (${f2(s.score)})`).join(', ')}`);
}
function recentRate(it: MarkdownItem): number {
  const s = it.dailySales;
  let sum = 0;
  for (let d = Math.max(0, s.length - 28); d < s.length; d++) sum += s[d];
  return sum / 28;
}

// ---------------------------------------------------------------- reports over the full history
const salesRows: SalesRow[] = [];
for (let i = 0; i < r.n; i++) {
  const q = r.cancel[i] ? -Math.abs(r.qty[i]) : r.qty[i];
  salesRows.push({ date: fromEpochDay(r.day[i]), sku: r.skus[r.sku[i]], qty: q, revenue: q * r.price[i], category: cats[r.sku[i]] });
}
const stock = new Map(items.map((it) => [it.sku, it.onHand]));
const top = timed('weekly top-5 sellers (full history)', () => weeklyTopSellers(salesRows, { n: 5, stock }));
timed('weekly top-10 by revenue (full history)', () => weeklyTopSellers(salesRows, { n: 10, by: 'revenue', stock }));
const trends = timed('category trends, weekly (full history)', () => categoryTrends(salesRows, { period: 'week' }));
timed('category trends, monthly (full history)', () => categoryTrends(salesRows, { period: 'month' }));
const moves: StockMovement[] = [];
items.forEach((it, k) => {
  for (const rc of ledger.receipts[k]) moves.push({ date: fromEpochDay(rc.date), sku: it.sku, qty: rc.qty, unitCost: rc.unitCost });
  it.dailySales.forEach((q, d) => {
    if (q > 0) moves.push({ date: fromEpochDay(r.firstDay + d), sku: it.sku, qty: -q });
  });
});
const catOf = new Map(items.map((it) => [it.sku, it.category]));
const inv = timed('inventory value, daily FIFO by category (full history)', () => inventoryValueOverTime(moves, { period: 'day', method: 'fifo', categoryOf: catOf }));
timed('inventory value, weekly average cost (full history)', () => inventoryValueOverTime(moves, { period: 'week', method: 'average' }));
const lastWeek = top[top.length - 2];
console.log(`\nReports: ${salesRows.length} sales rows, ${moves.length} ledger movements (simulated receipts + daily sales)`);
console.log(`   top 5, week of ${lastWeek.weekStart}: ${lastWeek.top.map((x) => `${x.sku} ${x.qty} (stock ${x.onHand?.toFixed(0)})`).join(', ')}`);
console.log(`   category trends: ${trends.categories.slice(0, 4).map((c) => `${c.category} ${(100 * c.recentChange).toFixed(0)} % last 4 wk`).join(', ')}`);
console.log(`   inventory value at cost: ${inv.filter((_, i) => i % 91 === 0 || i === inv.length - 1).map((p) => `${p.periodStart} ${p.value.toFixed(0)}`).join(', ')}`);

console.log(`\nTimings, median of 3 runs (model fits: 1 run, batch jobs, no floor); floor ${FLOOR_MS} ms per report:`);
console.log(`   ${''.padEnd(56)}   wall ms    CPU ms`);
for (const [label, ms, cpu, report] of timings)
  console.log(`   ${label.padEnd(56)} ${ms.toFixed(0).padStart(8)}  ${cpu.toFixed(0).padStart(8)}  ${report ? (ms <= FLOOR_MS ? 'ok' : 'OVER') : 'batch'}`);
