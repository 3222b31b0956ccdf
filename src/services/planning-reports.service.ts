import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { forecastVsActual, fromEpochDay, planVsForecast, stockouts, toEpochDay, weekStart, type ActualSales, type ItemAccuracy, type StoredForecast, type ItemStockouts, type PlanVsForecast, type StockoutReport, type WeekAccuracy } from '../domain/reports/index.ts';
import { AppError } from '../errors.ts';
import { DashboardService, type Anchor } from './dashboard.service.ts';
import { optionalLocationId } from '../db/repositories/locations.repository.ts';
import { parseNumberList } from '../db/number-list.ts';

/**
 * The planning reports (issue 6): forecast vs actual, replenishment (ROP / EOQ) vs forecast demand, stockouts with
 * the lost-sales estimate. SQL reads compact per-item rows (forecast arrays sliced to the days they are in force,
 * per-item daily arrays of the ledger); the pure functions in src/domain/reports/ do the arithmetic.
 * Windows default to the 8 ISO weeks ending with the dashboard's "today" (the latest sale when the data is historical).
 */

const DAY = 86_400_000;
/** Longest window a report reads (a little over two years of days). */
export const MAX_WINDOW_DAYS = 800;

export interface Window {
  from: string;
  to: string;
  /** Without `from`: this many ISO weeks ending with the week of `to` (default 8). */
  weeks: number;
}

export interface ForecastVsActualReport {
  anchor: Anchor;
  location: string | null;
  from: string;
  to: string;
  /** Forecast runs with a forecast in force in the window. */
  runs: { id: number; asOf: string | null; series: number }[];
  weeks: WeekAccuracy[];
  totals: ReturnType<typeof forecastVsActual>['totals'];
  unscoredSalesDays: number;
  items: (Omit<ItemAccuracy, 'key'> & { sku: string; name: string; location: string })[];
  itemCount: number;
}

export interface ReplenishmentVsForecastReport {
  anchor: Anchor;
  location: string | null;
  /** The replenishment run the plans come from (null when none ran). */
  runId: number | null;
  totals: { items: number; withForecast: number; belowReorderPoint: number; leadTimeDemand: number; reorderPoint: number; onHand: number };
  items: (Omit<PlanVsForecast, 'key'> & { sku: string; name: string; location: string; kind: string; leadTimeDays: number; forecastFrom: string | null })[];
  itemCount: number;
}

export interface StockoutsReport {
  anchor: Anchor;
  location: string | null;
  from: string;
  to: string;
  lookbackDays: number;
  weeks: StockoutReport['weeks'];
  totals: StockoutReport['totals'];
  items: (Omit<ItemStockouts, 'key'> & { sku: string; name: string; location: string; price: number; onHand: number })[];
  itemCount: number;
}

