import { sql } from 'kysely';
import { forecastServiceOf, type ForecastFreq } from '../services/forecast.service.ts';
import type { AppServices } from '../services/index.ts';
import { runImportJob } from '../services/import-jobs.ts';
import { integrationsOf } from '../services/integrations.ts';
import { enqueue } from '../services/jobs.service.ts';
import { placementServiceOf } from '../services/placement.service.ts';
import { recommendServiceOf } from '../services/recommend.service.ts';
import { replenishmentServiceOf } from '../services/replenishment.service.ts';
import { PermanentJobError, registerJobHandler, registerSweeper } from './worker.ts';

/**
 * The built-in job types. Another capability registers its own the same way, in a module imported by
 * src/jobs/index.ts:  registerJobHandler('replenishment.run', async (ctx) => { … ctx.progress(i, n) … return summary; });
 */
const webhooksOf = (s: AppServices) => integrationsOf(s).webhooks;

/** Outbox → deliveries, before each claim (cheap when empty: an index-only look at undispatched events). */
registerSweeper((s) => webhooksOf(s).dispatchOutbox());

/**
 * Housekeeping, at most once an hour per worker: events with no delivery after 7 days, finished jobs after 14 days,
 * and delivered webhook logs after 30 days are deleted (the delivery log keeps failed ones until replayed or removed).
 */
let lastPurge = 0;
registerSweeper(async (s) => {
  if (Date.now() - lastPurge < 3_600_000) return 0;
  lastPurge = Date.now();
  const { db } = s.database;
  // Replays first (an original is kept while a replay points at it; it goes an hour later).
  await sql`delete from webhook_deliveries d where status = 'delivered' and delivered_at < now() - interval '30 days' and not exists (select 1 from webhook_deliveries r where r.replay_of = d.id)`.execute(db);
  await sql`delete from outbox_events o where dispatched_at < now() - interval '7 days' and not exists (select 1 from webhook_deliveries d where d.event_id = o.id)`.execute(db);
  await sql`delete from jobs where status in ('done', 'cancelled') and finished_at < now() - interval '14 days'`.execute(db);
  // Uploads of imports that failed for good (an unknown store, say) are kept a day for a retry, then dropped.
  await sql`delete from import_uploads where created_at < now() - interval '1 day'`.execute(db);
  return 0;
});

registerJobHandler('webhook.deliver', async ({ job, services }) => {
  const p = job.payload as { deliveryId?: number };
  if (!Number.isInteger(p.deliveryId)) throw new PermanentJobError('payload needs deliveryId');
  return webhooksOf(services).deliver(p.deliveryId!, job.attempts, job.max_attempts);
});

export interface ForecastJobPayload {
  freq?: ForecastFreq;
  horizon?: number;
  skus?: string[];
  location?: string;
  asOf?: string;
  actor?: string;
  /** Job types to queue once the run is done (the nightly chain: replenishment.run, recommend.train, placement.learn). */
  then?: string[];
}

/**
 * A forecast run as a job. The run id is saved as the job's state: when a worker died mid-run, the next attempt
 * marks that run failed (or, if it had committed, returns it) before starting a fresh one, so a run's rows are
 * written once (they are written only in the transaction that marks the run done).
 */
