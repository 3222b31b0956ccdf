import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { registerJobHandler, startWorker, PermanentJobError } from '../../src/jobs/index.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices, type AppServices } from '../../src/services/index.ts';
import { claimJobs, enqueue, getJob, listJobs, retryDelayMs, retryJob } from '../../src/services/jobs.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedForecastHistory } from '../helpers/forecast-data.ts';

const runs: number[] = [];
registerJobHandler('test.count', async ({ job, progress }) => {
  const n = (job.payload as { n: number }).n;
  for (let i = 1; i <= n; i++) await progress(i, n, `step ${i}`, true);
  runs.push(job.id);
  return { counted: n };
});
let flaky = 0;
registerJobHandler('test.flaky', async ({ job }) => {
  flaky++;
  if (job.attempts < 3) throw new Error(`attempt ${job.attempts} fails`);
  return { attempts: job.attempts };
});
registerJobHandler('test.bad', async () => {
  throw new PermanentJobError('payload is wrong');
});

const waitFor = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('backoff doubles per attempt with jitter between 50 and 100 %, capped at an hour', () => {
  assert.equal(retryDelayMs(1000, 1, 1), 1000);
  assert.equal(retryDelayMs(1000, 3, 1), 4000);
  assert.equal(retryDelayMs(1000, 3, 0), 2000);
  assert.equal(retryDelayMs(1000, 40, 1), 3_600_000);
});

describeEachDb('jobs and workers', (get) => {
  let s: AppServices;
  before(() => {
    s = createServices(get());
  });

  test('concurrent claims never hand the same job to two workers (SKIP LOCKED)', async () => {
    const { db } = s.database;
    const ids = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueue(db, 'test.none', { i }));
    const claims = await Promise.all(Array.from({ length: 4 }, (_, w) => claimJobs(db, `w${w}`, 15, 30, ['test.none'])));
    const got = claims.flat().map((j) => j.id);
    assert.equal(new Set(got).size, got.length, 'a job was claimed twice');
    assert.equal(got.length, 40);
    assert.ok(claims.every((c) => c.every((j) => j.status === 'running' && j.attempts === 1)));
    await db.deleteFrom('jobs').where('type', '=', 'test.none').execute();
  });

  test('an expired lease (worker died) makes the job claimable again; the old worker can no longer finish it', async () => {
    const { db } = s.database;
    const id = await enqueue(db, 'test.none', {});
    const [a] = await claimJobs(db, 'dead', 1, 0.05, ['test.none']);
    assert.equal(a.id, id);
    assert.equal((await claimJobs(db, 'other', 1, 30, ['test.none'])).length, 0, 'still leased');
    await new Promise((r) => setTimeout(r, 120));
    const [b] = await claimJobs(db, 'other', 1, 30, ['test.none']);
    assert.equal(b.id, id);
    assert.equal(b.attempts, 2);
    assert.equal(b.locked_by, 'other');
    await db.deleteFrom('jobs').where('id', '=', id).execute();
  });

  test('a worker runs jobs with progress; failures retry with backoff; permanent errors fail at once; dedupe keys', async () => {
    const { db } = s.database;
    flaky = 0;
    const a = await enqueue(db, 'test.count', { n: 3 });
    const b = await enqueue(db, 'test.flaky', {}, { backoffMs: 20, maxAttempts: 4 });
    const c = await enqueue(db, 'test.bad', {}, { maxAttempts: 5 });
    const d1 = await enqueue(db, 'test.count', { n: 1 }, { dedupeKey: 'nightly' });
    const d2 = await enqueue(db, 'test.count', { n: 1 }, { dedupeKey: 'nightly' });
    assert.equal(d1, d2, 'a queued job with the same key is returned');
    const w = startWorker(s, { pollMs: 20, types: ['test.count', 'test.flaky', 'test.bad'] });
    try {
      await waitFor(async () => (await getJob(db, b)).status === 'done' && (await getJob(db, a)).status === 'done' && (await getJob(db, c)).status === 'failed');
    } finally {
      await w.stop();
    }
    const ja = await getJob(db, a);
    assert.deepEqual(ja.progress, { done: 3, total: 3, note: 'step 3' });
    assert.deepEqual(ja.result, { counted: 3 });
    const jb = await getJob(db, b);
    assert.equal(jb.attempts, 3);
    assert.equal(flaky, 3);
    const jc = await getJob(db, c);
    assert.equal(jc.attempts, 1);
    assert.match(jc.error!, /payload is wrong/);
    const again = await retryJob(db, c);
    assert.equal(again.status, 'queued');
    assert.equal(again.attempts, 0);
    const list = await listJobs(db, { type: 'test.count' });
    assert.ok(list.items.length >= 2);
    assert.ok(list.counts.done >= 3);
    await db.deleteFrom('jobs').where('type', 'like', 'test.%').execute();
  });

  test('forecast runs go through jobs: progress recorded, a forecast.updated event in the outbox', async () => {
    await seedForecastHistory(get());
    const { db } = s.database;
    const id = await enqueue(db, 'forecast.run', { freq: 'W', horizon: 4, actor: 'tester' });
    const w = startWorker(s, { pollMs: 20, types: ['forecast.run'] });
    try {
      await waitFor(async () => ['done', 'failed'].includes((await getJob(db, id)).status), 60_000);
    } finally {
      await w.stop();
    }
    const j = await getJob(db, id);
    assert.equal(j.status, 'done', j.error ?? '');
    const r = j.result as { runId: number; series: number };
    assert.equal(r.series, 4);
    assert.equal(j.progress.total, 4);
    const run = await db.selectFrom('forecast_runs').selectAll().where('id', '=', r.runId).executeTakeFirstOrThrow();
    assert.equal(run.actor, 'tester');
    const ev = await db.selectFrom('outbox_events').select(['payload']).where('type', '=', 'forecast.updated').execute();
    assert.ok(ev.some((e) => (e.payload as { runId: number }).runId === r.runId));
    // A retried forecast job whose earlier run had committed returns that run instead of running again.
    await db.updateTable('jobs').set({ status: 'queued', state: JSON.stringify({ runId: r.runId }) }).where('id', '=', id).execute();
    const w2 = startWorker(s, { pollMs: 20, types: ['forecast.run'] });
    await waitFor(async () => (await getJob(db, id)).status === 'done');
    await w2.stop();
    assert.deepEqual((await getJob(db, id)).result, { runId: r.runId, series: 4, resumed: true });
  });

  test('per-store forecast jobs run side by side (one running run per location scope)', async () => {
    const { db } = s.database;
    const loc = await s.catalog.createLocation(SYSTEM, { code: 'S9', name: 'Other', kind: 'store' }).catch(() => null);
    assert.ok(loc);
    const x = await db.insertInto('forecast_runs').values({ freq: 'D', horizon: 1, actor: 't', scope: JSON.stringify({ location: 'S1' }) }).returning('id').executeTakeFirstOrThrow();
    const y = await db.insertInto('forecast_runs').values({ freq: 'D', horizon: 1, actor: 't', scope: JSON.stringify({ location: 'S9' }) }).returning('id').executeTakeFirstOrThrow();
    await assert.rejects(db.insertInto('forecast_runs').values({ freq: 'D', horizon: 1, actor: 't', scope: JSON.stringify({ location: 'S1' }) }).execute());
    await db.updateTable('forecast_runs').set({ status: 'failed' }).where('id', 'in', [x.id, y.id]).execute();
  });
});
