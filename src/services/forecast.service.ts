import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/connection.ts';
import type { DB } from '../db/schema.ts';
import { applyPromotions, horizonEnd } from '../domain/forecasting/promotion-uplift.ts';
import { promoWindows } from './promotions.service.ts';
import { alignProfile, buildDaily, dayToIso, forecastBatch, isoToDay, periodEnd, periodStart, pooledProfileEndAligned, toInput, type DemandSeries, type ForecastResult, type Freq, type ItemDays, type SeriesInput } from '../domain/forecasting/index.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { SYSTEM, type Actor } from './actor.ts';
import type { AppServices } from './index.ts';
import { emitEvent } from './outbox.ts';
import { inTransaction } from './transaction.ts';

export type ForecastFreq = Freq;
export const DEFAULT_HORIZON: Record<Freq, number> = { D: 28, W: 13, M: 6 };
export const MAX_HORIZON: Record<Freq, number> = { D: 366, W: 104, M: 24 };
/** History read per series: 2 years of days, 3 years of weeks, 5 years of months. */
const HISTORY_DAYS: Record<Freq, number> = { D: 730, W: 7 * 156, M: 1826 };
/** Series forecast between two yields to the event loop (the API stays responsive during a run). */
const CHUNK = 25;
const WRITE_BATCH = 1000;
/** A 'running' run with no progress for this long is treated as abandoned (its process died). */
const STALE_MINUTES = 10;
/** Forecast rows superseded by a newer run for the same item are all kept this long… */
const KEEP_DAYS = 14;
/** …then only the last of each week (by as_of) is kept, for this many days, for the forecast-vs-actual report (docs/forecasting.md "Retention"). */
const KEEP_WEEKLY_DAYS = 371;

export interface RunProgress {
  runId: number;
  phase: 'read' | 'forecast' | 'write';
  done: number;
  total: number;
}
export interface RunOptions {
  freq?: Freq;
  horizon?: number;
  skus?: string[];
  location?: string;
  /** Last day of history (YYYY-MM-DD); default: the last day with a sale in the store, at most yesterday (UTC). */
  asOf?: string;
  actor?: Actor;
  onProgress?: (p: RunProgress) => void;
}
export interface RunSummary {
  id: number;
  freq: Freq;
  horizon: number;
  asOf: string | null;
  series: number;
  seconds: { read: number; forecast: number; write: number; total: number };
}

/** One SKU × location's daily demand, from its first sale to the end day (UTC days). */
// Re-exported for callers that build on the demand history (replenishment, reports).
export { periodEnd, periodStart, type DemandSeries };

const live = new WeakMap<object, Map<number, RunProgress>>();
const cache = new WeakMap<AppServices, ForecastService>();

/** The forecast service of an AppServices (one per database, shared by the API, the CLI and the scheduler). */
export function forecastServiceOf(services: AppServices): ForecastService {
  let s = cache.get(services);
  if (!s) cache.set(services, (s = new ForecastService(services.database)));
  return s;
}

/**
 * Forecasts from the ledger: net daily demand (sales − returns) per SKU × location, out-of-stock days
 * flagged, the domain's automatic choice (src/domain/forecasting), results stored per run.
 */
export class ForecastService {
  private readonly db: Kysely<DB>;
  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  private get active(): Map<number, RunProgress> {
    let m = live.get(this.db);
    if (!m) live.set(this.db, (m = new Map()));
    return m;
  }

  /** Runs a forecast to the end (see start). */
  async run(opts: RunOptions = {}): Promise<RunSummary> {
    return (await this.start(opts)).finished;
  }

