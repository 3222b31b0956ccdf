import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AGE_GROUPS, type AgeGroup } from '../domain/vision/age-groups.ts';
import { aggregateEvents, type CountCell, type DemographicEvent } from '../domain/vision/demographic-aggregation.ts';
import { AppError } from '../errors.ts';

const DAY = 86_400_000;

export interface DemographicsQuery {
  from: Date;
  to: Date;
  location?: string;
  zone?: string;
  /** Minutes east of UTC of the store's clock (hours and weekdays are shown in it). */
  tzOffsetMinutes?: number;
  /** Smallest count shown in an age × gender cell (small-count suppression). Default 5. */
  minCount?: number;
}

export interface DemographicsReport {
  period: { from: string; to: string };
  previous: { from: string; to: string; visitors: number; cells: CountCell[] };
  visitors: number;
  /** (visitors − previous) / previous; null without a previous period's visitors. */
  change: number | null;
  dwell: { medianMs: number | null; meanMs: number | null; buckets: { label: string; count: number }[] };
  /** Age band × gender over the period, small counts suppressed. */
  cells: CountCell[];
  /** One row per local day: total and suppressed cells. */
  byDay: { day: string; total: number | null; cells: CountCell[] }[];
  /** Visitors per local weekday (0 = Monday) × hour. */
  byWeekdayHour: number[][];
  /** Visitors per local hour of day, split by gender. */
  byHour: { hour: number; female: number; male: number }[];
  byPlace: { location: string; zone: string | null; visitors: number; medianDwellMs: number }[];
  /** People shown recommendations, and how many of them had one of those items sold at that store within the hour. */
  attach: { shown: number; converted: number; rate: number | null; items: { sku: string; name: string; sold: number }[] };
  minCount: number;
}

const DWELL_BUCKETS: [string, number][] = [['< 5 s', 5e3], ['5-15 s', 15e3], ['15-30 s', 30e3], ['30-60 s', 60e3], ['1-3 min', 180e3], ['3 min +', Infinity]];

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Anonymous visitor analytics for the Demographics page (from vision_events only; never an image). */
export class DemographicsService {
  constructor(readonly db: Kysely<DB>) {}

  private async events(q: DemographicsQuery, from: Date, to: Date) {
    let locId: number | undefined;
    if (q.location) {
      const l = await this.db.selectFrom('locations').select('id').where('code', '=', q.location).executeTakeFirst();
      if (!l) throw new AppError('not_found', `no location ${q.location}`, 'location');
      locId = l.id;
    }
    let qb = this.db
      .selectFrom('vision_events as e')
      .innerJoin('locations as l', 'l.id', 'e.location_id')
      .select(['e.occurred_at', 'e.age_group', 'e.gender', 'e.dwell_ms', 'e.zone', 'l.code as location'])
      .where('e.occurred_at', '>=', from)
      .where('e.occurred_at', '<', to);
    if (locId !== undefined) qb = qb.where('e.location_id', '=', locId);
    if (q.zone) qb = qb.where('e.zone', '=', q.zone);
    return { rows: await qb.execute(), locId };
  }

