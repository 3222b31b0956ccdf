/**
 * Training and storing recommendation models: reads the ledger's customer sales (and ratings), trains in a
 * worker thread (so the API keeps answering), stores each version in recommend_models with its metrics.
 * One run at a time across processes (unique index on the running row), like forecast runs.
 */
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { decodeBundle, trainBundle, type Bundle, type Collaborative, type TrainInput, type TrainMetrics } from '../domain/recommend/bundle.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { SYSTEM, type Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export interface TrainOptions {
  actor?: Actor;
  /** Score a hold-out of the last testDays too (about doubles the time); the nightly run does. */
  evaluate?: boolean;
  testDays?: number;
  collaborative?: Collaborative | 'auto';
  /** Train on the calling thread instead of a worker (the CLI, where nothing else waits). */
  inline?: boolean;
  onProgress?: (p: TrainProgress) => void;
  /**
   * Called as soon as the version is committed, before the run's last bookkeeping: whoever serves swaps it in
   * then, so nobody reads the run as done while the previous version (or none) still serves.
   */
  onStored?: (m: { id: number; trainedAt: Date; bundle: Bundle }) => void;
}
export interface TrainProgress {
  id: number;
  phase: string;
  fraction: number;
}
export interface ModelSummary {
  id: number;
  status: 'running' | 'done' | 'failed';
  phase: string;
  progress: number;
  actor: string;
  metrics: (TrainMetrics & { seconds: TrainMetrics['seconds'] & { read: number; write: number; total: number } }) | null;
  error: string | null;
  bytes: number | null;
  startedAt: Date;
  trainedAt: Date | null;
}

export interface RecommendSettings {
  /** Weight of the overstock / slow-mover boost (0 = off), relative to the best candidate's score. */
  boostWeight: number;
  /** Weight of active promotions (when a promotions table exists). */
  promotionWeight: number;
  /** Collaborative model: 'auto' chooses by catalog size. */
  collaborative: Collaborative | 'auto';
}
export const DEFAULT_SETTINGS: RecommendSettings = { boostWeight: 0, promotionWeight: 0.1, collaborative: 'auto' };
const SETTINGS_KEY = 'recommend';
/** A running row not updated for this long belongs to a process that died. */
const STALE_MINUTES = 30;
/** Model blobs kept (older versions keep their metrics only). */
const KEEP_BLOBS = 3;
/** Sales read per query when reading the training data. */
const READ_WINDOW = 20_000;

export async function getRecommendSettings(db: Kysely<DB>): Promise<RecommendSettings> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
  return { ...DEFAULT_SETTINGS, ...((r?.value as Partial<RecommendSettings>) ?? {}) };
}

export async function setRecommendSettings(db: Kysely<DB>, actor: Actor, patch: Partial<RecommendSettings>): Promise<RecommendSettings> {
  for (const k of ['boostWeight', 'promotionWeight'] as const)
    if (patch[k] !== undefined && !(Number.isFinite(patch[k]) && patch[k]! >= 0 && patch[k]! <= 1)) throw new AppError('invalid', `${k} must be a number from 0 to 1`, k);
  if (patch.collaborative !== undefined && !['auto', 'ease', 'ials', 'ease+ials', 'item-knn'].includes(patch.collaborative))
    throw new AppError('invalid', 'collaborative must be auto, ease, ials, ease+ials or item-knn', 'collaborative');
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).forUpdate().executeTakeFirst();
    const before = { ...DEFAULT_SETTINGS, ...((row?.value as Partial<RecommendSettings>) ?? {}) };
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as RecommendSettings;
    const value = JSON.stringify(next);
    await trx.insertInto('settings').values({ key: SETTINGS_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() })).execute();
    await audit(trx, actor, 'recommend.settings', 'settings', SETTINGS_KEY, before, next);
    return next;
  });
}

const live = new WeakMap<object, Map<number, TrainProgress>>();

export class RecommendModels {
  constructor(private readonly db: Kysely<DB>) {}

  private get active(): Map<number, TrainProgress> {
    let m = live.get(this.db);
    if (!m) live.set(this.db, (m = new Map()));
    return m;
  }

  /** True when there is anything to train on (a sale with a customer). */
  async hasTrainingData(): Promise<boolean> {
    const r = await sql<{ x: number }>`select 1 as x from sales where customer_id is not null limit 1`.execute(this.db);
    return r.rows.length > 0;
  }

