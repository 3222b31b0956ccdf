import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextRunAt, parseForecastAt, startScheduler } from '../../src/jobs/scheduler.ts';
import { startWorker } from '../../src/jobs/index.ts';
import { forecastServiceOf } from '../../src/services/forecast.service.ts';
import { createServices } from '../../src/services/index.ts';
import { describeEachDb } from '../helpers/db.ts';
import { seedForecastHistory } from '../helpers/forecast-data.ts';

test('FORECAST_AT: HH:MM local time, default 02:00, off disables, nonsense is a configuration error', () => {
  assert.deepEqual(parseForecastAt(undefined), { hour: 2, minute: 0 });
  assert.deepEqual(parseForecastAt('23:15'), { hour: 23, minute: 15 });
  assert.equal(parseForecastAt('off'), null);
  assert.throws(() => parseForecastAt('25:00'), /FORECAST_AT/);
  assert.throws(() => parseForecastAt('2am'), /FORECAST_AT/);
});

test('the next run is the next local HH:MM strictly after now', () => {
  const at = { hour: 2, minute: 0 };
  const before = new Date(2026, 10, 22, 1, 30);
  assert.deepEqual(nextRunAt(before, at), new Date(2026, 10, 22, 2, 0));
  assert.deepEqual(nextRunAt(new Date(2026, 10, 22, 2, 0), at), new Date(2026, 10, 23, 2, 0));
  assert.deepEqual(nextRunAt(new Date(2026, 11, 31, 23, 0), at), new Date(2027, 0, 1, 2, 0));
});

describeEachDb('forecast scheduler', (get) => {
  test('a tick starts a run, skips while one is running or the demo loads; off means no timer', async () => {
    await seedForecastHistory(get());
    const services = createServices(get());
    const off = startScheduler(services, { FORECAST_AT: 'off' });
    assert.equal(off.next(), null);
    const s = startScheduler(services, { FORECAST_AT: '02:00' });
    assert.ok(s.next()! > new Date());
    const svc = forecastServiceOf(services);
    const running = await svc.start({ freq: 'W', horizon: 2 });
    assert.equal(await s.tick(), 'skipped: running');
    await running.finished;
    services.status.demo = 'loading';
    assert.equal(await s.tick(), 'skipped: loading');
    services.status.demo = 'loaded';
    assert.equal(await s.tick(), 'started');
    // The tick queues a forecast.run job; a worker runs it (the server runs one; `shelfwise worker` too).
    const w = startWorker(services, { pollMs: 20, types: ['forecast.run'] });
    for (let i = 0; i < 500 && ((await svc.listRuns(1))[0].status === 'running' || (await svc.listRuns(1))[0].freq !== 'D'); i++) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    const [last] = await svc.listRuns(1);
    assert.equal(last.status, 'done');
    assert.equal(last.actor, 'scheduler');
    assert.equal(last.freq, 'D');
    assert.equal(last.series, 4);
    s.stop();
    assert.equal(s.next(), null);
  });
});