  async report(q: DemographicsQuery): Promise<DemographicsReport> {
    const span = q.to.getTime() - q.from.getTime();
    if (!(span > 0)) throw new AppError('invalid', 'from must be before to', 'from');
    if (span > 366 * DAY) throw new AppError('invalid', 'at most 366 days at a time', 'to');
    const k = q.minCount ?? 5;
    const offsetMs = (q.tzOffsetMinutes ?? 0) * 60_000;
    const prevFrom = new Date(q.from.getTime() - span);
    const [{ rows, locId }, prev] = await Promise.all([this.events(q, q.from, q.to), this.events(q, prevFrom, q.from)]);
    const toEvent = (r: (typeof rows)[number]): DemographicEvent => ({ at: r.occurred_at.getTime(), ageGroup: r.age_group as AgeGroup, gender: r.gender });
    const evs = rows.map(toEvent);
    const whole = (list: DemographicEvent[], start: number) =>
      aggregateEvents(list.map((e) => ({ ...e, at: start })), { windowMs: span, minCount: k })[0]?.cells ?? emptyCells();

    const byWeekdayHour = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, female: 0, male: 0 }));
    for (const e of evs) {
      const local = new Date(e.at + offsetMs);
      const wd = (local.getUTCDay() + 6) % 7;
      const h = local.getUTCHours();
      byWeekdayHour[wd][h]++;
      byHour[h][e.gender]++;
    }
    const dwells = rows.map((r) => r.dwell_ms);
    const places = new Map<string, { location: string; zone: string | null; dwells: number[] }>();
    for (const r of rows) {
      const key = `${r.location}|${r.zone ?? ''}`;
      let p = places.get(key);
      if (!p) places.set(key, (p = { location: r.location, zone: r.zone, dwells: [] }));
      p.dwells.push(r.dwell_ms);
    }
    const days = aggregateEvents(evs, { windowMs: DAY, offsetMs, minCount: k }).map((w) => ({
      day: new Date(w.windowStart + offsetMs).toISOString().slice(0, 10),
      total: w.total,
      cells: w.cells,
    }));
    const visitors = rows.length;
    return {
      period: { from: q.from.toISOString(), to: q.to.toISOString() },
      previous: { from: prevFrom.toISOString(), to: q.from.toISOString(), visitors: prev.rows.length, cells: whole(prev.rows.map(toEvent), prevFrom.getTime()) },
      visitors,
      change: prev.rows.length ? (visitors - prev.rows.length) / prev.rows.length : null,
      dwell: {
        medianMs: median(dwells),
        meanMs: dwells.length ? dwells.reduce((a, b) => a + b, 0) / dwells.length : null,
        buckets: DWELL_BUCKETS.map(([label, hi], i) => ({ label, count: dwells.filter((d) => d < hi && d >= (i ? DWELL_BUCKETS[i - 1][1] : 0)).length })),
      },
      cells: whole(evs, q.from.getTime()),
      byDay: days,
      byWeekdayHour,
      byHour,
      byPlace: [...places.values()].map((p) => ({ location: p.location, zone: p.zone, visitors: p.dwells.length, medianDwellMs: median(p.dwells) ?? 0 })).sort((a, b) => b.visitors - a.visitors),
      attach: await this.attach(q, locId),
      minCount: k,
    };
  }

  /** Recommended items sold at the same store within an hour of being shown. */
  private async attach(q: DemographicsQuery, locId: number | undefined): Promise<DemographicsReport['attach']> {
    const where = sql`e.occurred_at >= ${q.from} and e.occurred_at < ${q.to} and cardinality(e.recommended) > 0
      ${locId !== undefined ? sql`and e.location_id = ${locId}` : sql``} ${q.zone ? sql`and e.zone = ${q.zone}` : sql``}`;
    const sold = sql`select 1 from stock_movements m where m.kind = 'sale' and m.location_id = e.location_id
      and m.product_id = any(e.recommended) and m.occurred_at >= e.occurred_at and m.occurred_at < e.occurred_at + interval '1 hour'`;
    const head = await sql<{ shown: number; converted: number }>`
      select count(*)::int as shown, count(*) filter (where exists (${sold}))::int as converted
      from vision_events e where ${where}`.execute(this.db);
    const items = await sql<{ sku: string; name: string; sold: number }>`
      select p.sku, p.name, sum(-m.qty)::int as sold
      from stock_movements m join products p on p.id = m.product_id
      where m.kind = 'sale' and exists (
        select 1 from vision_events e where ${where} and e.location_id = m.location_id and m.product_id = any(e.recommended)
          and m.occurred_at >= e.occurred_at and m.occurred_at < e.occurred_at + interval '1 hour')
      group by p.sku, p.name order by sold desc, p.sku limit 10`.execute(this.db);
    const { shown, converted } = head.rows[0];
    return { shown, converted, rate: shown ? converted / shown : null, items: items.rows };
  }
}

function emptyCells(): CountCell[] {
  return AGE_GROUPS.flatMap((ageGroup) => (['female', 'male'] as const).map((gender) => ({ ageGroup, gender, count: 0, suppressed: false })));
}