  /**
   * Creates the run (a 409 when one is already running) and works on it in the background: read the demand,
   * forecast every series, then write all results and mark the run done in one transaction. Any failure
   * marks the run failed and leaves the previous forecasts in place.
   */
  async start(opts: RunOptions = {}): Promise<{ id: number; finished: Promise<RunSummary> }> {
    const freq = opts.freq ?? 'D';
    if (!['D', 'W', 'M'].includes(freq)) throw new AppError('invalid', 'freq must be D, W or M', 'freq');
    const horizon = opts.horizon ?? DEFAULT_HORIZON[freq];
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON[freq])
      throw new AppError('invalid', `horizon must be an integer from 1 to ${MAX_HORIZON[freq]} for freq ${freq}`, 'horizon');
    if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new AppError('invalid', 'asOf must be YYYY-MM-DD', 'asOf');
    const scope = await this.resolveScope(opts.skus, opts.location);
    await this.clearAbandoned();
    const actor = opts.actor ?? SYSTEM;
    const run = await this.db
      .insertInto('forecast_runs')
      .values({ freq, horizon, actor: actor.label, scope: JSON.stringify({ skus: opts.skus ?? null, location: opts.location ?? null }) })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(async (e) => {
        if ((e as { code?: string }).code !== '23505') throw e;
        const r = await this.db.selectFrom('forecast_runs').select(['id', 'started_at']).where('status', '=', 'running').executeTakeFirst();
        throw new AppError('conflict', `forecast run ${r?.id ?? ''} is already running (started ${r?.started_at?.toISOString?.() ?? '?'})`, undefined, { runId: r?.id });
      });
    const id = run.id;
    const progress: RunProgress = { runId: id, phase: 'read', done: 0, total: 0 };
    this.active.set(id, progress);
    const finished = this.execute(id, freq, horizon, scope, opts, progress).finally(() => this.active.delete(id));
    return { id, finished };
  }

  private async execute(id: number, freq: Freq, horizon: number, scope: Scope, opts: RunOptions, progress: RunProgress): Promise<RunSummary> {
    const t0 = performance.now();
    let lastBeat = 0;
    const report = async (phase: RunProgress['phase'], done: number, total: number, beat = false) => {
      Object.assign(progress, { phase, done, total });
      opts.onProgress?.({ ...progress });
      if (beat || performance.now() - lastBeat > 1000) {
        lastBeat = performance.now();
        await this.db.updateTable('forecast_runs').set({ phase, progress_done: done, progress_total: total, updated_at: new Date() }).where('id', '=', id).execute();
      }
    };
    try {
      await report('read', 0, 0, true);
      const asOf = opts.asOf ?? (await this.defaultAsOf());
      const end = asOf === null ? null : periodEnd(isoToDay(asOf), freq);
      const all = end === null ? [] : await this.readDemand(scope, end - HISTORY_DAYS[freq] + 1, end);
      const inputs = all.map((s) => toInput(s, freq)).filter((x): x is NonNullable<typeof x> => x !== null);
      const tRead = performance.now();

      const total = inputs.length;
      await report('forecast', 0, total, true);
      if (freq === 'D' && total > 0) {
        const pooled = pooledProfileEndAligned(inputs.map((x) => x.input), 7);
        if (pooled) for (const x of inputs) x.input.seasonalProfile = alignProfile(pooled, x.input.values.length);
      }
      const results: ForecastResult[] = [];
      for (let i = 0; i < total; i += CHUNK) {
        results.push(...forecastBatch(inputs.slice(i, i + CHUNK).map((x) => x.input), { horizon }));
        await report('forecast', results.length, total);
        await new Promise((r) => setImmediate(r));
      }
      const start = end === null ? null : dayToIso(end + 1);
      // Promotions in the horizon lift the baseline forecast (src/domain/forecasting/promotion-uplift.ts).
      if (start !== null && total > 0) {
        const windows = await promoWindows(this.db, [...new Set(inputs.map((x) => x.series.productId))], start, horizonEnd(start, freq, horizon));
        if (windows.size > 0) for (let i = 0; i < total; i++) {
          const w = windows.get(inputs[i].series.productId);
          if (w) results[i] = applyPromotions(results[i], start, freq, w);
        }
      }
      const tForecast = performance.now();

      await report('write', 0, total, true);
      await inTransaction(this.db, async (trx) => {
        for (let i = 0; i < total; i += WRITE_BATCH) {
          const rows = inputs.slice(i, i + WRITE_BATCH).map((x, j) => ({ x, r: results[i + j] }));
          const arr = (k: 'mean' | 'p50' | 'p80' | 'p95') => rows.map(({ r }) => `{${Array.from(k === 'mean' ? r.mean : r.quantiles[k], round4).join(',')}}`);
          await sql`insert into forecasts (run_id, product_id, location_id, freq, start_date, model, reason, demand_class, distribution, history_periods, out_of_stock_periods, backtest, mean, p50, p80, p95)
            select ${id}::int, t.p, t.l, ${freq}::text, ${start}::date, t.model, t.reason, t.cls, t.dist, t.hp, t.oosp, t.bt::jsonb, t.mean::float8[], t.p50::float8[], t.p80::float8[], t.p95::float8[]
            from unnest(${rows.map(({ x }) => x.series.productId)}::int[], ${rows.map(({ x }) => x.series.locationId)}::int[], ${rows.map(({ r }) => r.model)}::text[],
              ${rows.map(({ r }) => r.reason)}::text[], ${rows.map(({ r }) => r.demandClass)}::text[], ${rows.map(({ r }) => r.distribution)}::text[],
              ${rows.map(({ x }) => x.input.values.length)}::int[], ${rows.map(({ x }) => count(x.input.outOfStock))}::int[],
              ${rows.map(({ r }) => (r.backtest ? JSON.stringify(r.backtest) : null))}::text[],
              ${arr('mean')}::text[], ${arr('p50')}::text[], ${arr('p80')}::text[], ${arr('p95')}::text[])
              as t(p, l, model, reason, cls, dist, hp, oosp, bt, mean, p50, p80, p95)`.execute(trx);
          Object.assign(progress, { done: Math.min(total, i + WRITE_BATCH) });
          opts.onProgress?.({ ...progress });
        }
        // Superseded forecasts (a newer run has the same item and frequency) are all kept KEEP_DAYS; after that only
        // the item's last forecast of each ISO week of as_of (what forecast-vs-actual compares with sales), until
        // KEEP_WEEKLY_DAYS. The item's latest forecast is always kept.
        await sql`delete from forecasts f using forecast_runs r where f.run_id = r.id and r.finished_at < now() - make_interval(days => ${KEEP_DAYS}::int)
          and exists (select 1 from forecasts g where g.product_id = f.product_id and g.location_id = f.location_id and g.freq = f.freq and g.run_id > f.run_id)
          and (r.finished_at < now() - make_interval(days => ${KEEP_WEEKLY_DAYS}::int) or exists (
            select 1 from forecasts g join forecast_runs q on q.id = g.run_id
            where g.product_id = f.product_id and g.location_id = f.location_id and g.freq = f.freq and g.run_id <> f.run_id
              and date_trunc('week', q.as_of) = date_trunc('week', r.as_of) and (q.as_of, q.id) > (r.as_of, r.id)))`.execute(trx);
        const tEnd = performance.now();
        const seconds = { read: secs(tRead - t0), forecast: secs(tForecast - tRead), write: secs(tEnd - tForecast), total: secs(tEnd - t0) };
        await trx
          .updateTable('forecast_runs')
          .set({ status: 'done', phase: 'write', series: total, progress_done: total, progress_total: total, as_of: end === null ? null : dayToIso(end), timings: JSON.stringify(seconds), updated_at: new Date(), finished_at: new Date() })
          .where('id', '=', id)
          .execute();
        await emitEvent(trx, 'forecast.updated', { runId: id, freq, horizon, series: total, asOf: end === null ? null : dayToIso(end), scope: opts.location ?? null });
      });
      const row = await this.db.selectFrom('forecast_runs').select(['timings', 'as_of']).where('id', '=', id).executeTakeFirstOrThrow();
      return { id, freq, horizon, asOf: row.as_of, series: total, seconds: row.timings as RunSummary['seconds'] };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.db
        .updateTable('forecast_runs')
        .set({ status: 'failed', error: message.slice(0, 2000), updated_at: new Date(), finished_at: new Date() })
        .where('id', '=', id)
        .execute()
        .catch((e2) => log.error('forecast run: could not mark the run failed', { runId: id, error: String(e2) }));
      throw e;
    }
  }

  /** A run with its progress (live in this process, else as last recorded). */
  async getRun(id: number) {
    const r = await this.db.selectFrom('forecast_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('not_found', `forecast run ${id} does not exist`, 'id');
    return runView(r, this.active.get(id));
  }

  async listRuns(limit = 20) {
    const rows = await this.db.selectFrom('forecast_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => runView(r, this.active.get(r.id)));
  }

  /** The latest forecast of a SKU per location (and frequency), newest run first. */
  async latest(sku: string, location?: string, freq?: Freq) {
    const { productIds, locationId } = await this.resolveScope([sku], location);
    let q = this.db
      .selectFrom('forecasts_latest as f')
      .innerJoin('locations as l', 'l.id', 'f.location_id')
      .innerJoin('forecast_runs as r', 'r.id', 'f.run_id')
      .select(['f.run_id', 'f.location_id', 'l.code', 'f.freq', 'f.start_date', 'f.model', 'f.reason', 'f.demand_class', 'f.distribution', 'f.history_periods', 'f.out_of_stock_periods', 'f.backtest', 'f.mean', 'f.p50', 'f.p80', 'f.p95', 'r.finished_at', 'r.as_of'])
      .where('f.product_id', '=', productIds![0]);
    if (locationId !== undefined) q = q.where('f.location_id', '=', locationId);
    if (freq) q = q.where('f.freq', '=', freq);
    const rows = await q.orderBy('f.run_id', 'desc').orderBy('l.code').execute();
    return rows.map((f) => ({
      sku,
      location: f.code,
      freq: f.freq,
      runId: f.run_id,
      generatedAt: f.finished_at,
      asOf: f.as_of,
      model: f.model,
      reason: f.reason,
      demandClass: f.demand_class,
      distribution: f.distribution,
      historyPeriods: f.history_periods,
      outOfStockPeriods: f.out_of_stock_periods,
      backtest: f.backtest,
      periods: f.mean.map((m, i) => ({ date: periodStart(f.start_date, f.freq, i), mean: m, p50: f.p50[i], p80: f.p80[i], p95: f.p95[i] })),
    }));
  }

  /** For a chart: recent demand history (with out-of-stock periods), then the latest forecast with its band. */
  async history(sku: string, location: string, freq: Freq = 'D', periods?: number) {
    const [forecast] = await this.latest(sku, location, freq);
    const { productIds, locationId } = await this.resolveScope([sku], location);
    const asOf = forecast?.asOf ?? (await this.defaultAsOf());
    const n = periods ?? { D: 120, W: 104, M: 36 }[freq];
    let history: { date: string; qty: number; outOfStock: boolean }[] = [];
    if (asOf) {
      const end = periodEnd(isoToDay(asOf), freq);
      const [series] = await this.readDemand({ productIds, locationId }, end - HISTORY_DAYS[freq] + 1, end);
      const x = series ? toInput(series, freq) : null;
      if (x) {
        const starts = x.starts();
        history = Array.from(x.input.values, (v, i) => ({ date: starts[i], qty: round4(v), outOfStock: x.input.outOfStock![i] === 1 })).slice(-n);
      }
    }
    return { sku, location, freq, history, forecast: forecast ?? null };
  }

  /** The domain inputs a run would forecast (for the back-test command): one per SKU × location with sales. */
  async demandInputs(opts: { freq?: Freq; skus?: string[]; location?: string; asOf?: string } = {}): Promise<{ asOf: string | null; inputs: SeriesInput[]; series: DemandSeries[] }> {
    const freq = opts.freq ?? 'D';
    const scope = await this.resolveScope(opts.skus, opts.location);
    const asOf = opts.asOf ?? (await this.defaultAsOf());
    if (asOf === null) return { asOf, inputs: [], series: [] };
    const end = periodEnd(isoToDay(asOf), freq);
    const xs = (await this.readDemand(scope, end - HISTORY_DAYS[freq] + 1, end)).map((x) => toInput(x, freq)).filter((x): x is NonNullable<typeof x> => x !== null);
    return { asOf: dayToIso(end), inputs: xs.map((x) => x.input), series: xs.map((x) => x.series) };
  }

  /** Daily demand series of the items in scope (for runs, charts and the back-test command). */
  async readDemand(scope: Scope, fromDay: number, endDay: number): Promise<DemandSeries[]> {
    // Per item and UTC day: net demand, units sold and the change of on-hand (all kinds), from fromDay up to now;
    // the on-hand at the end of each day is then the item's current on-hand minus the later changes (buildDaily).
    // Read from ledger_daily (kept by a trigger on the ledger, migration 0014) instead of grouping every movement
    // since fromDay. Its `sold` nets a sale's reversal on the day it is posted; clamped at 0 so a reversal-only day
    // reads as "nothing sold", as before.
    const r = await sql<ItemDays>`
      with items as (
        select s.product_id, s.location_id, s.on_hand, p.sku, l.code from stock_levels s
        join products p on p.id = s.product_id and p.status = 'active' join locations l on l.id = s.location_id
        where s.last_sale_at is not null and s.last_sale_at >= ${dayToIso(fromDay)}::timestamptz
          ${scope.productIds ? sql`and s.product_id = any(${scope.productIds}::int[])` : sql``}
          ${scope.locationId !== undefined ? sql`and s.location_id = ${scope.locationId}::int` : sql``}
      ), d as (
        select g.product_id, g.location_id, g.day - date '1970-01-01' as day, g.net, greatest(g.sold, 0) as sold, g.delta
        from ledger_daily g join items i on i.product_id = g.product_id and i.location_id = g.location_id
        where g.day >= ${dayToIso(fromDay)}::date
      )
      select i.product_id, i.location_id, i.sku, i.code, i.on_hand, array_agg(d.day order by d.day) as days, array_agg(d.net order by d.day) as net,
        array_agg(d.sold order by d.day) as sold, array_agg(d.delta order by d.day) as delta
      from d join items i on i.product_id = d.product_id and i.location_id = d.location_id
      group by i.product_id, i.location_id, i.sku, i.code, i.on_hand
      order by i.sku, i.code`.execute(this.db);
    const out: DemandSeries[] = [];
    for (const it of r.rows) {
      const s = buildDaily(it, endDay);
      if (s) out.push(s);
    }
    return out;
  }

  /** The last day with a sale anywhere in the store, at most yesterday (UTC); null when nothing was sold. */
  async defaultAsOf(): Promise<string | null> {
    const r = await sql<{ d: number | null }>`select (max(last_sale_at) at time zone 'UTC')::date - date '1970-01-01' as d from stock_levels`.execute(this.db);
    const d = r.rows[0]?.d;
    if (d === null || d === undefined) return null;
    return dayToIso(Math.min(Number(d), Math.floor(Date.now() / 86_400_000) - 1));
  }

  async resolveScope(skus?: string[], location?: string): Promise<Scope> {
    const scope: Scope = {};
    if (skus && skus.length > 0) {
      const ps = await this.db.selectFrom('products').select(['id', 'sku']).where('sku', 'in', [...new Set(skus)]).execute();
      const missing = skus.find((k) => !ps.some((p) => p.sku === k));
      if (missing !== undefined) throw new AppError('not_found', `unknown SKU ${missing}`, 'sku');
      scope.productIds = skus.map((k) => ps.find((p) => p.sku === k)!.id);
    }
    if (location) {
      const l = await this.db.selectFrom('locations').select('id').where('code', '=', location).executeTakeFirst();
      if (!l) throw new AppError('not_found', `unknown location ${location}`, 'location');
      scope.locationId = l.id;
    }
    return scope;
  }

  /** Marks runs left 'running' by a process that died: on PGlite any not running here, on PostgreSQL those silent for STALE_MINUTES. */
  private async clearAbandoned() {
    const mine = [...this.active.keys()];
    let q = this.db
      .updateTable('forecast_runs')
      .set({ status: 'failed', error: 'abandoned: the process running it stopped', finished_at: new Date() })
      .where('status', '=', 'running');
    if (mine.length) q = q.where('id', 'not in', mine);
    if (this.database.kind === 'postgres') q = q.where('updated_at', '<', new Date(Date.now() - STALE_MINUTES * 60_000));
    await q.execute();
  }
}

export interface Scope {
  productIds?: number[];
  locationId?: number;
}

function runView(r: Selectable<DB['forecast_runs']>, liveProgress?: RunProgress) {
  return {
    id: r.id,
    status: r.status,
    freq: r.freq,
    horizon: r.horizon,
    scope: r.scope,
    asOf: r.as_of,
    phase: liveProgress?.phase ?? r.phase,
    progress: { done: liveProgress?.done ?? r.progress_done, total: liveProgress?.total ?? r.progress_total },
    series: r.series,
    error: r.error,
    actor: r.actor,
    seconds: r.timings,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

const secs = (ms: number) => Math.round(ms) / 1000;
const round4 = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : 0);
const count = (a?: Uint8Array) => (a ? a.reduce((x, v) => x + v, 0) : 0);
