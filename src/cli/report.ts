import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { PlanningReportsService } from '../services/planning-reports.service.ts';
import { PromotionsService } from '../services/promotions.service.ts';
import { forecastVsActualSheets, replenishmentVsForecastSheets, sheetsXlsx, stockoutsSheets, type Sheet } from '../services/report-tables.ts';
import { ReportsService, toCsv } from '../services/reports.service.ts';
import { wasteServiceOf } from '../services/waste.service.ts';
import type { AppServices } from '../services/index.ts';
import { withServices } from './run.ts';

interface Opts {
  weeks?: string;
  days?: string;
  n?: string;
  location?: string;
  from?: string;
  to?: string;
  by?: string;
  limit?: string;
  format: string;
  out?: string;
}
interface Table {
  json: unknown;
  columns: string[];
  rows: unknown[][];
  /** Every table of the report (XLSX writes one sheet each); default: the one above. */
  sheets?: Sheet[];
}

const NAMES = ['top-sellers', 'category-trend', 'inventory-value', 'abc-xyz', 'slow-stock', 'offers', 'promotions', 'forecast-vs-actual', 'replenishment-vs-forecast', 'stockouts'] as const;
const WINDOWED: readonly string[] = ['forecast-vs-actual', 'stockouts'];

function sheeted(json: unknown, sheets: Sheet[]): Table {
  return { json, columns: sheets[0].columns, rows: sheets[0].rows, sheets };
}
type Name = (typeof NAMES)[number];

function int(v: string | undefined, field: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new AppError('invalid', `${field} must be a whole number from ${min} to ${max}`, field);
  return n;
}

async function build(s: AppServices, name: Name, o: Opts): Promise<Table> {
  const db = s.database.db;
  const r = new ReportsService(db);
  const w = wasteServiceOf(s);
  switch (name) {
    case 'top-sellers': {
      const x = await r.topSellers(int(o.weeks, 'weeks', 1, 26) ?? 1, int(o.n, 'n', 1, 50) ?? 5, o.location);
      return { json: x, columns: ['week_start', 'rank', 'sku', 'name', 'category', 'qty', 'revenue', 'on_hand'], rows: x.weeks.flatMap((k) => k.top.map((t) => [k.weekStart, t.rank, t.sku, t.name, t.category, t.qty, t.revenue, t.onHand])) };
    }
    case 'category-trend': {
      if (o.by !== undefined && o.by !== 'category' && o.by !== 'store') throw new AppError('invalid', 'by must be category or store', 'by');
      const x = await r.categoryTrend(int(o.weeks, 'weeks', 2, 104) ?? 12, o.location, (o.by ?? 'category') as 'category' | 'store');
      return { json: x, columns: ['week_start', x.by, 'qty', 'revenue'], rows: x.periods.flatMap((p, i) => x.categories.map((c) => [p, c.category, c.qty[i], c.revenue[i]])) };
    }
    case 'inventory-value': {
      const x = await r.inventoryValue(int(o.days, 'days', 2, 366) ?? 90, o.location);
      return { json: x, columns: ['date', 'units', 'value'], rows: x.days.map((d, i) => [d, x.units[i], x.value[i]]) };
    }
    case 'abc-xyz': {
      const x = await w.classification({ location: o.location, limit: 1_000_000 });
      return { json: x, columns: ['sku', 'name', 'category', 'location', 'abc', 'xyz', 'revenue', 'cv', 'on_hand', 'stock_value'], rows: x.items.map((i) => [i.sku, i.name, i.category, i.location, i.abc, i.xyz, i.revenue, i.cv, i.onHand, i.stockValue]) };
    }
    case 'slow-stock': {
      const x = await w.slowStock({ location: o.location, limit: 1_000_000 });
      const cols = ['sku', 'name', 'category', 'location', 'abc', 'xyz', 'status', 'onHand', 'daysSinceLastSale', 'dailyDemand', 'daysOfCover', 'sellThrough', 'avgAgeDays', 'excessUnits', 'tiedUpValue', 'stockValue'] as const;
      return { json: x, columns: [...cols], rows: x.items.map((i) => cols.map((k) => i[k])) };
    }
    case 'offers': {
      const x = await w.offers({ location: o.location, days: int(o.days, 'days', 1, 365), limit: 1_000_000 });
      return {
        json: x,
        columns: ['sku', 'name', 'location', 'excess', 'daily_demand', 'depth', 'offer_price', 'uplift', 'clear_units', 'cleared_units', 'revenue', 'baseline_revenue', 'cannot_clear', 'elasticity', 'elasticity_source'],
        rows: x.offers.map((f) => [f.sku, f.name, f.location, f.excessUnits, f.dailyDemand, f.depth, f.offerPrice, f.uplift, f.clearUnits, f.clearedUnits, f.revenue, f.baseline.revenue, f.cannotClear, f.elasticity, f.elasticitySource]),
      };
    }
    case 'promotions': {
      const x = await new PromotionsService(db, w).list();
      return {
        json: x,
        columns: ['id', 'name', 'sku', 'category', 'kind', 'value', 'starts_on', 'ends_on', 'status', 'accepted_by', 'units_per_day', 'baseline_per_day', 'uplift', 'expected_uplift'],
        rows: x.map((p) => [p.id, p.name, p.sku, p.category, p.kind, p.value, p.startsOn, p.endsOn, p.status, p.acceptedBy, p.results.unitsPerDay, p.results.baselinePerDay, p.results.uplift, p.results.expectedUplift]),
      };
    }
    case 'forecast-vs-actual': {
      const x = await new PlanningReportsService(db).forecastVsActual({ from: o.from, to: o.to, weeks: int(o.weeks, 'weeks', 1, 104), location: o.location, limit: int(o.limit, 'limit', 1, 1_000_000) ?? 1_000_000 });
      return sheeted(x, forecastVsActualSheets(x));
    }
    case 'replenishment-vs-forecast': {
      const x = await new PlanningReportsService(db).replenishmentVsForecast({ location: o.location, limit: int(o.limit, 'limit', 1, 1_000_000) ?? 1_000_000 });
      return sheeted(x, replenishmentVsForecastSheets(x));
    }
    case 'stockouts': {
      const x = await new PlanningReportsService(db).stockouts({ from: o.from, to: o.to, weeks: int(o.weeks, 'weeks', 1, 104), location: o.location, limit: int(o.limit, 'limit', 1, 1_000_000) ?? 1_000_000 });
      return sheeted(x, stockoutsSheets(x));
    }
  }
}