registerJobHandler('forecast.run', async (ctx) => {
  const p = ctx.job.payload as ForecastJobPayload;
  const svc = forecastServiceOf(ctx.services);
  const db = ctx.services.database.db;
  const prev = (ctx.job.state as { runId?: number } | null)?.runId;
  if (prev) {
    const r = await db.selectFrom('forecast_runs').select(['status', 'series']).where('id', '=', prev).executeTakeFirst();
    if (r?.status === 'done') return { runId: prev, series: r.series, resumed: true };
    if (r?.status === 'running')
      await db.updateTable('forecast_runs').set({ status: 'failed', error: 'abandoned: its worker stopped; the job runs it again', finished_at: new Date() }).where('id', '=', prev).execute();
  }
  const { id, finished } = await svc.start({
    freq: p.freq,
    horizon: p.horizon,
    skus: p.skus,
    location: p.location,
    asOf: p.asOf,
    actor: { id: null, label: p.actor ?? `job:${ctx.job.id}`, role: 'system' },
    onProgress: (x) => void ctx.progress(x.done, x.total, `run ${x.runId}: ${x.phase}`).catch(() => {}),
  });
  await ctx.saveState({ runId: id });
  const r = await finished;
  await ctx.progress(r.series, r.series, `run ${id}: done`, true);
  await queueFollowUps(ctx.services, p, id);
  return { runId: id, series: r.series, seconds: r.seconds };
});

/** Follow-up jobs of a forecast run, deduplicated by run id so a retried job never queues them twice. */
async function queueFollowUps(services: AppServices, p: ForecastJobPayload, runId: number) {
  for (const type of p.then ?? []) await enqueue(services.database.db, type, { actor: p.actor, location: p.location, afterForecastRun: runId }, { dedupeKey: `${type}:after-forecast-${runId}`, maxAttempts: 3, actor: p.actor });
}

const actorOf = (payload: unknown, jobId: number) => ({ id: null, label: (payload as { actor?: string }).actor ?? `job:${jobId}`, role: 'system' as const });

/** A replenishment run (drafts POs from the latest forecasts; one store with `location`); rerunning replaces the drafts nobody touched. */
registerJobHandler('replenishment.run', async ({ job, services, progress }) => {
  const r = await replenishmentServiceOf(services).run({ actor: actorOf(job.payload, job.id), location: (job.payload as { location?: string }).location });
  await progress(1, 1, `run ${r.id}: ${r.purchaseOrders} purchase order(s)`, true);
  return { runId: r.id, purchaseOrders: r.purchaseOrders, suggestions: r.suggestions, seconds: r.seconds };
});

/** Retrains the recommendation models with a hold-out score; the new version serves when stored. */
registerJobHandler('recommend.train', async ({ job, services, progress }) => {
  const svc = recommendServiceOf(services);
  if (!(await svc.models.hasTrainingData())) return { skipped: 'no customer sales to learn from' };
  const { id, finished } = await svc.train({ actor: actorOf(job.payload, job.id), evaluate: true });
  const s = await finished;
  await progress(1, 1, `model ${id} trained`, true);
  return { modelId: id, seconds: s.metrics?.seconds.total ?? null };
});

/** A file uploaded on the dashboard's Import page (src/services/import-jobs.ts): imported once even when retried. */
registerJobHandler('import.run', async ({ job, services, progress }) =>
  runImportJob(services.database.db, job.id, job.payload as { uploadId?: number; actor?: string }, (d, t, note, force) => progress(d, t, note, force)),
);

/**
 * Zone lifts learned again from the assignment history and the sales (nightly, after the forecast): every store
 * with a placement history (or the one in the payload). A store without one is skipped, not an error.
 */
registerJobHandler('placement.learn', async ({ job, services, progress }) => {
  const db = services.database.db;
  const only = (job.payload as { location?: string }).location;
  let q = db.selectFrom('placement_assignments as a').innerJoin('locations as l', 'l.id', 'a.location_id').select('l.code').distinct().orderBy('l.code');
  if (only) q = q.where('l.code', '=', only);
  const stores = (await q.execute()).map((r) => r.code);
  const out: { location: string; estimates: number; salesAttributed: number }[] = [];
  for (const [i, code] of stores.entries()) {
    const r = await placementServiceOf(services).learn(code, actorOf(job.payload, job.id));
    out.push({ location: code, estimates: r.estimates.length, salesAttributed: r.salesAttributed });
    await progress(i + 1, stores.length, `lifts learned at ${code}`, true);
  }
  return { stores: out };
});