export class PlanningReportsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private anchor() {
    return new DashboardService(this.db, this.now).anchor();
  }

  private locationId(code: string | undefined): Promise<number | null> {
    return optionalLocationId(this.db, code);
  }

  /** [from, to] as epoch days: defaults to the 8 ISO weeks ending with the anchor day. */
  window(anchor: Anchor, w: Partial<Window>): { from: number; to: number } {
    const to = w.to ? day(w.to, 'to') : toEpochDay(anchor.today);
    const from = w.from ? day(w.from, 'from') : weekStart(to) - 7 * ((w.weeks ?? 8) - 1);
    if (from > to) throw new AppError('invalid', 'from must be on or before to', 'from');
    if (to - from + 1 > MAX_WINDOW_DAYS) throw new AppError('invalid', `the window is at most ${MAX_WINDOW_DAYS} days`, 'from');
    return { from, to };
  }

  /** Stored daily forecasts vs net units sold, per week and per item (worst first, `limit` items). */
  async forecastVsActual(opts: Partial<Window> & { location?: string; limit?: number } = {}): Promise<ForecastVsActualReport> {
    const [anchor, lid] = await Promise.all([this.anchor(), this.locationId(opts.location)]);
    const { from, to } = this.window(anchor, opts);
    const loc = lid === null ? sql`` : sql`and location_id = ${lid}`;
    const fromIso = fromEpochDay(from);
    const toIso = fromEpochDay(to);
    // Each forecast sliced to the window and to the days before the item's next forecast starts (it is in force
    // until then), so each item-day is read once however many runs are kept. The slices come back as one text (see
    // number-list.ts). With a year of weekly forecasts of every item (1.4 M item-days) the plan matters: the window
    // function sorts only the keys (x, materialized; sorting the rows with their arrays spilled to disk), and the
    // slices join back by a hash join (the planner underestimates the rows and chose 200k index lookups, 1.4 s).
    const inWindow = sql`freq = 'D' and start_date <= ${toIso}::date and start_date + cardinality(mean) > ${fromIso}::date ${loc}`;
    const slices = async (q: Kysely<DB>) => {
      await sql`set local enable_nestloop = off`.execute(q);
      await sql`set local work_mem = '32MB'`.execute(q);
      try {
        return await sql<{ t: string | null }>`
          with x as materialized (
            select product_id, location_id, run_id, start_date, cardinality(mean) as n from forecasts where ${inWindow}
          ), k as (
            select x.*, lead(start_date) over (partition by product_id, location_id order by start_date, run_id) as next_start from x
          ), s as (
            select product_id, location_id, run_id, start_date, greatest(1, ${fromIso}::date - start_date + 1) as lo,
              least(n, ${toIso}::date - start_date + 1, coalesce(next_start - start_date, n)) as hi
            from k)
          select string_agg(s.product_id || ' ' || s.location_id || ' ' || s.run_id || ' ' || ((s.start_date - date '1970-01-01') + s.lo - 1) || ' ' ||
            (s.hi - s.lo + 1) || ' ' || array_to_string(f.mean[s.lo:s.hi], ' ') || ' ' || array_to_string(f.p50[s.lo:s.hi], ' ') || ' ' ||
            array_to_string(f.p80[s.lo:s.hi], ' '), ' ') as t
          from s join forecasts f on f.product_id = s.product_id and f.location_id = s.location_id and f.freq = 'D' and f.run_id = s.run_id
          where s.hi >= s.lo`.execute(q);
      } finally {
        // A caller's own transaction goes on after this query: the defaults back (our own transaction just ends;
        // after a failed query the transaction is aborted and the original error is the one to see).
        if (this.db.isTransaction) {
          await sql`set local enable_nestloop to default`.execute(q).catch(() => {});
          await sql`set local work_mem to default`.execute(q).catch(() => {});
        }
      }
    };
    const [fcText, actText] = await Promise.all([
      this.db.isTransaction ? slices(this.db) : this.db.transaction().execute(slices),
      // Net units sold of the items with a forecast, only over the days their forecasts span, from ledger_daily
      // (kept by a trigger on the ledger; index range scans per item).
      sql<{ t: string | null }>`
        with i as (
          select product_id, location_id, greatest(min(start_date), ${fromIso}::date) as lo, least(max(start_date + cardinality(mean)), ${fromEpochDay(to + 1)}::date) as hi
          from forecasts where ${inWindow}
          group by product_id, location_id)
        select string_agg(g.product_id || ' ' || g.location_id || ' ' || (g.day - date '1970-01-01') || ' ' || g.net, ' ') as t
        from i join ledger_daily g on g.product_id = i.product_id and g.location_id = i.location_id and g.day >= i.lo and g.day < i.hi
        where g.sale_rows > 0`.execute(this.db),
    ]);
    const fc = forecastSlices(fcText.rows[0]?.t ?? null);
    const act: ActualSales[] = [];
    const a = actText.rows[0]?.t ? parseNumberList(actText.rows[0].t) : new Float64Array(0);
    for (let j = 0; j + 3 < a.length; j += 4) act.push({ key: `${a[j]}:${a[j + 1]}`, day: a[j + 2], qty: a[j + 3] });
    const r = forecastVsActual(fc, act, from, to);
    const runIds = [...new Set(fc.map((f) => f.order))];
    const runs = runIds.length
      ? (await this.db.selectFrom('forecast_runs').select(['id', 'as_of', 'series']).where('id', 'in', runIds).orderBy('id').execute()).map((x) => ({ id: x.id, asOf: x.as_of, series: x.series }))
      : [];
    const shown = r.items.slice(0, opts.limit ?? 50);
    const names = await this.names(shown.map((i) => i.key));
    return {
      anchor,
      location: opts.location ?? null,
      from: fromIso,
      to: toIso,
      runs,
      weeks: r.weeks.map((w) => ({ ...w, actual: round2(w.actual), forecast: round2(w.forecast), p50: round2(w.p50), p80: round2(w.p80), absError: round2(w.absError) })),
      totals: { ...r.totals, forecast: round2(r.totals.forecast), mae: r4(r.totals.mae), bias: r4(r.totals.bias), wmape: r4(r.totals.wmape), coverage80: r4(r.totals.coverage80) },
      unscoredSalesDays: r.unscoredSalesDays,
      items: shown.map(({ key, ...i }) => ({
        ...names.get(key)!,
        ...i,
        forecast: round2(i.forecast),
        p50: round2(i.p50),
        absError: round2(i.absError),
        mae: r4(i.mae)!,
        bias: r4(i.bias)!,
        wmape: r4(i.wmape),
        coverage80: r4(i.coverage80)!,
      })),
      itemCount: r.items.length,
    };
  }

  /** The latest replenishment plans next to the latest daily forecast: ROP, EOQ and order-up-to vs lead-time demand. */
  async replenishmentVsForecast(opts: { location?: string; limit?: number } = {}): Promise<ReplenishmentVsForecastReport> {
    const [anchor, lid] = await Promise.all([this.anchor(), this.locationId(opts.location)]);
    const rows = await sql<{
      product_id: number; location_id: number; sku: string; name: string; code: string; kind: string; run_id: number; reorder_point: string; order_up_to: string; eoq: string | null;
      safety_stock: string; inventory_position: number; lead: string | null; on_hand: number | null; mean: number[] | null; start_date: string | null;
    }>`
      select pl.product_id, pl.location_id, p.sku, p.name, l.code, pl.kind, pl.run_id, pl.reorder_point, pl.order_up_to, pl.eoq, pl.safety_stock, pl.inventory_position,
        s.lead_time_days as lead, st.on_hand, f.mean, to_char(f.start_date, 'YYYY-MM-DD') as start_date
      from replenishment_plans pl
      join products p on p.id = pl.product_id join locations l on l.id = pl.location_id
      left join suppliers s on s.id = pl.supplier_id
      left join stock_levels st on st.product_id = pl.product_id and st.location_id = pl.location_id
      left join lateral (select g.mean, g.start_date from forecasts g where g.product_id = pl.product_id and g.location_id = pl.location_id and g.freq = 'D' order by g.run_id desc limit 1) f on true
      ${lid === null ? sql`` : sql`where pl.location_id = ${lid}`}`.execute(this.db);
    const byKey = new Map(rows.rows.map((r) => [`${r.product_id}:${r.location_id}`, r]));
    const plans = planVsForecast(
      rows.rows.map((r) => ({
        key: `${r.product_id}:${r.location_id}`,
        mean: r.mean ?? [],
        leadTimeDays: Number(r.lead ?? 0),
        reorderPoint: Number(r.reorder_point),
        orderUpTo: Number(r.order_up_to),
        eoq: r.eoq === null ? null : Number(r.eoq),
        safetyStock: Number(r.safety_stock),
        onHand: Number(r.on_hand ?? 0),
        inventoryPosition: Number(r.inventory_position),
      })),
    );
    plans.sort((a, b) => b.dailyDemand - a.dailyDemand || b.reorderPoint - a.reorderPoint || (a.key < b.key ? -1 : 1));
    const totals = { items: plans.length, withForecast: 0, belowReorderPoint: 0, leadTimeDemand: 0, reorderPoint: 0, onHand: 0 };
    for (const p of plans) {
      if (byKey.get(p.key)!.mean) totals.withForecast++;
      if (p.belowReorderPoint) totals.belowReorderPoint++;
      totals.leadTimeDemand += p.leadTimeDemand;
      // A plan's numbers can be NaN (numeric 'NaN' stored by a replenishment run): shown as null, left out of the sum.
      if (Number.isFinite(p.reorderPoint)) totals.reorderPoint += p.reorderPoint;
      totals.onHand += p.onHand;
    }
    totals.leadTimeDemand = round2(totals.leadTimeDemand);
    totals.reorderPoint = round2(totals.reorderPoint);
    return {
      anchor,
      location: opts.location ?? null,
      runId: rows.rows.length ? Math.max(...rows.rows.map((r) => r.run_id)) : null,
      totals,
      items: plans.slice(0, opts.limit ?? 50).map(({ key, ...p }) => {
        const r = byKey.get(key)!;
        return {
          sku: r.sku,
          name: r.name,
          location: r.code,
          kind: r.kind,
          leadTimeDays: Number(r.lead ?? 0),
          forecastFrom: r.start_date,
          ...p,
          dailyDemand: r4(p.dailyDemand)!,
          leadTimeDemand: round2(p.leadTimeDemand),
          ropMargin: round2(p.ropMargin),
          eoqDays: p.eoqDays === null ? null : round2(p.eoqDays),
          daysOfCover: p.daysOfCover === null ? null : round2(p.daysOfCover),
        };
      }),
      itemCount: plans.length,
    };
  }

  /** Days out of stock per item from the ledger and the sales lost meanwhile (recent demand rate × days × price). */
  async stockouts(opts: Partial<Window> & { location?: string; limit?: number; lookbackDays?: number } = {}): Promise<StockoutsReport> {
    const [anchor, lid] = await Promise.all([this.anchor(), this.locationId(opts.location)]);
    const { from, to } = this.window(anchor, opts);
    const lookback = opts.lookbackDays ?? 28;
    const start = fromEpochDay(from - lookback);
    // Per item: its days with movements from the lookback on (up to now: on hand is walked back from today's level),
    // from ledger_daily (migration 0014: the ledger's per-day summary kept by a trigger) instead of grouping every
    // movement since the lookback here.
    const rows = await sql<{ product_id: number; location_id: number; on_hand: number; price: string | null; days: number[]; sold: number[]; delta: number[] }>`
      with a as (
        select product_id, location_id, array_agg(day - date '1970-01-01' order by day) as days, array_agg(sold order by day) as sold, array_agg(delta order by day) as delta
        from ledger_daily where day >= ${start}::date ${lid === null ? sql`` : sql`and location_id = ${lid}`}
        group by product_id, location_id having bool_or(sold > 0 and day <= date '1970-01-01' + ${to}::int))
      select a.product_id, a.location_id, s.on_hand, p.price, a.days, a.sold, a.delta
      from a join stock_levels s on s.product_id = a.product_id and s.location_id = a.location_id join products p on p.id = a.product_id`.execute(this.db);
    const r = stockouts(
      rows.rows.map((x) => ({ key: `${x.product_id}:${x.location_id}`, price: Number(x.price ?? 0), onHand: Number(x.on_hand), days: x.days.map(Number), sold: x.sold.map(Number), delta: x.delta.map(Number) })),
      from,
      to,
      lookback,
    );
    const meta = new Map(rows.rows.map((x) => [`${x.product_id}:${x.location_id}`, { price: Number(x.price ?? 0), onHand: Number(x.on_hand) }]));
    const shown = r.items.slice(0, opts.limit ?? 50);
    const names = await this.names(shown.map((i) => i.key));
    return {
      anchor,
      location: opts.location ?? null,
      from: fromEpochDay(from),
      to: fromEpochDay(to),
      lookbackDays: lookback,
      weeks: r.weeks.map((w) => ({ ...w, lostUnits: round2(w.lostUnits), lostValue: round2(w.lostValue) })),
      totals: { ...r.totals, lostUnits: round2(r.totals.lostUnits), lostValue: round2(r.totals.lostValue) },
      items: shown.map(({ key, ...i }) => ({ ...names.get(key)!, ...meta.get(key)!, ...i, dailyDemand: r4(i.dailyDemand)!, lostUnits: round2(i.lostUnits), lostValue: round2(i.lostValue) })),
      itemCount: r.items.length,
    };
  }

  /** SKU, name and location code of item keys `${productId}:${locationId}`. */
  private async names(keys: string[]) {
    const out = new Map<string, { sku: string; name: string; location: string }>();
    if (!keys.length) return out;
    const pids = [...new Set(keys.map((k) => Number(k.split(':')[0])))];
    const lids = [...new Set(keys.map((k) => Number(k.split(':')[1])))];
    const [ps, ls] = await Promise.all([
      this.db.selectFrom('products').select(['id', 'sku', 'name']).where('id', 'in', pids).execute(),
      this.db.selectFrom('locations').select(['id', 'code']).where('id', 'in', lids).execute(),
    ]);
    const p = new Map(ps.map((x) => [x.id, x]));
    const l = new Map(ls.map((x) => [x.id, x.code]));
    for (const k of keys) {
      const [pid, lid] = k.split(':').map(Number);
      out.set(k, { sku: p.get(pid)?.sku ?? '?', name: p.get(pid)?.name ?? '?', location: l.get(lid) ?? '?' });
    }
    return out;
  }
}

function day(v: string, field: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new AppError('invalid', `${field} must be a date YYYY-MM-DD`, field);
  return Math.round(Date.parse(`${v}T00:00:00Z`) / DAY);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1e4) / 1e4);

/** The forecast slices of forecastVsActual's text: per slice product, location, run, first day, n, then n means, n P50s, n P80s. */
function forecastSlices(t: string | null): StoredForecast[] {
  const out: StoredForecast[] = [];
  if (!t) return out;
  const v = parseNumberList(t);
  for (let j = 0; j + 4 < v.length; ) {
    const n = v[j + 4];
    const at = j + 5;
    out.push({ key: `${v[j]}:${v[j + 1]}`, order: v[j + 2], startDay: v[j + 3], mean: v.subarray(at, at + n), p50: v.subarray(at + n, at + 2 * n), p80: v.subarray(at + 2 * n, at + 3 * n) });
    j = at + 3 * n;
  }
  return out;
}
