import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { categoryTrends, fromEpochDay, toEpochDay, weekStart, weeklyTopSellers, type SalesRow } from '../domain/reports/index.ts';
import { AppError } from '../errors.ts';
import { DashboardService, type Anchor } from './dashboard.service.ts';
import { optionalLocationId } from '../db/repositories/locations.repository.ts';

/**
 * Reports for the dashboard (weekly top sellers, sales trend by category, inventory value over time).
 * SQL aggregates the ledger to small row sets (SKU × week, category × week, day); the pure functions in
 * src/domain/reports/ rank and shape them. "Today" is the dashboard's anchor (the latest sale date when the data is historical).
 */

const DAY = 86_400_000;

export interface TopSellersReport {
  anchor: Anchor;
  location: string | null;
  n: number;
  weeks: {
    weekStart: string;
    totalQty: number;
    totalRevenue: number;
    top: { rank: number; sku: string; name: string; category: string; qty: number; revenue: number; onHand: number }[];
    /** Items tied at the N-th place that were left out (ties are all listed up to 2 × N rows, else cut at N by SKU). */
    moreTied: number;
  }[];
}

export interface CategoryTrendReport {
  anchor: Anchor;
  location: string | null;
  /** What each series is: a product category or a store (location code, in `category`). */
  by: 'category' | 'store';
  periods: string[];
  categories: { category: string; qty: number[]; revenue: number[]; totalQty: number; totalRevenue: number; recentChange: number | null; growthPerPeriod: number | null }[];
}

export interface InventoryValueReport {
  anchor: Anchor;
  location: string | null;
  days: string[];
  units: number[];
  value: number[];
}

export class ReportsService {
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

  /** Weeks (ISO, Monday start) ending with the anchor's week: [first Monday, day after the anchor). */
  private weekWindow(anchor: Anchor, weeks: number) {
    const today = toEpochDay(anchor.today);
    const first = weekStart(today) - (weeks - 1) * 7;
    return { first, today, start: new Date(first * DAY), end: new Date((today + 1) * DAY) };
  }

  /** Top-N sellers (net units: returns count against the week they are booked in) per week, with current on-hand. */
  async topSellers(weeks: number, n: number, location?: string): Promise<TopSellersReport> {
    const [anchor, lid] = await Promise.all([this.anchor(), this.locationId(location)]);
    const w = this.weekWindow(anchor, weeks);
    const rows = await sql<{ week: string; product_id: number; qty: number; revenue: number }>`
      select to_char(a.w, 'YYYY-MM-DD') as week, a.product_id, a.qty::int as qty, a.revenue::float8 as revenue
      from (${weeklySales(w.start, w.end, lid)}) a`.execute(this.db);
    const sales: SalesRow[] = rows.rows.map((r) => ({ date: r.week, sku: String(r.product_id), qty: Number(r.qty), revenue: Number(r.revenue) }));
    const ranked = weeklyTopSellers(sales, { n, from: w.first, to: w.today });
    // Ties at the N-th place are all listed, unless there are many (a week of single-unit sales ties hundreds).
    const moreTied = new Map<string, number>();
    for (const x of ranked)
      if (x.top.length > Math.max(2 * n, n + 5)) {
        moreTied.set(x.weekStart, x.top.length - n);
        x.top = x.top.slice(0, n);
      }
    const ids = [...new Set(ranked.flatMap((x) => x.top.map((t) => Number(t.sku))))];
    const info = new Map<number, { sku: string; name: string; category: string; onHand: number }>();
    if (ids.length) {
      const ps = await sql<{ id: number; sku: string; name: string; category: string; on_hand: number }>`
        select p.id, p.sku, p.name, p.category,
          coalesce((select sum(s.on_hand) from stock_levels s where s.product_id = p.id ${lid === null ? sql`` : sql`and s.location_id = ${lid}`}), 0)::int as on_hand
        from products p where p.id = any(${ids}::int[])`.execute(this.db);
      for (const p of ps.rows) info.set(Number(p.id), { sku: p.sku, name: p.name, category: p.category, onHand: Number(p.on_hand) });
    }
    const byWeek = new Map(ranked.map((x) => [x.weekStart, x]));
    // Every week of the window, empty ones included, oldest first.
    const out: TopSellersReport['weeks'] = [];
    for (let d = w.first; d <= w.today; d += 7) {
      const x = byWeek.get(fromEpochDay(d));
      out.push({
        weekStart: fromEpochDay(d),
        totalQty: x?.totalQty ?? 0,
        totalRevenue: round2(x?.totalRevenue ?? 0),
        moreTied: moreTied.get(fromEpochDay(d)) ?? 0,
        top: (x?.top ?? []).map((t) => {
          const p = info.get(Number(t.sku))!;
          return { rank: t.rank, sku: p.sku, name: p.name, category: p.category, qty: t.qty, revenue: round2(t.revenue), onHand: p.onHand };
        }),
      });
    }
    return { anchor, location: location ?? null, n, weeks: out };
  }

