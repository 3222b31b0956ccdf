import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { StockQueryService, type InventoryQuery } from './stock-query.service.ts';
import { inTransaction } from './transaction.ts';

const DAY = 86_400_000;
/** Data whose latest sale is older than this is treated as historical (the demo store is 2010-2011). */
const HISTORICAL_AFTER_DAYS = 7;

export interface Anchor {
  /** The day the dashboard calls "today" (UTC date, YYYY-MM-DD). */
  today: string;
  /** True when "today" is the latest sale date of historical data rather than the real date. */
  historical: boolean;
  latestSaleAt: string | null;
}

/** Read models for the web dashboard: daily series, sparklines, product history, CSV of the inventory view. */
export class DashboardService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** "Today": the real date, or the latest sale's date when the data is historical. */
  async anchor(): Promise<Anchor> {
    const r = await this.db.selectFrom('sales').select(sql<Date | null>`max(occurred_at)`.as('latest')).executeTakeFirst();
    const latest = r?.latest ? new Date(r.latest) : null;
    const now = this.now();
    const historical = latest !== null && now.getTime() - latest.getTime() > HISTORICAL_AFTER_DAYS * DAY;
    const today = utcDay(historical ? latest! : now);
    return { today, historical, latestSaleAt: latest ? latest.toISOString() : null };
  }

  /** Sales per day and stock value per day for the `days` days up to the anchor day. */
  async overview(days: number) {
    const anchor = await this.anchor();
    const end = new Date(Date.parse(anchor.today) + DAY); // exclusive
    const start = new Date(end.getTime() - days * DAY);
    const dayList = Array.from({ length: days }, (_, i) => utcDay(new Date(start.getTime() + i * DAY)));
    const [sales, moves, value] = await Promise.all([
      sql<{ day: string; orders: number; revenue: number }>`
        select to_char((occurred_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as orders, coalesce(sum(total), 0)::float8 as revenue
        from sales where occurred_at >= ${start} and occurred_at < ${end} group by (occurred_at at time zone 'UTC')::date`.execute(this.db),
      // Net stock change (at current cost) per day from the anchor window onwards, to walk the value back in time.
      sql<{ day: string; units: number; delta: number }>`
        with m as (
          select product_id, (occurred_at at time zone 'UTC')::date as d, sum(qty) as q,
            sum(case when kind = 'sale' then -qty when kind = 'return' then qty else 0 end) as units
          from stock_movements where occurred_at >= ${start} group by 1, 2)
        select to_char(m.d, 'YYYY-MM-DD') as day, coalesce(sum(m.units), 0)::int as units, coalesce(sum(m.q * p.cost), 0)::float8 as delta
        from m join products p on p.id = m.product_id group by m.d`.execute(this.db),
      sql<{ value: number }>`select coalesce(sum(s.on_hand * p.cost), 0)::float8 as value from stock_levels s join products p on p.id = s.product_id`.execute(this.db),
    ]);
    const byDay = new Map(sales.rows.map((r) => [r.day, r]));
    const moveByDay = new Map(moves.rows.map((r) => [r.day, r]));
    // Value at the end of day d = current value − net change of every later day.
    let later = 0;
    for (const r of moves.rows) if (r.day > anchor.today) later += Number(r.delta);
    const stockValue: number[] = new Array(days);
    let v = Number(value.rows[0]?.value ?? 0) - later;
    for (let i = days - 1; i >= 0; i--) {
      stockValue[i] = round2(v);
      v -= Number(moveByDay.get(dayList[i])?.delta ?? 0);
    }
    const orders = dayList.map((d) => byDay.get(d)?.orders ?? 0);
    const revenue = dayList.map((d) => round2(byDay.get(d)?.revenue ?? 0));
    const units = dayList.map((d) => moveByDay.get(d)?.units ?? 0);
    const last = days - 1;
    const weekAgo = days - 8;
    return {
      anchor,
      days: dayList,
      orders,
      revenue,
      units,
      stockValue,
      today: { orders: orders[last], revenue: revenue[last] },
      sameWeekdayLastWeek: weekAgo >= 0 ? { orders: orders[weekAgo], revenue: revenue[weekAgo] } : null,
    };
  }

  /** Units sold per week over the last `weeks` weeks up to the anchor, for items given as SKU@LOCATION. */
  async sparklines(items: { sku: string; location: string }[], weeks: number) {
    if (items.length === 0) return { anchor: await this.anchor(), weeks, series: {} as Record<string, number[]> };
    const anchor = await this.anchor();
    const end = new Date(Date.parse(anchor.today) + DAY);
    const start = new Date(end.getTime() - weeks * 7 * DAY);
    const skus = [...new Set(items.map((i) => i.sku))];
    const rows = await sql<{ sku: string; location: string; w: number; units: number }>`
      select p.sku, l.code as location, floor(extract(epoch from (m.occurred_at - ${start}::timestamptz)) / 604800)::int as w, (-sum(m.qty))::int as units
      from stock_movements m
      join products p on p.id = m.product_id
      join locations l on l.id = m.location_id
      where p.sku = any(${skus}::text[]) and m.kind = 'sale' and m.occurred_at >= ${start} and m.occurred_at < ${end}
      group by 1, 2, 3`.execute(this.db);
    const series: Record<string, number[]> = {};
    for (const i of items) series[`${i.sku}@${i.location}`] = new Array(weeks).fill(0);
    for (const r of rows.rows) {
      const s = series[`${r.sku}@${r.location}`];
      if (s && r.w >= 0 && r.w < weeks) s[r.w] = r.units;
    }
    return { anchor, weeks, series };
  }

  /** Units sold and revenue of one product per day or week, over `days` days up to the anchor. */
  async productSales(sku: string, bucket: 'day' | 'week', days: number) {
    const p = await this.db.selectFrom('products').select('id').where('sku', '=', sku).executeTakeFirst();
    if (!p) throw new AppError('not_found', `unknown SKU ${sku}`, 'sku');
    const anchor = await this.anchor();
    const end = new Date(Date.parse(anchor.today) + DAY);
    const step = bucket === 'day' ? 1 : 7;
    const n = Math.ceil(days / step);
    const start = new Date(end.getTime() - n * step * DAY);
    const rows = await sql<{ b: number; units: number; revenue: number }>`
      select floor(extract(epoch from (occurred_at - ${start}::timestamptz)) / ${step * 86400})::int as b,
        (-sum(qty))::int as units, coalesce(sum(-qty * coalesce(unit_price, 0)), 0)::float8 as revenue
      from stock_movements
      where product_id = ${p.id} and kind in ('sale', 'return') and sale_id is not null and occurred_at >= ${start} and occurred_at < ${end}
      group by 1`.execute(this.db);
    const periods = Array.from({ length: n }, (_, i) => utcDay(new Date(start.getTime() + i * step * DAY)));
    const units = new Array<number>(n).fill(0);
    const revenue = new Array<number>(n).fill(0);
    for (const r of rows.rows) {
      if (r.b >= 0 && r.b < n) {
        units[r.b] = r.units;
        revenue[r.b] = round2(r.revenue);
      }
    }
    return { sku, bucket, anchor, periods, units, revenue };
  }

  /** A cheap fingerprint of the ledger and alerts: open dashboards poll it and refresh when it changes. */
  async version() {
    // Anonymous visitor events count too, so the Demographics page updates while a kiosk runs.
    const r = await sql<{ movement: number | null; alert: number | null; open: number; visit: number | null }>`
      select (select max(id) from stock_movements)::int8 as movement, (select max(id) from alerts)::int8 as alert,
        (select count(*) from alerts where acknowledged_at is null)::int as open, (select max(id) from vision_events)::int8 as visit`.execute(this.db);
    const x = r.rows[0];
    return { version: `${x.movement ?? 0}.${x.alert ?? 0}.${x.open}.${x.visit ?? 0}` };
  }

  /** Product categories with their product counts, for filters. */
  async categories() {
    const rows = await sql<{ category: string; products: number }>`select category, count(*)::int as products from products group by 1 order by 1`.execute(this.db);
    return { items: rows.rows };
  }

  /** The inventory view (same filters and sort as GET /api/inventory) as CSV text, at most `max` rows. */
  async inventoryCsv(q: Omit<InventoryQuery, 'page' | 'pageSize'>, max: number) {
    const r = await new StockQueryService(this.db).inventory({ ...q, page: 1, pageSize: max });
    const cols = ['sku', 'name', 'category', 'status', 'location', 'onHand', 'reserved', 'available', 'lowThreshold', 'lastMovementAt', 'lastSaleAt'] as const;
    const header = ['sku', 'name', 'category', 'status', 'location', 'on_hand', 'reserved', 'available', 'low_threshold', 'last_movement_at', 'last_sale_at'];
    const lines = [header.join(',')];
    for (const row of r.items) lines.push(cols.map((c) => csvCell((row as Record<string, unknown>)[c])).join(','));
    return { csv: lines.join('\r\n') + '\r\n', rows: r.items.length };
  }

  /** The same view as an Excel workbook (one sheet, typed cells, a frozen header row). */
  async inventoryXlsx(q: Omit<InventoryQuery, 'page' | 'pageSize'>, max: number) {
    const r = await new StockQueryService(this.db).inventory({ ...q, page: 1, pageSize: max });
    const { default: ExcelJS } = await import('exceljs'); // loaded on use: it costs ~0.5 s at start-up
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Inventory', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: 'SKU', key: 'sku', width: 14 },
      { header: 'Name', key: 'name', width: 40 },
      { header: 'Category', key: 'category', width: 20 },
      { header: 'Status', key: 'status', width: 12 },
      { header: 'Location', key: 'location', width: 10 },
      { header: 'On hand', key: 'onHand', width: 10 },
      { header: 'Reserved', key: 'reserved', width: 10 },
      { header: 'Available', key: 'available', width: 10 },
      { header: 'Low threshold', key: 'lowThreshold', width: 14 },
      { header: 'Last movement', key: 'lastMovementAt', width: 20 },
      { header: 'Last sale', key: 'lastSaleAt', width: 20 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const row of r.items) ws.addRow(row);
    return { xlsx: Buffer.from(await wb.xlsx.writeBuffer()), rows: r.items.length };
  }
}