/** `shelfwise report NAME`: the dashboard's reports and the waste lists as JSON, CSV or XLSX. */
export function reportCommand(program: Command) {
  program
    .command('report <name>')
    .description(`print or save a report: ${NAMES.join(', ')} (windows end at the dashboard's "today")`)
    .option('--weeks <n>', 'weeks (top-sellers: 1; category-trend: 12; forecast-vs-actual and stockouts without --from: 8)')
    .option('--days <n>', 'days (inventory-value: 90; offers: days to the target date, 56)')
    .option('--n <n>', 'top N (top-sellers, default 5)')
    .option('--location <code>', 'only this location')
    .option('--from <date>', 'first day YYYY-MM-DD (forecast-vs-actual, stockouts; default: 8 weeks before --to)')
    .option('--to <date>', 'last day YYYY-MM-DD (forecast-vs-actual, stockouts; default: "today")')
    .option('--by <what>', 'category-trend: category | store', 'category')
    .option('--limit <n>', 'items listed (forecast-vs-actual, replenishment-vs-forecast, stockouts; default all)')
    .option('--format <f>', 'json | csv | xlsx', 'csv')
    .option('-o, --out <file>', 'write to a file (needed for xlsx)')
    .action(async (name: string, o: Opts) => {
      if (!(NAMES as readonly string[]).includes(name)) throw new AppError('invalid', `unknown report ${name}: one of ${NAMES.join(', ')}`, 'name');
      if (!['json', 'csv', 'xlsx'].includes(o.format)) throw new AppError('invalid', 'format must be json, csv or xlsx', 'format');
      if (o.format === 'xlsx' && !o.out) throw new AppError('invalid', 'xlsx needs --out FILE', 'out');
      if ((o.from !== undefined || o.to !== undefined) && !WINDOWED.includes(name)) throw new AppError('invalid', `--from/--to apply to ${WINDOWED.join(' and ')}; ${name} takes --weeks or --days`, 'from');
      await withServices(async (s) => {
        const t = await build(s, name as Name, o);
        if (o.format === 'xlsx') {
          writeFileSync(o.out!, await sheetsXlsx(t.sheets ?? [{ name, columns: t.columns, rows: t.rows }]));
          console.log(`wrote ${o.out} (${t.rows.length} rows)`);
          return;
        }
        const text = o.format === 'json' ? JSON.stringify(t.json, null, 2) + '\n' : toCsv(t.columns, t.rows);
        if (o.out) {
          writeFileSync(o.out, text);
          console.log(`wrote ${o.out} (${t.rows.length} rows)`);
        } else process.stdout.write(text);
      });
    });
}
