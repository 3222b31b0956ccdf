/**
 * `shelfwise replenish simulate`: replay a sales history with lost sales, the forecast-driven policy ("auto")
 * against a classic min/max tuned to the same fill rate (src/domain/replenishment/compare.ts).
 * Reads the import's sales format (date, sku, qty, price, order) or the UCI Online Retail columns
 * (InvoiceDate, StockCode, Quantity, UnitPrice, InvoiceNo; "C…" cancellations and quantities ≤ 0 left out).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { aggregate, dayToIso, type Freq } from '../domain/forecasting/index.ts';
import { autoRuleFor, comparePolicies, fillStockSvg, minMaxRuleFor, runSeries, sesForecaster, type CompareInput, type PolicyKind } from '../domain/replenishment/index.ts';
import { AppError } from '../errors.ts';
import { readTable } from '../services/import/readers.ts';

const FREQ: Record<string, Freq> = { d: 'D', day: 'D', daily: 'D', w: 'W', week: 'W', weekly: 'W', m: 'M', month: 'M', monthly: 'M' };
const PER_YEAR: Record<Freq, number> = { D: 365, W: 52, M: 12 };
const pick = (v: Record<string, string>, ...keys: string[]) => keys.map((k) => v[k]).find((x) => x !== undefined);

function num(v: string | undefined, field: string, opts: { min?: number; max?: number; int?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max))
    throw new AppError('invalid', `${field} must be a ${opts.int ? 'whole ' : ''}number${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` and ≤ ${opts.max}` : ''}`, field);
  return n;
}

export async function readSalesSeries(file: string, freq: Freq, top?: number) {
  const by = new Map<string, { days: Map<number, number>; units: number; prices: number[] }>();
  let lo = Infinity;
  let hi = -Infinity;
  let rows = 0;
  for await (const row of readTable(file)) {
    const v = row.values;
    const order = pick(v, 'order', 'invoiceno', 'invoice');
    if (order?.startsWith('C')) continue;
    const date = pick(v, 'date', 'invoicedate');
    const sku = pick(v, 'sku', 'stockcode');
    const qty = Number(pick(v, 'qty', 'quantity'));
    if (!date || !sku || !(qty > 0)) continue;
    const t = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(date) ? '' : 'Z'));
    if (!Number.isFinite(t)) continue;
    const day = Math.floor(t / 86_400_000);
    lo = Math.min(lo, day);
    hi = Math.max(hi, day);
    let s = by.get(sku);
    if (!s) by.set(sku, (s = { days: new Map(), units: 0, prices: [] }));
    s.days.set(day, (s.days.get(day) ?? 0) + qty);
    s.units += qty;
    const p = Number(pick(v, 'price', 'unitprice'));
    if (p > 0 && s.prices.length < 200) s.prices.push(p);
    rows++;
  }
  if (rows === 0) throw new AppError('invalid', `no sales rows in ${file} (columns date, sku, qty; or InvoiceDate, StockCode, Quantity)`, 'sales');
  const chosen = [...by.entries()].sort((a, b) => b[1].units - a[1].units || (a[0] < b[0] ? -1 : 1)).slice(0, top ?? by.size);
  const n = hi - lo + 1;
  return chosen.map(([sku, s]) => {
    const daily = new Float64Array(n);
    for (const [d, q] of s.days) daily[d - lo] += q;
    const demand = freq === 'D' ? daily : aggregate(daily, freq, dayToIso(lo)).values;
    const ps = s.prices.sort((a, b) => a - b);
    return { id: sku, demand, unitCost: ps.length ? ps[ps.length >> 1] : 1 };
  });
}

export function simulateCommand(cmd: Command) {
  cmd
    .command('simulate')
    .description('replay a sales history with lost sales: the forecast-driven policy vs a min/max tuned to the same fill rate')
    .requiredOption('--sales <file>', 'sales CSV/XLSX (import format, or the UCI Online Retail columns)')
    .option('--freq <freq>', 'day|week|month', 'day')
    .requiredOption('--lead-time <L>', 'lead time in periods of --freq')
    .option('--lead-time-sd <s>', 'lead-time standard deviation in periods', '0')
    .option('--service <level>', 'target cycle service level', '0.95')
    .option('--policy <kind>', 'auto|minmax|rop|rs|eoq (auto = order-up-to from forecasts)', 'auto')
    .option('--review <R>', 'review period in periods (default: 7 days, 1 week or 1 month)')
    .option('--top <N>', 'keep the N SKUs with the most units sold')
    .option('--warmup <periods>', 'periods used only for training (default: the first half)')
    .option('--ordering-cost <K>', 'cost per order line', '20')
    .option('--holding-rate <h>', 'annual holding cost as a share of unit cost', '0.25')
    .option('--alpha <a>', 'smoothing of the SES forecaster', '0.1')
    .option('--plot <file>', 'write an SVG of fill rate against average stock for a sweep of service levels')
    .option('--json', 'print one JSON object')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const freq = FREQ[String(o.freq).toLowerCase()];
      if (!freq) throw new AppError('invalid', 'freq must be day, week or month', 'freq');
      const kinds: Record<string, PolicyKind> = { auto: 'rs', rs: 'rs', rop: 'rop', eoq: 'eoq', minmax: 'minmax' };
      const kind = kinds[String(o.policy)];
      if (!kind) throw new AppError('invalid', 'policy must be auto, minmax, rop, rs or eoq', 'policy');
      const leadTime = num(o.leadTime as string, 'lead-time', { min: 0 })!;
      const service = num(o.service as string, 'service', { min: 0.5, max: 0.999 })!;
      const review = num(o.review as string | undefined, 'review', { min: 1 }) ?? { D: 7, W: 1, M: 1 }[freq];
      const top = num(o.top as string | undefined, 'top', { min: 1, int: true });
      const alpha = num(o.alpha as string, 'alpha', { min: 0.001, max: 1 })!;
      const series = await readSalesSeries(String(o.sales), freq, top);
      const x: CompareInput = {
        series,
        warmup: num(o.warmup as string | undefined, 'warmup', { min: 1, int: true }),
        leadTime,
        leadTimeSd: num(o.leadTimeSd as string, 'lead-time-sd', { min: 0 }),
        review,
        service: { kind: 'csl', level: service },
        forecaster: sesForecaster(alpha),
        kind,
        orderingCost: num(o.orderingCost as string, 'ordering-cost', { min: 0 }),
        holdingRate: num(o.holdingRate as string, 'holding-rate', { min: 0 }),
        periodsPerYear: PER_YEAR[freq],
        seed: 1,
      };
      const t0 = performance.now();
      const r = comparePolicies(x);
      const label = String(o.policy);
      const out = { series: r.series, periods: r.periods, policies: { [label === 'minmax' ? 'minmax_forecast' : label]: r.policies.auto, minmax: r.policies.minmax }, stock_ratio: round4(r.stock_ratio), seconds: round4((performance.now() - t0) / 1000) };
      if (o.plot) {
        const levels = [0.8, 0.9, 0.95, 0.97, 0.99];
        const auto = levels.map((l) => runSeries(x, autoRuleFor({ ...x, service: { kind: 'csl', level: l } })));
        const mm = [0.5, 0.75, 1, 1.5, 2, 3].map((s) => runSeries(x, minMaxRuleFor(x, s * r.policies.minmax.scale)));
        writeFileSync(
          String(o.plot),
          fillStockSvg(
            [
              { name: `${label} (P80…P99)`, points: auto.map((m) => ({ fill: m.fill_rate, stock: m.avg_on_hand })) },
              { name: 'min/max (scaled)', points: mm.map((m) => ({ fill: m.fill_rate, stock: m.avg_on_hand })) },
            ],
            { title: `${r.series} SKUs, lead time ${leadTime}, review ${review} (${freq})` },
          ),
        );
      }
      if (o.json) return console.log(JSON.stringify(out));
      const a = r.policies.auto;
      const m = r.policies.minmax;
      console.log(`${r.series} SKUs, ${r.periods} simulated periods (${freq}), lead time ${leadTime}, review ${review}, service P${Math.round(service * 1000) / 10}`);
      for (const [name, p] of [[label, a], ['min/max (tuned)', m]] as const)
        console.log(`${name.padEnd(16)} fill ${(p.fill_rate * 100).toFixed(2)} %  cycle service ${(p.cycle_service * 100).toFixed(2)} %  avg on hand ${p.avg_on_hand.toFixed(1)}  stockout periods ${p.stockout_periods}  orders ${p.orders}  holding ${p.holding_cost.toFixed(0)}  ordering ${p.ordering_cost.toFixed(0)}`);
      console.log(`${label} holds ${((1 - r.stock_ratio) * 100).toFixed(1)} % ${r.stock_ratio <= 1 ? 'less' : 'MORE'} stock than min/max at the same fill rate (ratio ${r.stock_ratio.toFixed(3)})`);
      if (o.plot) console.log(`plot written to ${o.plot}`);
    });
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
