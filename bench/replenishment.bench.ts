/**
 * Replenishment benchmark on UCI Online Retail (retail/online_retail_2010_2011.csv).
 *
 *   npx tsx bench/replenishment.bench.ts            (SHELFWISE_DATA overrides the data folder)
 *   env: LEVELS=0.9,0.95 (service sweep; empty = speed only), ALPHA=0.1 (SES), TOP=500, PLOT=sweep.svg,
 *        SKIP_SPEED=1, WINSOR=k (clip days above k × level in the SES update; 0 = off), CSV_PARSE=1 (use csv-parse)
 *
 * 1. Policy simulation: top 500 SKUs by units sold, daily demand (cancellations "C…" and lines with quantity ≤ 0
 *    ignored), the first half only trains, then weekly review, 1-week lead time, lost sales.
 *    `auto` = order-up-to (R, S) from forecasts; baseline = classic min/max from the trailing 8 weeks, its min and
 *    max scaled by one factor tuned (bisection) to the same aggregate fill rate. Prints both and the stock ratio,
 *    for a sweep of service levels.
 *    The forecaster is the simple one below (SES + back-tested cumulative-error spread). The real forecasting engine
 *    (src/domain/forecasting) plugs in later through the same `forecaster(history, horizon) => ItemForecast` hook.
 * 2. Speed: policies per second for 50,000 SKU × location rows, and a full draft (policies + PO proposals grouped by
 *    supplier with pack/MOQ/minimum value/budget) over the same rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataFile } from '../src/config/data-dir.ts';
import {
  comparePolicies,
  runSeries,
  autoRuleFor,
  fillStockSvg,
  computePolicy,
  planCandidates,
  draftPurchaseOrders,
  mulberry32,
  type CompareInput,
  type CompareResult,
  type PolicyMetrics,
  type Supplier,
  type PlanItem,
} from '../src/domain/replenishment/index.ts';
import { sesForecaster } from '../src/domain/replenishment/ses-forecaster.ts';

const TOP = Number(process.env.TOP ?? 500);
const L = 7;
const R = 7;
const SES_ALPHA = Number(process.env.ALPHA ?? 0.1);
const WINSOR = Number(process.env.WINSOR ?? 0); // 0 = off; else clip a day at WINSOR × level for the level update
const MINMAX_WINDOW = 56;
const SPEED_ROWS = 50_000;

// ---------- data ----------

interface Series {
  sku: string;
  demand: Float64Array;
  price: number;
  /** Units in single invoice lines of ≥ 10,000 units, per day (no sane policy stocks for these). */
  huge: Map<number, number>;
}

/**
 * Reads the file's lines. Only Description may be quoted (and hold commas), so the first two fields are cut from
 * the left and the last five from the right (checked against csv-parse: same totals; ~10× faster on a busy machine).
 */
function readRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  const rows: string[][] = [];
  let pos = text.indexOf('\n') + 1;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!line) continue;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const tail: string[] = [];
    let e = line.length;
    for (let k = 0; k < 5; k++) {
      const c = line.lastIndexOf(',', e - 1);
      tail.unshift(line.slice(c + 1, e));
      e = c;
    }
    rows.push([line.slice(0, c1), line.slice(c1 + 1, c2), line.slice(c2 + 1, e), ...tail]);
  }
  return rows;
}

function loadOnlineRetail(path: string): { series: Series[]; days: number; first: string } {
  const rows = process.env.CSV_PARSE ? (parse(readFileSync(path), { from_line: 2, relax_quotes: true }) as string[][]) : readRows(path);
  const dayOf = (s: string): number => Math.floor(Date.parse(s.slice(0, 10) + 'T00:00:00Z') / 86_400_000);
  let d0 = Infinity;
  let d1 = -Infinity;
  for (const r of rows) {
    const d = dayOf(r[4]);
    if (d < d0) d0 = d;
    if (d > d1) d1 = d;
  }
  const days = d1 - d0 + 1;
  const bySku = new Map<string, { demand: Float64Array; units: number; prices: number[]; huge: Map<number, number> }>();
  for (const r of rows) {
    if (r[0].startsWith('C')) continue;
    const q = Number(r[3]);
    if (!(q > 0)) continue;
    let s = bySku.get(r[1]);
    if (!s) bySku.set(r[1], (s = { demand: new Float64Array(days), units: 0, prices: [], huge: new Map() }));
    const day = dayOf(r[4]) - d0;
    s.demand[day] += q;
    if (q >= 10_000) s.huge.set(day, (s.huge.get(day) ?? 0) + q);
    s.units += q;
    const p = Number(r[5]);
    if (p > 0) s.prices.push(p);
  }
  const series = [...bySku.entries()]
    .sort((a, b) => b[1].units - a[1].units || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([sku, s]) => {
      const ps = s.prices.sort((a, b) => a - b);
      return { sku, demand: s.demand, price: ps.length ? ps[ps.length >> 1] : 1, huge: s.huge };
    });
  return { series, days, first: new Date(d0 * 86_400_000).toISOString().slice(0, 10) };
}