  /**
   * Net units and revenue per category (or per store: `by = 'store'`, a series per location code) per ISO week,
   * with the last-4 vs previous-4 weeks change and growth per week.
   */
  async categoryTrend(weeks: number, location?: string, by: 'category' | 'store' = 'category'): Promise<CategoryTrendReport> {
    const [anchor, lid] = await Promise.all([this.anchor(), this.locationId(location)]);
    const w = this.weekWindow(anchor, weeks);
    const rows =
      by === 'store'
        ? await sql<{ week: string; category: string; qty: number; revenue: number }>`
      select to_char(date_trunc('week', m.occurred_at at time zone 'UTC'), 'YYYY-MM-DD') as week, l.code as category,
        (-sum(m.qty))::int as qty, coalesce(sum(-m.qty * coalesce(m.unit_price, 0)), 0)::float8 as revenue
      from stock_movements m join locations l on l.id = m.location_id
      where m.kind in ('sale', 'return') and m.occurred_at >= ${w.start} and m.occurred_at < ${w.end} ${lid === null ? sql`` : sql`and m.location_id = ${lid}`}
      group by 1, l.code`.execute(this.db)
        : await sql<{ week: string; category: string; qty: number; revenue: number }>`
      select to_char(a.w, 'YYYY-MM-DD') as week, p.category, sum(a.qty)::int as qty, sum(a.revenue)::float8 as revenue
      from (${weeklySales(w.start, w.end, lid)}) a join products p on p.id = a.product_id
      group by a.w, p.category`.execute(this.db);
    const t = categoryTrends(
      rows.rows.map((r) => ({ date: r.week, sku: '', category: r.category, qty: Number(r.qty), revenue: Number(r.revenue) })),
      { period: 'week', from: w.first, to: w.today },
    );
    const periods = t.periods.length ? t.periods : Array.from({ length: weeks }, (_, i) => fromEpochDay(w.first + i * 7));
    return {
      anchor,
      location: location ?? null,
      by,
      periods,
      categories: t.categories.map((c) => ({
        category: c.category,
        qty: Array.from(c.qty),
        revenue: Array.from(c.revenue, round2),
        totalQty: c.totalQty,
        totalRevenue: round2(c.totalRevenue),
        recentChange: Number.isFinite(c.recentChange) ? c.recentChange : null,
        growthPerPeriod: Number.isFinite(c.growthPerPeriod) ? c.growthPerPeriod : null,
      })),
    };
  }

  /**
   * Units on hand and their value at current unit cost at the end of each day of the window. Walked back from
   * today's stock levels through the per-day net movements (as the overview's stock value), so the last point equals
   * the stock value KPI for the same location.
   */
  async inventoryValue(days: number, location?: string): Promise<InventoryValueReport> {
    const [anchor, lid] = await Promise.all([this.anchor(), this.locationId(location)]);
    const end = new Date(Date.parse(anchor.today) + DAY);
    const start = new Date(end.getTime() - days * DAY);
    const dayList = Array.from({ length: days }, (_, i) => fromEpochDay(Math.round(start.getTime() / DAY) + i));
    const locM = lid === null ? sql`` : sql`and m.location_id = ${lid}`;
    const locS = lid === null ? sql`` : sql`where s.location_id = ${lid}`;
    const [moves, now] = await Promise.all([
      sql<{ day: string; units: number; delta: number }>`
        with m as (select m.product_id, (m.occurred_at at time zone 'UTC')::date as d, sum(m.qty) as q
          from stock_movements m where m.occurred_at >= ${start} ${locM} group by 1, 2)
        select to_char(m.d, 'YYYY-MM-DD') as day, coalesce(sum(m.q), 0)::int as units, coalesce(sum(m.q * p.cost), 0)::float8 as delta
        from m join products p on p.id = m.product_id group by m.d`.execute(this.db),
      sql<{ units: number; value: number }>`
        select coalesce(sum(s.on_hand), 0)::int as units, coalesce(sum(s.on_hand * p.cost), 0)::float8 as value
        from stock_levels s join products p on p.id = s.product_id ${locS}`.execute(this.db),
    ]);
    const byDay = new Map(moves.rows.map((r) => [r.day, r]));
    let u = Number(now.rows[0]?.units ?? 0);
    let v = Number(now.rows[0]?.value ?? 0);
    for (const r of moves.rows)
      if (r.day > anchor.today) {
        u -= Number(r.units);
        v -= Number(r.delta);
      }
    const units = new Array<number>(days);
    const value = new Array<number>(days);
    for (let i = days - 1; i >= 0; i--) {
      units[i] = u;
      value[i] = round2(v);
      const m = byDay.get(dayList[i]);
      u -= Number(m?.units ?? 0);
      v -= Number(m?.delta ?? 0);
    }
    return { anchor, location: location ?? null, days: dayList, units, value };
  }
}

/** Net units and revenue per (ISO week start, product) in [start, end): grouped on raw values, formatted by the caller. */
function weeklySales(start: Date, end: Date, lid: number | null) {
  return sql`
    select date_trunc('week', m.occurred_at at time zone 'UTC') as w, m.product_id,
      -sum(m.qty) as qty, coalesce(sum(-m.qty * coalesce(m.unit_price, 0)), 0) as revenue
    from stock_movements m
    where m.kind in ('sale', 'return') and m.occurred_at >= ${start} and m.occurred_at < ${end}
      ${lid === null ? sql`` : sql`and m.location_id = ${lid}`}
    group by 1, 2`;
}

/** CSV text: a header row, then one row per line (CRLF); formula-looking text is neutralised. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function topSellersCsv(r: TopSellersReport): string {
  return toCsv(
    ['week_start', 'rank', 'sku', 'name', 'category', 'qty', 'revenue', 'on_hand'],
    r.weeks.flatMap((w) => w.top.map((t) => [w.weekStart, t.rank, t.sku, t.name, t.category, t.qty, t.revenue, t.onHand])),
  );
}

export function categoryTrendCsv(r: CategoryTrendReport): string {
  return toCsv(
    ['week_start', r.by === 'store' ? 'store' : 'category', 'qty', 'revenue'],
    r.periods.flatMap((p, i) => r.categories.map((c) => [p, c.category, c.qty[i], c.revenue[i]])),
  );
}

export function inventoryValueCsv(r: InventoryValueReport): string {
  return toCsv(['date', 'units', 'value'], r.days.map((d, i) => [d, r.units[i], r.value[i]]));
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function round2(x: number) {
  return Math.round(x * 100) / 100;
}
