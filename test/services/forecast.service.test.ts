import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AppError } from '../../src/errors.ts';
import { ForecastService } from '../../src/services/forecast.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { dayIso, DAYS, seedForecastHistory, STOCKOUT_FROM } from '../helpers/forecast-data.ts';

const total = (xs: { mean: number }[]) => xs.reduce((a, p) => a + p.mean, 0);

describeEachDb('forecast service', (get, kind) => {
  let svc: ForecastService;
  let firstRun: number;
  before(async () => {
    await seedForecastHistory(get());
    svc = new ForecastService(get());
  });

  test('a daily run forecasts every SKU × location with sales: ordered quantiles, model and reason', async () => {
    const phases = new Set<string>();
    const r = await svc.run({ freq: 'D', horizon: 14, onProgress: (p) => phases.add(p.phase) });
    firstRun = r.id;
    assert.equal(r.series, 4);
    assert.equal(r.asOf, dayIso(DAYS - 1), 'history ends on the last day with a sale');
    assert.deepEqual([...phases], ['read', 'forecast', 'write']);
    for (const sku of ['STEADY', 'OUT', 'IDLE', 'SLOW']) {
      const [f] = await svc.latest(sku, 'S1');
      assert.equal(f.runId, r.id);
      assert.equal(f.periods.length, 14);
      assert.equal(f.periods[0].date, dayIso(DAYS));
      assert.equal(f.periods[13].date, dayIso(DAYS + 13));
      for (const p of f.periods) {
        assert.ok(p.mean >= 0 && p.p50 >= 0, `${sku} non-negative`);
        assert.ok(p.p50 <= p.p80 && p.p80 <= p.p95, `${sku} quantiles ordered on ${p.date}: ${p.p50} ${p.p80} ${p.p95}`);
      }
      assert.ok(f.model.length > 0);
      assert.match(f.reason, /demand \(ADI/);
      assert.ok(f.backtest, `${sku} has a back-test`);
    }
    const [steady] = await svc.latest('STEADY', 'S1');
    assert.equal(steady.demandClass, 'smooth');
    assert.ok(Math.abs(total(steady.periods) / 14 - 5) < 1, `STEADY sells 5 a day on average, forecast ${total(steady.periods) / 14}`);
    assert.ok(steady.periods.some((p) => p.p95 > p.p50), 'an interval, not a point');
    const [slow] = await svc.latest('SLOW', 'S1');
    assert.match(slow.demandClass, /intermittent|lumpy/);
  });

  test('out-of-stock days are flagged and do not teach the model that demand was zero', async () => {
    const [out] = await svc.latest('OUT', 'S1');
    const [idle] = await svc.latest('IDLE', 'S1');
    assert.equal(out.outOfStockPeriods, DAYS - STOCKOUT_FROM);
    assert.equal(idle.outOfStockPeriods, 0, 'in stock with no sales: real zeros');
    // Same sales history; OUT's last 14 days are censored, IDLE's are real zeros.
    assert.ok(total(out.periods) > 2 * total(idle.periods) + 1, `OUT ${total(out.periods)} vs IDLE ${total(idle.periods)}`);
    assert.ok(total(out.periods) / 14 > 3, `OUT forecasts its in-stock rate (~5/day), got ${total(out.periods) / 14}`);
    const chart = await svc.history('OUT', 'S1', 'D', 20);
    assert.equal(chart.history.length, 20);
    assert.deepEqual(chart.history.map((h) => h.outOfStock), [...Array(6).fill(false), ...Array(14).fill(true)]);
    assert.equal(chart.history.at(-1)!.date, dayIso(DAYS - 1));
    assert.equal(chart.forecast!.periods[0].date, dayIso(DAYS));
  });

  test('a second run replaces what latest returns; weekly runs sit beside daily ones', async () => {
    const r2 = await svc.run({ freq: 'D', horizon: 7, skus: ['STEADY'] });
    const [steady] = await svc.latest('STEADY', 'S1', 'D');
    assert.equal(steady.runId, r2.id);
    assert.equal(steady.periods.length, 7);
    const [out] = await svc.latest('OUT', 'S1', 'D');
    assert.equal(out.runId, firstRun, 'items outside the second run keep their forecast');
    const w = await svc.run({ freq: 'W', horizon: 4 });
    assert.equal(w.asOf, dayIso(DAYS - 1), 'the history ends on a Sunday: the last week is complete');
    const [weekly] = await svc.latest('STEADY', 'S1', 'W');
    assert.deepEqual(weekly.periods.map((p) => p.date), [0, 1, 2, 3].map((k) => dayIso(DAYS + 7 * k)));
    assert.ok(Math.abs(weekly.periods[0].mean - 35) < 8, `~35 a week, got ${weekly.periods[0].mean}`);
    assert.equal((await svc.latest('STEADY', 'S1')).length, 2, 'one daily and one weekly');
  });

  test('a failing run is marked failed and leaves the previous forecasts in place', async () => {
    const before = await svc.latest('STEADY', 'S1', 'D');
    let failedId = 0;
    await assert.rejects(
      svc.run({
        freq: 'D',
        horizon: 14,
        onProgress: (p) => {
          failedId = p.runId;
          if (p.phase === 'write' && p.done > 0) throw new Error('disk full (simulated)');
        },
      }),
      /disk full/,
    );
    const run = await svc.getRun(failedId);
    assert.equal(run.status, 'failed');
    assert.match(run.error!, /disk full/);
    const rows = await get().db.selectFrom('forecasts').select('run_id').where('run_id', '=', failedId).execute();
    assert.equal(rows.length, 0, 'rows written before the failure were rolled back');
    assert.deepEqual(await svc.latest('STEADY', 'S1', 'D'), before);
  });

  test('one run at a time; bad options are refused before a run is created', async () => {
    // A run in progress elsewhere (another process): inserted directly, so the test does not race a run that
    // may finish before the second start on a fast database.
    const { db } = get();
    const blocker = await db.insertInto('forecast_runs').values({ freq: 'D', horizon: 3, actor: 'other process' }).returning('id').executeTakeFirstOrThrow();
    let first: Awaited<ReturnType<typeof svc.start>>;
    if (kind === 'postgres') {
      await assert.rejects(svc.start({ freq: 'D' }), (e: unknown) => e instanceof AppError && e.kind === 'conflict' && /already running/.test(e.message));
      await db.updateTable('forecast_runs').set({ status: 'done', finished_at: new Date() }).where('id', '=', blocker.id).execute();
      first = await svc.start({ freq: 'D', horizon: 3 });
    } else {
      // One process owns a PGlite database, so a running run it does not know is left over from a crash.
      first = await svc.start({ freq: 'D', horizon: 3 });
      const b = await svc.getRun(blocker.id);
      assert.equal(b.status, 'failed');
      assert.match(b.error!, /abandoned/);
    }
    const done = await first.finished;
    assert.equal(done.series, 4);
    assert.equal((await svc.getRun(first.id)).status, 'done');
    await assert.rejects(svc.run({ horizon: 0 }), (e: unknown) => e instanceof AppError && e.field === 'horizon');
    await assert.rejects(svc.run({ skus: ['NOPE'] }), (e: unknown) => e instanceof AppError && e.kind === 'not_found');
    const runs = await svc.listRuns();
    assert.deepEqual(runs.map((r) => r.status), ['done', kind === 'postgres' ? 'done' : 'failed', 'failed', 'done', 'done', 'done']);
  });

  test('a promotion in the horizon lifts the forecast on its days by (price ratio)^elasticity; cancelled, it does not', async () => {
    const { db } = get();
    const base = await svc.run({ freq: 'D', horizon: 14, skus: ['STEADY'] });
    const [before] = await svc.latest('STEADY', 'S1', 'D');
    assert.equal(before.runId, base.id);
    const product = await db.selectFrom('products').select('id').where('sku', '=', 'STEADY').executeTakeFirstOrThrow();
    const promo = await db
      .insertInto('promotions')
      .values({ name: 'test', product_id: product.id, kind: 'percent', value: 20, starts_on: dayIso(DAYS + 3), ends_on: dayIso(DAYS + 9), created_by_label: 'test', source: 'markdown', offer: JSON.stringify({ elasticity: -2 }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await svc.run({ freq: 'D', horizon: 14, skus: ['STEADY'] });
    const [after] = await svc.latest('STEADY', 'S1', 'D');
    const lift = 0.8 ** -2; // 1.5625
    after.periods.forEach((p, i) => {
      const f = i >= 3 && i <= 9 ? lift : 1;
      const b = before.periods[i];
      for (const k of ['mean', 'p50', 'p80', 'p95'] as const) assert.ok(Math.abs(p[k] - b[k] * f) < 1e-3 + 1e-6 * b[k], `${k} on day ${i}: ${p[k]} vs ${b[k]} × ${f}`);
    });
    assert.match(after.reason, new RegExp(`promotion #${promo.id} 20 % off, elasticity -2.00: demand ×1.56 over ${dayIso(DAYS + 3)} to ${dayIso(DAYS + 9)}`));
    // Weekly: the week holding part of the promotion is lifted pro rata to its promotion days.
    await svc.run({ freq: 'W', horizon: 4, skus: ['STEADY'] });
    const [weekly] = await svc.latest('STEADY', 'S1', 'W');
    assert.match(weekly.reason, /promotion #/);
    await db.updateTable('promotions').set({ status: 'cancelled' }).where('id', '=', promo.id).execute();
    await svc.run({ freq: 'D', horizon: 14, skus: ['STEADY'] });
    const [again] = await svc.latest('STEADY', 'S1', 'D');
    assert.doesNotMatch(again.reason, /promotion/);
    again.periods.forEach((p, i) => assert.ok(Math.abs(p.mean - before.periods[i].mean) < 1e-3, `day ${i} back to the baseline`));
  });
});