/**
 * Pushes the data version to open dashboards (server-sent events). One query per second per server process,
 * whatever the number of open pages, and only while someone listens; a change made by any process (API, CLI,
 * another server) shows up because the version is read from the database.
 */
export class LiveVersion {
  private listeners = new Set<(v: string) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: string | null = null;
  constructor(private readonly read: () => Promise<string>, private readonly everyMs = 1000) {}

  subscribe(fn: (v: string) => void): () => void {
    this.listeners.add(fn);
    if (this.last !== null) fn(this.last);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.everyMs);
      void this.tick();
    }
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.last = null;
      }
    };
  }

  private busy = false;
  private async tick() {
    if (this.busy) return;
    this.busy = true;
    try {
      const v = await this.read();
      if (v !== this.last) {
        this.last = v;
        for (const fn of this.listeners) fn(v);
      }
    } catch {
      /* the database is busy or closing: try again on the next tick */
    } finally {
      this.busy = false;
    }
  }
}

function utcDay(d: Date) {
  return d.toISOString().slice(0, 10);
}

function round2(x: number) {
  return Math.round(x * 100) / 100;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  // Quote when needed; neutralise spreadsheet formulas in text cells.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface StoreSettings {
  storeName: string;
  currency: string;
  defaultLowThreshold: number | null;
}
const DEFAULT_SETTINGS: StoreSettings = { storeName: 'Shelfwise', currency: 'GBP', defaultLowThreshold: null };

/** Store-wide settings shown and edited on the dashboard's Settings page (one row of the settings table). */
export async function readStoreSettings(db: Kysely<DB>): Promise<StoreSettings> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', 'store').executeTakeFirst();
  return { ...DEFAULT_SETTINGS, ...((r?.value as Partial<StoreSettings> | undefined) ?? {}) };
}

export async function writeStoreSettings(db: Kysely<DB>, actor: Actor, patch: Partial<StoreSettings>): Promise<StoreSettings> {
  return inTransaction(db, async (trx) => {
    const before = await readStoreSettings(trx);
    const next = { ...before, ...patch };
    await trx
      .insertInto('settings')
      .values({ key: 'store', value: JSON.stringify(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: new Date() }))
      .execute();
    await audit(trx, actor, 'settings.update', 'settings', 'store', before, next);
    return next;
  });
}