// ---------- a simple forecaster (stand-in for the forecasting engine) ----------

// The simulator's own default forecaster (src/domain/replenishment/ses-forecaster.ts), with this bench's α and clip.
const sesForecast = sesForecaster(SES_ALPHA, 28, WINSOR);

// ---------- simulation (src/domain/replenishment/compare.ts does the work) ----------

const ORDER_COST = 20; // per order line
const HOLDING_RATE = 0.25; // per year

const f1 = (x: number) => x.toFixed(1);
const pc = (x: number) => (100 * x).toFixed(2) + ' %';

function line(label: string, a: PolicyMetrics): string {
  return (
    `${label.padEnd(26)} fill ${pc(a.fill_rate).padStart(8)}  mean SKU fill ${pc(a.mean_series_fill_rate).padStart(8)}  cycle service ${pc(a.cycle_service).padStart(8)}` +
    `  avg on hand/SKU ${f1(a.avg_on_hand).padStart(7)}  orders ${String(a.orders).padStart(6)}  holding ${a.holding_cost.toFixed(0).padStart(7)}  ordering ${a.ordering_cost.toFixed(0).padStart(6)}`
  );
}

// ---------- speed ----------

/** Wall and CPU milliseconds of fn (CPU time is the fairer figure on a shared, loaded machine). */
function timed<T>(fn: () => T): { v: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const v = fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { v, wall, cpu: (c.user + c.system) / 1000 };
}
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');

function speed(series: Series[], days: number): void {
  const rng = mulberry32(11);
  const forecasts = series.map((s) => sesForecast(s.demand.subarray(0, days), 60));
  const suppliers: Supplier[] = Array.from({ length: 200 }, (_, i) => ({
    id: `S${i}`,
    leadTimeDays: 3 + (i % 12),
    leadTimeSdDays: (i % 4) * 0.75,
    moq: [0, 6, 12, 24, 48][i % 5],
    packSize: [1, 6, 12, 24][i % 4],
    minOrderValue: [0, 100, 250, 500][i % 4],
    currency: 'GBP',
  }));
  const items: PlanItem[] = [];
  for (let i = 0; i < SPEED_ROWS; i++) {
    const s = series[i % series.length];
    const f = forecasts[i % series.length];
    const scale = 0.2 + rng.next() * 2; // different locations sell different amounts
    const mean = f.mean.map((x) => x * scale);
    const hsd = f.dispersion!.horizonErrorSd!.map((x) => x * Math.sqrt(scale));
    items.push({
      itemId: `${s.sku}@L${Math.floor(i / series.length)}`,
      supplierId: suppliers[i % suppliers.length].id,
      unitCost: s.price,
      forecast: { mean, dispersion: { horizonErrorSd: hsd } },
      stock: {
        onHand: Math.floor(rng.next() * mean[0] * 20),
        reserved: 0,
        openOrders: rng.next() < 0.3 ? [{ qty: Math.floor(mean[0] * 7), expectedDay: 1 + Math.floor(rng.next() * 6) }] : [],
      },
      params: { kind: 'rs', service: { kind: 'csl', level: 0.95 }, reviewDays: 7, costs: { unitCost: s.price, orderingCost: ORDER_COST, holdingRate: HOLDING_RATE } },
    });
  }
  const supById = new Map(suppliers.map((s) => [s.id, s]));
  for (const kind of ['rs', 'rop', 'minmax'] as const) {
    const t = timed(() => {
      let ordered = 0;
      for (const it of items) {
        const p = computePolicy({ ...it, supplier: supById.get(it.supplierId)!, params: { ...it.params, kind } });
        if (p.orderQty.value > 0) ordered++;
      }
      return ordered;
    });
    console.log(
      `policies ${kind.padEnd(6)} ${SPEED_ROWS} rows: wall ${t.wall.toFixed(0)} ms, CPU ${t.cpu.toFixed(0)} ms = ${rate(SPEED_ROWS, t.cpu)} items per CPU-second (${t.v} to order)`,
    );
  }
  {
    const n = 1000;
    const t = timed(() => {
      for (let i = 0; i < n; i++) {
        const it = items[i];
        computePolicy({ ...it, supplier: supById.get(it.supplierId)!, method: 'montecarlo', seed: i });
      }
    });
    console.log(`policies rs Monte Carlo (5,000 draws) ${n} rows: wall ${t.wall.toFixed(0)} ms, CPU ${t.cpu.toFixed(0)} ms = ${rate(n, t.cpu)} items per CPU-second`);
  }
  const plan = timed(() => planCandidates(items, suppliers));
  const draft = timed(() => draftPurchaseOrders(plan.v, suppliers));
  const all = draft.v;
  const capped = timed(() => draftPurchaseOrders(plan.v, suppliers, { budget: all.totalValue / 2 }));
  const lines = (r: typeof all) => r.orders.reduce((a, o) => a + o.lines.length, 0);
  console.log(
    `replenishment run ${SPEED_ROWS} rows: policies wall ${plan.wall.toFixed(0)} ms / CPU ${plan.cpu.toFixed(0)} ms + draft POs wall ${draft.wall.toFixed(0)} / CPU ${draft.cpu.toFixed(0)} ms ` +
      `(${all.orders.length} POs, ${lines(all)} lines, ${all.totalValue.toFixed(0)} GBP); with a budget cap of half that: wall ${capped.wall.toFixed(0)} / CPU ${capped.cpu.toFixed(0)} ms ` +
      `(${lines(capped.v)} lines, ${capped.v.totalValue.toFixed(0)} GBP)`,
  );
}

