import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import '../jobs/handlers.ts';
import { registeredJobTypes, startWorker } from '../jobs/worker.ts';
import { listJobs, retryJob } from '../services/jobs.service.ts';
import { cliActor, withServices } from './run.ts';

const int = (v: string | undefined, field: string, min: number, max: number) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new AppError('invalid', `${field} must be a whole number from ${min} to ${max}`, field);
  return n;
};

/** Extra handler modules (SHELFWISE_JOB_MODULES=path[,path]): each registers its job types when imported. */
export async function loadJobModules(env = process.env.SHELFWISE_JOB_MODULES) {
  for (const m of (env ?? '').split(',').map((x) => x.trim()).filter(Boolean)) await import(pathToFileURL(resolve(m)).href);
}

/** `shelfwise worker` (runs jobs until stopped) and `shelfwise jobs` (list, retry). */
export function workerCommand(program: Command) {
  program
    .command('worker')
    .description('run background jobs (forecast runs, webhook deliveries, …) until stopped; start any number of them on PostgreSQL')
    .option('-c, --concurrency <n>', 'jobs at once (default 2)')
    .option('--lease <seconds>', 'how long a job stays claimed without a heartbeat (default 30)')
    .option('--poll <ms>', 'idle poll interval (default 500)')
    .option('--types <list>', 'only these job types, comma-separated')
    .option('--max-jobs <n>', 'exit after this many jobs')
    .action(async (o: { concurrency?: string; lease?: string; poll?: string; types?: string; maxJobs?: string }) => {
      await loadJobModules();
      const types = o.types?.split(',').map((t) => t.trim()).filter(Boolean);
      const unknown = types?.find((t) => !registeredJobTypes().includes(t));
      if (unknown) throw new AppError('invalid', `no handler for job type ${unknown}; known: ${registeredJobTypes().join(', ')}`, 'types');
      await withServices(async (s) => {
        const w = startWorker(s, {
          concurrency: int(o.concurrency, 'concurrency', 1, 64),
          leaseSeconds: int(o.lease, 'lease', 1, 3600),
          pollMs: int(o.poll, 'poll', 10, 60_000),
          maxJobs: int(o.maxJobs, 'max-jobs', 1, 1e9),
          types,
        });
        console.log(`worker ${w.id} started (${s.database.kind}; job types: ${(types ?? registeredJobTypes()).join(', ')})`);
        const stop = () => void w.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await w.stopped;
        console.log(`worker ${w.id} stopped: ${w.stats.done} done, ${w.stats.retried} retried, ${w.stats.failed} failed`);
      });
    });

  const jobs = program.command('jobs').description('background jobs: list them, retry a failed one');
  jobs
    .command('list')
    .description('the newest jobs with status and progress')
    .option('--status <s>', 'queued | running | done | failed | cancelled')
    .option('--type <t>', 'only this job type')
    .option('--limit <n>', 'how many (default 20)')
    .option('--json', 'print JSON')
    .action(async (o: { status?: string; type?: string; limit?: string; json?: boolean }) =>
      withServices(async (s) => {
        const r = await listJobs(s.database.db, { status: o.status, type: o.type, limit: int(o.limit, 'limit', 1, 500) ?? 20 });
        if (o.json) return console.log(JSON.stringify(r, null, 2));
        console.log(Object.entries(r.counts).map(([k, v]) => `${k}: ${v}`).join(', ') || 'no jobs');
        for (const j of r.items)
          console.log(`#${j.id} ${j.type.padEnd(16)} ${j.status.padEnd(9)} attempt ${j.attempts}/${j.maxAttempts} ${j.progress.total ? `${j.progress.done}/${j.progress.total}` : ''} ${j.error ? `error: ${j.error}` : ''}`);
      }),
    );
  jobs
    .command('retry <id>')
    .description('queue a failed or cancelled job again')
    .action(async (id: string) =>
      withServices(async (s) => {
        const j = await retryJob(s.database.db, int(id, 'id', 1, Number.MAX_SAFE_INTEGER)!, cliActor());
        console.log(`job ${j.id} queued again`);
      }),
    );
}