  /** Creates the run (409 while another runs) and trains in the background; `finished` resolves with the stored version. */
  async start(opts: TrainOptions = {}): Promise<{ id: number; finished: Promise<{ summary: ModelSummary; bundle: Bundle }> }> {
    const testDays = opts.testDays ?? 30;
    if (!Number.isInteger(testDays) || testDays < 1 || testDays > 365) throw new AppError('invalid', 'testDays must be a whole number from 1 to 365', 'testDays');
    const settings = await getRecommendSettings(this.db);
    const collaborative = opts.collaborative ?? settings.collaborative;
    await this.db
      .updateTable('recommend_models')
      .set({ status: 'failed', error: 'abandoned: no progress for 30 minutes (its process stopped)', updated_at: new Date() })
      .where('status', '=', 'running')
      .where('updated_at', '<', new Date(Date.now() - STALE_MINUTES * 60_000))
      .execute();
    const actor = opts.actor ?? SYSTEM;
    const row = await this.db
      .insertInto('recommend_models')
      .values({ actor: actor.label, options: JSON.stringify({ evaluate: !!opts.evaluate, testDays, collaborative }) })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(async (e) => {
        if ((e as { code?: string }).code !== '23505') throw e;
        const r = await this.db.selectFrom('recommend_models').select(['id']).where('status', '=', 'running').executeTakeFirst();
        throw new AppError('conflict', `model training ${r?.id ?? ''} is already running`, undefined, { id: r?.id });
      });
    const id = row.id;
    const progress: TrainProgress = { id, phase: 'read', fraction: 0 };
    this.active.set(id, progress);
    const finished = this.execute(id, { ...opts, testDays, collaborative }, progress).finally(() => this.active.delete(id));
    return { id, finished };
  }

