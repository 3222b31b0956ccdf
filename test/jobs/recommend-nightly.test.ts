import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWorker } from '../../src/jobs/index.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { createServices } from '../../src/services/index.ts';
import { recommendServiceOf } from '../../src/services/recommend.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedRecommendStore } from '../helpers/recommend-data.ts';

describeEachDb('nightly recommendation training', (get) => {
  test('the nightly tick queues the forecast; its job queues replenishment and the recommendations retraining with a hold-out score', async () => {
    await seedRecommendStore(get());
    const services = createServices(get());
    const s = startScheduler(services, { FORECAST_AT: '02:00' });
    const w = startWorker(services, { pollMs: 20 });
    try {
      assert.equal(await s.tick(), 'started');
      const models = recommendServiceOf(services).models;
      let last;
      for (let i = 0; i < 1500; i++) {
        [last] = await models.list(1);
        if (last && last.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 40));
      }
      assert.ok(last, 'a training run was recorded');
      assert.equal(last.status, 'done', JSON.stringify(last));
      assert.equal(last.actor, 'scheduler');
      assert.ok(last.metrics?.evaluation, 'evaluated');
      assert.equal(recommendServiceOf(services).serving()?.id, last.id, 'the new version serves');
      const jobs = await get().db.selectFrom('jobs').select(['type', 'status']).orderBy('id').execute();
      assert.deepEqual(jobs.map((j) => j.type), ['forecast.run', 'replenishment.run', 'recommend.train', 'placement.learn']);
      const repl = await get().db.selectFrom('replenishment_runs').select(['actor']).execute();
      assert.equal(repl.length, 1, 'one replenishment run after the forecast');
    } finally {
      await w.stop();
      s.stop();
    }
  });
});