// ---------- main ----------

const path = dataFile('retail', 'online_retail_2010_2011.csv');
if (!path) {
  console.log('SKIP: retail/online_retail_2010_2011.csv not found (set SHELFWISE_DATA)');
  process.exit(0);
}
const tLoad = Date.now();
const { series, days, first } = loadOnlineRetail(path);
const start = Math.floor(days / 2);
console.log(`Online Retail: ${series.length} SKUs × ${days} days from ${first}; warm-up ${start} days, simulate ${days - start}; loaded in ${Date.now() - tLoad} ms`);
{
  let simDemand = 0;
  let huge = 0;
  for (const s of series) {
    for (let t = start; t < days; t++) simDemand += s.demand[t];
    for (const [d, q] of s.huge) if (d >= start) huge += q;
  }
  console.log(
    `simulated demand ${simDemand.toFixed(0)} units, of which ${huge} (${pc(huge / simDemand)}) in single lines of ≥ 10,000 units ` +
      `(best possible fill without them ${pc(1 - huge / simDemand)})`,
  );
}
console.log(`SES α = ${SES_ALPHA}; weekly review (R = ${R}), lead time ${L} days, lost sales; min/max from trailing ${MINMAX_WINDOW} days, scale tuned to the same aggregate fill\n`);

const levels = (process.env.LEVELS ?? '0.8,0.9,0.95,0.97,0.99,0.995').split(',').filter(Boolean).map(Number);
const base: Omit<CompareInput, 'service'> = {
  series: series.map((s) => ({ id: s.sku, demand: s.demand, unitCost: s.price })),
  warmup: start,
  leadTime: L,
  review: R,
  forecaster: sesForecast,
  kind: 'rs',
  mode: 'lost_sales',
  orderingCost: ORDER_COST,
  holdingRate: HOLDING_RATE,
  minmax: { window: MINMAX_WINDOW, z: 1.65, tolerance: 0.0005 },
};
const rows: { level: number; r: CompareResult }[] = [];
for (const level of levels) {
  const t = Date.now();
  const x: CompareInput = { ...base, service: { kind: 'csl', level } };
  const r = comparePolicies(x);
  rows.push({ level, r });
  const lbl = `P${(level * 100).toFixed(1).replace(/\.0$/, '')}`;
  console.log(`service ${lbl} (min/max tuned in ${r.policies.minmax.runs} runs; ${Date.now() - t} ms)`);
  console.log(line(`  auto (R,S) from SES`, r.policies.auto));
  console.log(line(`  min/max × ${r.policies.minmax.scale.toFixed(3)}`, r.policies.minmax));
  if (level === 0.95) {
    console.log(line(`  (R,s,S) s=P95, S=s+EOQ`, runSeries({ ...x, kind: 'eoq' }, autoRuleFor({ ...x, kind: 'eoq' }))));
    console.log(line(`  (R,S) fill target 95 %`, runSeries({ ...x, service: { kind: 'fill', level: 0.95 } }, autoRuleFor({ ...x, service: { kind: 'fill', level: 0.95 } }))));
  }
  console.log(`  stock ratio auto / min/max = ${r.stock_ratio.toFixed(3)} (${f1(100 * (1 - r.stock_ratio))} % less)\n`);
}
if (rows.length) {
  console.log('summary (service, fill auto, fill min/max, on hand auto, on hand min/max, ratio, orders auto, orders min/max):');
  for (const { level, r } of rows) {
    const { auto, minmax } = r.policies;
    console.log([level, pc(auto.fill_rate), pc(minmax.fill_rate), f1(auto.avg_on_hand), f1(minmax.avg_on_hand), r.stock_ratio.toFixed(3), auto.orders, minmax.orders].join('\t'));
  }
  const p95 = rows.find((x) => x.level === 0.95);
  if (p95) console.log(`\nJSON at P95: ${JSON.stringify(p95.r, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v))}`);
  if (process.env.PLOT) {
    writeFileSync(
      process.env.PLOT,
      fillStockSvg([
        { name: 'auto (R,S) from SES', points: rows.map(({ r }) => ({ fill: r.policies.auto.fill_rate, stock: r.policies.auto.avg_on_hand })) },
        { name: 'min/max (tuned)', points: rows.map(({ r }) => ({ fill: r.policies.minmax.fill_rate, stock: r.policies.minmax.avg_on_hand })) },
      ], { title: 'Online Retail top 500: fill rate vs average stock (weekly review, lead time 7, lost sales)' }),
    );
    console.log(`plot written to ${process.env.PLOT}`);
  }
}
console.log('');
if (!process.env.SKIP_SPEED) speed(series, days);