  private async execute(id: number, opts: TrainOptions & { testDays: number; collaborative: Collaborative | 'auto' }, progress: TrainProgress) {
    const t0 = performance.now();
    let lastBeat = 0;
    const report = (phase: string, fraction: number) => {
      Object.assign(progress, { phase, fraction });
      opts.onProgress?.({ ...progress });
      if (performance.now() - lastBeat > 1000 || fraction >= 1) {
        lastBeat = performance.now();
        this.db.updateTable('recommend_models').set({ phase, progress: fraction, updated_at: new Date() }).where('id', '=', id).where('status', '=', 'running').execute().catch(() => {});
      }
    };
    try {
      report('read', 0);
      const { input, lastSaleId } = await this.readTrainingInput(opts);
      const tRead = performance.now();
      const out = opts.inline ? trainInline(input, report) : await trainInWorker(input, report);
      const tTrain = performance.now();
      report('write', 0.97);
      const bundle = out.bundle ?? decodeBundle(out.bytes);
      const trainedAt = new Date();
      await inTransaction(this.db, async (trx) => {
        // the write's own time is not in its row (it is being written); the summary adds it below
        const metrics = { ...out.metrics, seconds: { ...out.metrics.seconds, read: secs(tRead - t0), write: 0, total: secs(tTrain - t0) } };
        await trx
          .updateTable('recommend_models')
          .set({ status: 'done', phase: 'done', progress: 1, model: toBase64(out.bytes), model_bytes: out.bytes.byteLength, metrics: JSON.stringify(metrics), last_sale_id: lastSaleId, trained_at: trainedAt, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
        await sql`update recommend_models set model = null where model is not null and id not in (select id from recommend_models where status = 'done' order by id desc limit ${KEEP_BLOBS})`.execute(trx);
      });
      opts.onStored?.({ id, trainedAt, bundle });
      const tWrite = performance.now();
      await this.db
        .updateTable('recommend_models')
        .set({ metrics: sql`jsonb_set(jsonb_set(metrics, '{seconds,write}', to_jsonb(${secs(tWrite - tTrain)}::float8)), '{seconds,total}', to_jsonb(${secs(tWrite - t0)}::float8))` })
        .where('id', '=', id)
        .execute();
      const summary = await this.get(id);
      return { summary, bundle };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.db
        .updateTable('recommend_models')
        .set({ status: 'failed', error: message.slice(0, 2000), updated_at: new Date() })
        .where('id', '=', id)
        .execute()
        .catch((e2) => log.error('recommend training: could not mark the run failed', { id, error: String(e2) }));
      throw e;
    }
  }

  /** Customer sales lines (weight 1 per line, basket = the sale), product names, ratings. */
  async readTrainingInput(opts: { evaluate?: boolean; testDays: number; collaborative: Collaborative | 'auto' }): Promise<{ input: TrainInput; lastSaleId: number | null }> {
    // One string per window of sales (string_agg): PGlite builds JavaScript rows slowly (400k rows: 11 s vs 2 s).
    const span = await sql<{ lo: string | null; hi: string | null }>`select min(id)::text as lo, max(id)::text as hi from sales where customer_id is not null`.execute(this.db);
    const lo = Number(span.rows[0]?.lo ?? 0);
    const hi = Number(span.rows[0]?.hi ?? -1);
    const user: number[] = [];
    const item: number[] = [];
    const time: number[] = [];
    const basket: number[] = [];
    for (let from = lo; from <= hi; from += READ_WINDOW) {
      const r = await sql<{ s: string | null }>`
        select string_agg(s.customer_id || ',' || m.product_id || ',' || floor(extract(epoch from m.occurred_at))::bigint || ',' || s.id, ';') as s
        from sales s join stock_movements m on m.sale_id = s.id and m.kind = 'sale'
        where s.customer_id is not null and s.id >= ${from} and s.id < ${from + READ_WINDOW}`.execute(this.db);
      const text = r.rows[0]?.s;
      if (!text) continue;
      for (const line of text.split(';')) {
        const [u, i, t, b] = line.split(',');
        user.push(Number(u));
        item.push(Number(i));
        time.push(Number(t) * 1000);
        basket.push(Number(b));
      }
    }
    const n = user.length;
    if (n === 0) throw new AppError('invalid', 'no sales with a customer to train on yet');
    const weight = new Float64Array(n).fill(1);
    let lastSaleId = 0;
    const items = new Set<number>();
    for (let k = 0; k < n; k++) {
      if (basket[k] > lastSaleId) lastSaleId = basket[k];
      items.add(item[k]);
    }
    const names = (await sql<{ id: number; name: string }>`select id, name from products where id = any(${[...items]}::int[])`.execute(this.db)).rows;
    const rt = await this.db.selectFrom('ratings').select(['customer_id', 'product_id', 'rating']).execute();
    const ratings = rt.length ? { user: rt.map((r) => r.customer_id), item: rt.map((r) => r.product_id), rating: rt.map((r) => Number(r.rating)) } : null;
    return {
      input: { events: { user: Float64Array.from(user), item: Float64Array.from(item), weight, time: Float64Array.from(time), basket: Float64Array.from(basket) }, itemNames: new Map(names.map((p) => [p.id, p.name])), ratings, collaborative: opts.collaborative, evaluate: !!opts.evaluate, testDays: opts.testDays },
      lastSaleId: lastSaleId || null,
    };
  }

  async get(id: number): Promise<ModelSummary> {
    const r = await this.db.selectFrom('recommend_models').select(SUMMARY_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('not_found', `model ${id} does not exist`, 'id');
    return view(r, this.active.get(id));
  }

  /** Versions, newest first, with their metrics (the blobs stay in the database). */
  async list(limit = 20): Promise<ModelSummary[]> {
    const rows = await this.db.selectFrom('recommend_models').select(SUMMARY_COLUMNS).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => view(r, this.active.get(r.id)));
  }

  async latestDoneId(): Promise<number | null> {
    const r = await this.db.selectFrom('recommend_models').select('id').where('status', '=', 'done').where('model', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r?.id ?? null;
  }

  async load(id: number): Promise<{ id: number; trainedAt: Date; bundle: Bundle }> {
    const r = await this.db.selectFrom('recommend_models').select(['id', 'model', 'trained_at']).where('id', '=', id).executeTakeFirst();
    if (!r?.model) throw new AppError('not_found', `model ${id} has no stored version`);
    return { id: r.id, trainedAt: r.trained_at!, bundle: decodeBundle(fromBase64(r.model)) };
  }
}

const SUMMARY_COLUMNS = ['id', 'status', 'phase', 'progress', 'actor', 'metrics', 'error', 'model_bytes', 'started_at', 'trained_at'] as const;
type SummaryRow = { id: number; status: ModelSummary['status']; phase: string; progress: number; actor: string; metrics: unknown; error: string | null; model_bytes: number | null; started_at: Date; trained_at: Date | null };
function view(r: SummaryRow, progress?: TrainProgress): ModelSummary {
  const live = r.status === 'running' ? progress : undefined; // a finished row is the truth
  return {
    id: r.id,
    status: r.status,
    phase: live?.phase ?? r.phase,
    progress: Math.round((live?.fraction ?? Number(r.progress)) * 1000) / 1000,
    actor: r.actor,
    metrics: (r.metrics as ModelSummary['metrics']) ?? null,
    error: r.error,
    bytes: r.model_bytes,
    startedAt: r.started_at,
    trainedAt: r.trained_at,
  };
}

const toBase64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const fromBase64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};
const secs = (ms: number) => Math.round(ms / 10) / 100;

type TrainOut = { bytes: Uint8Array; metrics: TrainMetrics; bundle?: Bundle };

function trainInline(input: TrainInput, report: (phase: string, f: number) => void): TrainOut {
  const out = trainBundle(input, report, () => performance.now() / 1000);
  return { bytes: out.bytes, metrics: out.metrics, bundle: out.bundle };
}

/** Trains in a worker thread; progress comes back as messages, the model as transferred bytes. */
function trainInWorker(input: TrainInput, report: (phase: string, f: number) => void): Promise<TrainOut> {
  return new Promise((resolve, reject) => {
    const transfer = [input.events.user, input.events.item, input.events.weight, input.events.time, input.events.basket].map((a) => (a as Float64Array).buffer as ArrayBuffer);
    const w = new Worker(new URL('./recommend-train.worker.mjs', import.meta.url), { workerData: input, transferList: transfer });
    let settled = false;
    w.on('message', (m: { type: string; stage?: string; fraction?: number; bytes?: Uint8Array; metrics?: TrainMetrics; message?: string; kind?: string }) => {
      if (m.type === 'progress') report(m.stage!, m.fraction!);
      else if (m.type === 'done') {
        settled = true;
        resolve({ bytes: m.bytes!, metrics: m.metrics! });
        void w.terminate();
      } else if (m.type === 'error') {
        settled = true;
        reject(m.kind ? new AppError(m.kind as 'invalid', m.message!) : new Error(m.message));
        void w.terminate();
      }
    });
    w.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    w.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker stopped (exit code ${code})`));
      settled = true;
    });
  });
}
