import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { IntegrationTables } from '../db/schema/integrations.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export type JobRow = Selectable<IntegrationTables['jobs']>;

export interface EnqueueOptions {
  /** Lower runs first (default 100). */
  priority?: number;
  maxAttempts?: number;
  /** First retry waits about this long; each later one twice as long (with jitter), capped at an hour. */
  backoffMs?: number;
  runAt?: Date;
  /** While a job with this key is queued or running, enqueueing another returns that one instead. */
  dedupeKey?: string;
  actor?: string;
}

/** Wakes the workers of this process when a job is enqueued here (others poll). */
const listeners = new Set<() => void>();
export function onEnqueue(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Adds a job (inside the caller's transaction when given one: the job exists exactly when the change does).
 * Returns the job's id; with a dedupeKey that is already queued or running, that job's id.
 */
export async function enqueue(db: Kysely<DB>, type: string, payload: unknown = {}, o: EnqueueOptions = {}): Promise<number> {
  if (!/^[a-z][a-z0-9_.-]{0,60}$/.test(type)) throw new AppError('invalid', `bad job type ${type}`, 'type');
  const row = await db
    .insertInto('jobs')
    .values({
      type,
      payload: JSON.stringify(payload ?? {}),
      priority: o.priority ?? 100,
      max_attempts: o.maxAttempts ?? 5,
      backoff_ms: o.backoffMs ?? 2000,
      run_at: o.runAt ?? new Date(),
      dedupe_key: o.dedupeKey ?? null,
      actor: o.actor ?? 'system',
    })
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).where('status', 'in', ['queued', 'running']).doNothing())
    .returning('id')
    .executeTakeFirst();
  for (const fn of listeners) fn();
  if (row) return row.id;
  const prev = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', o.dedupeKey!).where('status', 'in', ['queued', 'running']).executeTakeFirst();
  if (!prev) return enqueue(db, type, payload, o); // it finished in between: add a new one
  return prev.id;
}

/**
 * Claims up to n runnable jobs for a worker: queued ones that are due, and running ones whose lease ran out
 * (their worker died). SKIP LOCKED lets any number of workers claim side by side without waiting on each other.
 */
export async function claimJobs(db: Kysely<DB>, worker: string, n: number, leaseSeconds: number, types?: string[], runningHere: number[] = []): Promise<JobRow[]> {
  const r = await sql<JobRow>`
    update jobs j set status = 'running', locked_by = ${worker}, locked_until = now() + make_interval(secs => ${leaseSeconds}::float8),
      attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()), updated_at = now()
    from (
      select id from jobs
      where ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
        ${types?.length ? sql`and type = any(${types}::text[])` : sql``}
        ${runningHere.length ? sql`and id <> all(${runningHere}::bigint[])` : sql``}
      order by priority, run_at, id
      limit ${n}::int
      for update skip locked
    ) c
    where j.id = c.id
    returning j.*`.execute(db);
  return r.rows;
}

/** Extends the lease (and records progress); false when the job is no longer this worker's. */
export async function heartbeat(db: Kysely<DB>, id: number, worker: string, leaseSeconds: number, progress?: { done: number; total: number; note?: string }): Promise<boolean> {
  const r = await sql`
    update jobs set locked_until = now() + make_interval(secs => ${leaseSeconds}::float8), updated_at = now()
      ${progress ? sql`, progress_done = ${progress.done}::int, progress_total = ${progress.total}::int, progress_note = ${progress.note ?? null}` : sql``}
    where id = ${id} and locked_by = ${worker} and status = 'running'`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function saveState(db: Kysely<DB>, id: number, worker: string, state: unknown): Promise<void> {
  await db.updateTable('jobs').set({ state: JSON.stringify(state), updated_at: new Date() }).where('id', '=', id).where('locked_by', '=', worker).execute();
}

export async function completeJob(db: Kysely<DB>, id: number, worker: string, result: unknown): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    // locked_by stays: the log shows which worker finished the job.
    .set({ status: 'done', result: result === undefined ? null : JSON.stringify(result), error: null, locked_until: null, finished_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('locked_by', '=', worker)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The wait before attempt n+1: backoff × 2^(n−1), between 50 % and 100 % of that (jitter), at most an hour. */
export function retryDelayMs(backoffMs: number, attempts: number, rand = Math.random()): number {
  const full = Math.min(3_600_000, backoffMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(full * (0.5 + rand / 2));
}

/** A failed attempt: queued again after the backoff, or failed for good (after max_attempts, or when permanent). */
export async function failJob(db: Kysely<DB>, job: JobRow, worker: string, message: string, permanent: boolean): Promise<'retry' | 'failed'> {
  const final = permanent || job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set(
      final
        ? { status: 'failed', error: message.slice(0, 4000), locked_by: null, locked_until: null, finished_at: new Date(), updated_at: new Date() }
        : { status: 'queued', error: message.slice(0, 4000), locked_by: null, locked_until: null, run_at: new Date(Date.now() + retryDelayMs(job.backoff_ms, job.attempts)), updated_at: new Date() },
    )
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .execute();
  return final ? 'failed' : 'retry';
}

export function jobView(j: JobRow) {
  return {
    id: j.id,
    type: j.type,
    status: j.status,
    payload: j.payload,
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
    progress: { done: j.progress_done, total: j.progress_total, note: j.progress_note },
    lockedBy: j.locked_by,
    leaseUntil: j.locked_until,
    runAt: j.run_at,
    result: j.result,
    error: j.error,
    actor: j.actor,
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    updatedAt: j.updated_at,
  };
}

export async function listJobs(db: Kysely<DB>, f: { status?: string; type?: string; limit?: number; before?: number } = {}) {
  let q = db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(f.limit ?? 50);
  if (f.status) q = q.where('status', '=', f.status as JobRow['status']);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.before) q = q.where('id', '<', f.before);
  const rows = await q.execute();
  const counts = await db.selectFrom('jobs').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
  return { items: rows.map(jobView), counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) };
}

export async function getJob(db: Kysely<DB>, id: number) {
  const j = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!j) throw new AppError('not_found', `job ${id} does not exist`, 'id');
  return jobView(j);
}

/** A failed or cancelled job queued again now, with a fresh set of attempts (audited when an actor is given). */
export async function retryJob(db: Kysely<DB>, id: number, actor?: Actor) {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: new Date(), error: null, finished_at: null, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'cancelled'])
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    await getJob(db, id);
    throw new AppError('conflict', `job ${id} is not failed or cancelled`, 'id');
  }
  if (actor) await inTransaction(db, (trx) => audit(trx, actor, 'job.retry', 'job', id, null, null));
  for (const fn of listeners) fn();
  return getJob(db, id);
}

/** A queued job cancelled (a running one finishes its attempt; it is not interrupted). */
export async function cancelJob(db: Kysely<DB>, id: number, actor?: Actor) {
  const r = await db.updateTable('jobs').set({ status: 'cancelled', finished_at: new Date(), updated_at: new Date() }).where('id', '=', id).where('status', '=', 'queued').executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    await getJob(db, id);
    throw new AppError('conflict', `job ${id} is not queued`, 'id');
  }
  if (actor) await inTransaction(db, (trx) => audit(trx, actor, 'job.cancel', 'job', id, null, null));
  return getJob(db, id);
}
