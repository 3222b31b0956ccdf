import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../../src/errors.ts';
import { startWorker } from '../../src/jobs/index.ts';
import { enqueue } from '../../src/services/jobs.service.ts';
import type { AppServices } from '../../src/services/index.ts';
import { exportLayout, importLayout } from '../../src/services/placement-layout.ts';
import { PlacementService } from '../../src/services/placement.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { ACTOR, DAY, layout, seedPlacementStore } from '../helpers/placement-data.ts';


describeEachDb('placement service', (get) => {
  let services: AppServices;
  let svc: PlacementService;
  before(async () => {
    services = await seedPlacementStore(get());
    svc = new PlacementService(services);
  });

  test('a layout imports, exports the same, and a bad file changes nothing', async () => {
    const r = await importLayout(get().db, layout, ACTOR);
    assert.deepEqual(r, { zones: 3, assignments: 3, assignmentsChanged: 3 });
    const out = await exportLayout(get().db, 'S1');
    assert.deepEqual(out.zones.map((z) => [z.code, z.kind, z.visibility, z.capacity, z.busyHours]), [['WIN', 'window', 2, 2, [17, 18]], ['WALL', 'wall', 1, 2, []], ['BACK', 'back', 0.5, 10, []]]);
    assert.deepEqual(out.assignments, [{ unit: 'Dresses', zone: 'WIN', pinned: false }, { unit: 'Shirts', zone: 'BACK', pinned: false }, { unit: 'Socks', zone: 'WALL', pinned: false }]);
    await assert.rejects(importLayout(get().db, { ...layout, assignments: [{ unit: 'Shirts', zone: 'NOPE' }] }, ACTOR), (e) => e instanceof AppError && e.kind === 'invalid' && e.field === 'assignments');
    await assert.rejects(importLayout(get().db, { ...layout, zones: [{ ...layout.zones[0], capacity: -1 }] }, ACTOR));
    assert.deepEqual((await exportLayout(get().db, 'S1')).assignments.length, 3);
    const audits = await get().db.selectFrom('audit_log').select('action').where('action', '=', 'placement.layout.import').execute();
    assert.equal(audits.length, 1);
  });

  test('optimise moves the best seller into the window, within capacity, with a positive uplift and a bound', async () => {
    const plan = await svc.optimise('S1', ACTOR);
    const after = Object.fromEntries(plan.units.map((u) => [u.key, u.after]));
    assert.equal(after.Shirts, 'WIN', JSON.stringify(plan.units));
    assert.equal(plan.inputs.demand.sales, 4);
    for (const z of plan.zones) assert.ok(z.usedAfter <= z.capacity, `${z.code} over capacity`);
    assert.ok(plan.totalUplift > 0);
    assert.ok(plan.moves.length >= 2);
    assert.ok(Math.abs(plan.moves.reduce((s, m) => s + m.uplift, 0) - plan.totalUplift) < 1e-6);
    assert.ok(plan.bound >= plan.objectiveAfter - 1e-9 && plan.gap < 1e-6);
    assert.ok(plan.objectiveAfter >= plan.greedy - 1e-9);
    assert.equal((await svc.plans('S1')).length, 1);
  });

  test('what-if: pinning the shirts to the back keeps them there, and nothing is saved for a preview', async () => {
    const plan = await svc.optimise('S1', ACTOR, { whatIf: { pins: { Shirts: 'BACK' }, lifts: { WALL: 1.5 } }, save: false });
    assert.equal(plan.id, null);
    assert.equal(plan.units.find((u) => u.key === 'Shirts')!.after, 'BACK');
    assert.equal(plan.zones.find((z) => z.code === 'WALL')!.lift, 1.5);
    assert.equal((await svc.plans('S1')).length, 1);
    await assert.rejects(svc.optimise('S1', ACTOR, { whatIf: { pins: { Shirts: 'NOPE' } } }), /does not exist/);
  });

  test('apply: one of two concurrent applies wins, assignments follow the plan, history kept, audited', async () => {
    const plan = await svc.optimise('S1', ACTOR);
    const results = await Promise.allSettled([svc.apply(plan.id!, ACTOR), svc.apply(plan.id!, ACTOR)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((failed.reason as AppError).kind, 'conflict');
    const now = Object.fromEntries((await exportLayout(get().db, 'S1')).assignments.map((a) => [a.unit, a.zone]));
    for (const u of plan.units) assert.equal(now[u.key] ?? null, u.after, u.key);
    const closed = await get().db.selectFrom('placement_assignments').select('unit_key').where('valid_to', 'is not', null).execute();
    assert.ok(closed.some((c) => c.unit_key === 'Shirts'));
    assert.equal((await svc.plan(plan.id!)).status, 'applied');
    const older = (await svc.plans('S1')).find((p) => p.id !== plan.id)!;
    assert.equal(older.status, 'superseded');
    await assert.rejects(svc.apply(older.id, ACTOR), (e) => e instanceof AppError && e.kind === 'conflict');
    assert.ok(await get().db.selectFrom('audit_log').select('id').where('action', '=', 'placement.apply').executeTakeFirst());
  });

  test('lift learning: sales attributed by assignment history show the window selling more than the back', async () => {
    const { db } = get();
    const zones = new Map((await db.selectFrom('zones').select(['id', 'code']).execute()).map((z) => [z.code, z.id]));
    const loc = (await db.selectFrom('locations').select('id').where('code', '=', 'S1').executeTakeFirstOrThrow()).id;
    // SKU-level history in a second store layout: SX sold 1/day at the back for 30 days, then 3/day in the window
    await db.insertInto('products').values({ sku: 'SX', name: 'Moved shirt', category: 'Apparel', article_type: 'Shirts', gender: 'men', price: 20, cost: 5 }).execute();
    await services.inventory.postMovements(ACTOR, [{ sku: 'SX', location: 'S1', kind: 'opening', qty: 500 }], new Date(Date.now() - 70 * DAY));
    await db.updateTable('placement_settings').set({ settings: JSON.stringify({ granularity: 'sku' }) }).where('location_id', '=', loc).execute();
    await db.insertInto('placement_assignments').values([
      { location_id: loc, unit_key: 'SX', zone_id: zones.get('BACK')!, valid_from: new Date(Date.now() - 60 * DAY), valid_to: new Date(Date.now() - 30 * DAY) },
      { location_id: loc, unit_key: 'SX', zone_id: zones.get('WIN')!, valid_from: new Date(Date.now() - 30 * DAY) },
    ]).execute();
    for (let d = 59; d >= 1; d--) await services.inventory.recordSale(ACTOR, { location: 'S1', occurredAt: new Date(Date.now() - d * DAY + 3600_000), lines: [{ sku: 'SX', qty: d > 30 ? 1 : 3 }] });
    const r = await svc.learn('S1', ACTOR);
    assert.equal(r.salesAttributed, 29 + 30 * 3);
    const win = r.estimates.find((e) => e.zone === 'WIN')!;
    const back = r.estimates.find((e) => e.zone === 'BACK')!;
    // prior ratio 2 / 0.5 = 4, evidence says 3: the posterior moves towards 3 and reports its uncertainty
    assert.ok(win.lift / back.lift < 4 && win.lift / back.lift > 2.5, `${win.lift} / ${back.lift}`);
    assert.ok(win.sd > 0 && win.evidence > 0);
    const z = (await svc.layout('S1')).zones.find((x) => x.code === 'WIN')!;
    assert.equal(z.learnedLift, win.lift);
    // The nightly job does the same for every store with a placement history.
    const id = await enqueue(db, 'placement.learn', {});
    const w = startWorker(services, { pollMs: 20, maxJobs: 1, types: ['placement.learn'] });
    await w.stopped;
    const job = await db.selectFrom('jobs').select(['status', 'result']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(job.status, 'done');
    assert.deepEqual(job.result, { stores: [{ location: 'S1', estimates: r.estimates.length, salesAttributed: 29 + 30 * 3 }] });
  });

  test('kiosk counts are read when the vision_events table exists', async () => {
    const { db } = get();
    await sql`create table if not exists vision_events (id bigserial primary key, occurred_at timestamptz not null, location_id int not null, zone text, source text not null, age_group text not null, gender text not null, confidence real not null, dwell_ms int not null, recommended int[] not null default '{}')`.execute(db);
    const loc = (await db.selectFrom('locations').select('id').where('code', '=', 'S1').executeTakeFirstOrThrow()).id;
    const t = new Date();
    t.setUTCHours(17, 0, 0, 0);
    for (let i = 0; i < 10; i++) await sql`insert into vision_events (occurred_at, location_id, source, age_group, gender, confidence, dwell_ms) values (${new Date(t.getTime() - DAY)}, ${loc}, 'kiosk', '30-44', ${i < 8 ? 'female' : 'male'}, 0.9, 1000)`.execute(db);
    const plan = await svc.optimise('S1', ACTOR, { save: false });
    assert.equal(plan.inputs.visitors, 10);
  });
});
