import { hostname } from 'node:os';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import type { AppServices } from '../services/index.ts';
import { claimJobs, completeJob, failJob, heartbeat, onEnqueue, saveState, type JobRow } from '../services/jobs.service.ts';

/** What a handler gets: the job, the services, progress reporting (extends the lease too) and a checkpoint. */
export interface JobContext {
  job: JobRow;
  services: AppServices;
  workerId: string;
  /** Records progress (throttled to one write per 500 ms unless force) and extends the lease. */
  progress(done: number, total: number, note?: string, force?: boolean): Promise<void>;
  /** Saves the handler's checkpoint in jobs.state; a retried attempt finds it in job.state. */
  saveState(state: unknown): Promise<void>;
  /** Aborted when the worker stops or loses the job's lease. */
  signal: AbortSignal;
}
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

/** Thrown by a handler when retrying cannot help (bad payload): the job fails at once. */
export class PermanentJobError extends Error {}

const handlers = new Map<string, JobHandler>();

/**
 * Registers the handler of a job type (once per process, at import time of the module that owns the type).
 * Handlers must be idempotent: a job whose worker died mid-way runs again from the start (or from its saved state).
 */
export function registerJobHandler(type: string, handler: JobHandler): void {
  handlers.set(type, handler);
}
export const registeredJobTypes = () => [...handlers.keys()];

/** Work done by a worker between claims (the webhook outbox dispatcher); returns how many things it did. */
const sweepers: ((services: AppServices) => Promise<number>)[] = [];
export function registerSweeper(fn: (services: AppServices) => Promise<number>): void {
  sweepers.push(fn);
}

export interface WorkerOptions {
  id?: string;
  /** Jobs run at once by this worker (default 2). */
  concurrency?: number;
  /** How long a claimed job stays this worker's without a heartbeat (default 30 s; heartbeats every third of it). */
  leaseSeconds?: number;
  /** Idle poll interval (default 500 ms). */
  pollMs?: number;
  /** Only these job types (default: every registered type). */
  types?: string[];
  /** Stop after this many jobs (tests, `worker --once`). */
  maxJobs?: number;
}

export interface Worker {
  id: string;
  /** Stops claiming; resolves when running jobs have settled. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped (stop(), or maxJobs reached). */
  stopped: Promise<void>;
  /** Resolves when the worker is idle (nothing claimable and nothing running). */
  idle(): Promise<void>;
  stats: { done: number; failed: number; retried: number };
}

export function startWorker(services: AppServices, o: WorkerOptions = {}): Worker {
  const id = o.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  const concurrency = o.concurrency ?? 2;
  const lease = o.leaseSeconds ?? 30;
  const pollMs = o.pollMs ?? 500;
  const { db } = services.database;
  const running = new Set<Promise<void>>();
  const runningIds = new Set<number>();
  const stats = { done: 0, failed: 0, retried: 0 };
  const stopper = new AbortController();
  let stopped = false;
  let wake: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];
  let claimed = 0;
  const off = onEnqueue(() => wake?.());

  async function runJob(job: JobRow) {
    const handler = handlers.get(job.type);
    const ac = new AbortController();
    const onStop = () => ac.abort();
    stopper.signal.addEventListener('abort', onStop);
    let last = 0;
    const beat = setInterval(() => {
      heartbeat(db, job.id, id, lease).then((mine) => !mine && ac.abort(), () => {});
    }, (lease * 1000) / 3);
    const ctx: JobContext = {
      job,
      services,
      workerId: id,
      signal: ac.signal,
      async progress(done, total, note, force) {
        if (!force && Date.now() - last < 500) return;
        last = Date.now();
        if (!(await heartbeat(db, job.id, id, lease, { done, total, note }))) ac.abort();
      },
      saveState: (s) => saveState(db, job.id, id, s),
    };
    try {
      if (!handler) throw new PermanentJobError(`no handler for job type ${job.type}`);
      if (job.attempts > job.max_attempts) throw new PermanentJobError(`gave up after ${job.max_attempts} attempts (the last worker stopped mid-job)`);
      const result = await handler(ctx);
      if (await completeJob(db, job.id, id, result)) stats.done++;
      else log.warn('job finished after its lease was lost', { job: job.id, worker: id });
    } catch (e) {
      const permanent = e instanceof PermanentJobError || (e instanceof AppError && ['invalid', 'not_found', 'forbidden'].includes(e.kind));
      const message = e instanceof Error ? e.message : String(e);
      const outcome = await failJob(db, job, id, message, permanent).catch(() => 'retry' as const);
      if (outcome === 'failed') stats.failed++;
      else stats.retried++;
      log[outcome === 'failed' ? 'warn' : 'info']('job attempt failed', { job: job.id, type: job.type, attempt: job.attempts, outcome, error: message });
    } finally {
      clearInterval(beat);
      stopper.signal.removeEventListener('abort', onStop);
    }
  }

  async function loop() {
    const types = o.types ?? registeredJobTypes();
    while (!stopped) {
      let did = 0;
      try {
        for (const s of sweepers) did += await s(services);
        const free = concurrency - running.size;
        if (free > 0 && (o.maxJobs === undefined || claimed < o.maxJobs)) {
          const n = o.maxJobs === undefined ? free : Math.min(free, o.maxJobs - claimed);
          // Never this worker's own running jobs, even if their lease lapsed while the database was busy.
          const jobs = await claimJobs(db, id, n, lease, types, [...runningIds]);
          claimed += jobs.length;
          did += jobs.length;
          for (const job of jobs) {
            runningIds.add(job.id);
            const p = runJob(job).finally(() => {
              runningIds.delete(job.id);
              running.delete(p);
              wake?.();
            });
            running.add(p);
          }
        }
      } catch (e) {
        if (stopped) break;
        log.error('worker: poll failed', { worker: id, error: String((e as Error)?.message ?? e) });
      }
      if (o.maxJobs !== undefined && claimed >= o.maxJobs && running.size === 0) break;
      if (did === 0 && running.size === 0) {
        for (const w of idleWaiters) w();
        idleWaiters = [];
      }
      if (did === 0 || running.size >= concurrency) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, pollMs);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        wake = null;
      }
    }
    await Promise.allSettled([...running]);
    for (const w of idleWaiters) w();
  }

  const done = loop();
  return {
    id,
    stats,
    stopped: done.then(() => off()),
    async stop() {
      stopped = true;
      off();
      wake?.();
      await done;
      stopper.abort();
    },
    idle: () => new Promise<void>((r) => idleWaiters.push(r)),
  };
}
