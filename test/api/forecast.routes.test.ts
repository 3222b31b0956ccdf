import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { dayIso, DAYS, seedForecastHistory } from '../helpers/forecast-data.ts';

describeEachDb('forecast API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await seedForecastHistory(get());
  });

  const waitDone = async (id: number) => {
    for (let i = 0; i < 600; i++) {
      const r = await h.call('GET', `/api/forecasts/runs/${id}`, { role: 'staff' });
      if (r.body.status !== 'running') return r;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`run ${id} did not finish`);
  };

  test('roles: managers start runs, staff read forecasts and runs, kiosks read nothing', async () => {
    assert.equal((await h.call('POST', '/api/forecasts/runs', { body: {} })).status, 401);
    assert.equal((await h.call('POST', '/api/forecasts/runs', { role: 'staff', body: {} })).status, 403);
    assert.equal((await h.call('GET', '/api/forecasts?sku=STEADY', { role: 'kiosk' })).status, 403);
    assert.equal((await h.call('GET', '/api/forecasts/runs', { role: 'kiosk' })).status, 403);
    const start = await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { freq: 'D', horizon: 14 } });
    assert.equal(start.status, 201);
    assert.equal(start.body.status, 'running');
    const run = await waitDone(start.body.id);
    assert.equal(run.status, 200);
    assert.equal(run.body.status, 'done', JSON.stringify(run.body));
    assert.deepEqual(run.body.progress, { done: 4, total: 4 });
    assert.equal(run.body.series, 4);
    const f = await h.call('GET', '/api/forecasts?sku=STEADY&location=S1', { role: 'staff' });
    assert.equal(f.status, 200);
    assert.equal(f.body.items.length, 1);
    const item = f.body.items[0];
    assert.equal(item.runId, start.body.id);
    assert.equal(item.periods.length, 14);
    assert.equal(item.periods[0].date, dayIso(DAYS));
    assert.ok(item.periods.every((p: { p50: number; p80: number; p95: number }) => p.p50 <= p.p80 && p.p80 <= p.p95));
    assert.ok(item.model && item.reason && item.backtest);
    const runs = await h.call('GET', '/api/forecasts/runs', { role: 'staff' });
    assert.equal(runs.body.items[0].id, start.body.id);
    const chart = await h.call('GET', '/api/forecasts/chart?sku=OUT&location=S1&periods=30', { role: 'staff' });
    assert.equal(chart.status, 200);
    assert.equal(chart.body.history.length, 30);
    assert.equal(chart.body.history.filter((x: { outOfStock: boolean }) => x.outOfStock).length, 14);
    assert.equal(chart.body.forecast.periods.length, 14);
  });

  test('bad input: 400 naming the field; unknown SKU, location or run: 404; a second run while one runs: 409', async () => {
    const a = await h.call('GET', '/api/forecasts', { role: 'staff' });
    assert.equal(a.status, 400);
    assert.equal(a.body.field, 'sku');
    const b = await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { freq: 'X' } });
    assert.equal(b.status, 400);
    assert.equal(b.body.field, 'freq');
    const c = await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { horizon: 0 } });
    assert.equal(c.status, 400);
    assert.equal(c.body.field, 'horizon');
    const d = await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { freq: 'M', horizon: 100 } });
    assert.equal(d.status, 400, 'too long for monthly');
    assert.equal(d.body.field, 'horizon');
    const e = await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { bogus: 1 } });
    assert.equal(e.status, 400);
    assert.equal((await h.call('GET', '/api/forecasts?sku=NOPE', { role: 'staff' })).status, 404);
    assert.equal((await h.call('GET', '/api/forecasts?sku=STEADY&location=NOWHERE', { role: 'staff' })).status, 404);
    assert.equal((await h.call('GET', '/api/forecasts/runs/999999', { role: 'staff' })).status, 404);
    assert.equal((await h.call('GET', '/api/forecasts/runs/abc', { role: 'staff' })).status, 400);
    assert.equal((await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { skus: ['NOPE'] } })).status, 404);
    // A small run can finish before the second request is handled (PGlite queues every query behind one lock;
    // PostgreSQL is just fast), so retry until one overlaps — and whenever a second run was accepted, the first
    // must already have ended: two runs never run at once.
    let first!: Awaited<ReturnType<typeof h.call>>;
    let second!: Awaited<ReturnType<typeof h.call>>;
    for (let attempt = 0; attempt < 8; attempt++) {
      first = await h.call('POST', '/api/forecasts/runs', { role: 'manager', body: { freq: 'W', horizon: 4 } });
      second = await h.call('POST', '/api/forecasts/runs', { role: 'admin' });
      assert.equal(first.status, 201);
      if (second.status === 409) break;
      assert.equal(second.status, 201);
      const a = await h.call('GET', `/api/forecasts/runs/${first.body.id}`, { role: 'staff' });
      assert.notEqual(a.body.status, 'running', 'a second run started while the first was running');
      await waitDone(second.body.id);
    }
    assert.equal(second.status, 409);
    assert.match(second.body.error, /already running/);
    assert.equal((await waitDone(first.body.id)).body.status, 'done');
    const w = await h.call('GET', '/api/forecasts?sku=STEADY&location=S1&freq=W', { role: 'staff' });
    assert.equal(w.body.items[0].periods.length, 4);
  });
});
