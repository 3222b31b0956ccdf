import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';
import { layout, seedPlacementStore } from '../helpers/placement-data.ts';

describeEachDb('placement API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await seedPlacementStore(get());
  });

  test('layout round trip, optimise, what-if, apply, learn: roles and statuses', async () => {
    assert.equal((await h.call('PUT', '/api/placement/layout', { role: 'staff', body: layout })).status, 403);
    const put = await h.call('PUT', '/api/placement/layout', { role: 'manager', body: layout });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const exp = await h.call('GET', '/api/placement/layout/export?location=S1', { role: 'staff' });
    assert.equal(exp.status, 200);
    assert.match(exp.headers.get('content-disposition') ?? '', /layout-S1\.json/);
    assert.equal(exp.body.zones.length, 3);
    assert.equal((await h.call('PUT', '/api/placement/layout', { role: 'manager', body: exp.body })).body.assignmentsChanged, 0, 'importing the export changes nothing');
    const lay = await h.call('GET', '/api/placement/layout?location=S1', { role: 'staff' });
    assert.equal(lay.body.zones[0].code, 'WIN');
    assert.equal(lay.body.assignments.length, 3);

    assert.equal((await h.call('POST', '/api/placement/optimise', { role: 'staff', body: { location: 'S1' } })).status, 403);
    const plan = await h.call('POST', '/api/placement/optimise', { role: 'manager', body: { location: 'S1' } });
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    assert.ok(plan.body.id > 0 && plan.body.moves.length > 0 && plan.body.totalUplift > 0);
    assert.ok(plan.body.gap >= 0 && plan.body.gap < 0.02);
    const whatIf = await h.call('POST', '/api/placement/optimise', { role: 'manager', body: { location: 'S1', save: false, whatIf: { pins: { Shirts: 'WALL' } } } });
    assert.equal(whatIf.body.units.find((u: { key: string }) => u.key === 'Shirts').after, 'WALL');
    const got = await h.call('GET', `/api/placement/plans/${plan.body.id}`, { role: 'staff' });
    assert.equal(got.body.moves.length, plan.body.moves.length);
    const list = await h.call('GET', '/api/placement/plans?location=S1', { role: 'staff' });
    assert.equal(list.body.items.length, 1);
    const applied = await h.call('POST', `/api/placement/plans/${plan.body.id}/apply`, { role: 'manager' });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.equal((await h.call('POST', `/api/placement/plans/${plan.body.id}/apply`, { role: 'manager' })).status, 409);
    const learn = await h.call('POST', '/api/placement/learn', { role: 'manager', body: { location: 'S1' } });
    assert.equal(learn.status, 200);
    assert.equal(learn.body.estimates.length, 3);
  });

  test('bad input: 400 with the field, unknown location or plan: 404', async () => {
    const bad = await h.call('PUT', '/api/placement/layout', { role: 'manager', body: { ...layout, zones: [{ ...layout.zones[0], capacity: -3 }] } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.field, /zones/);
    const w = await h.call('POST', '/api/placement/optimise', { role: 'manager', body: { location: 'S1', whatIf: { weights: { recommend: -1 } } } });
    assert.equal(w.status, 400);
    assert.match(w.body.field, /recommend/);
    const pin = await h.call('POST', '/api/placement/optimise', { role: 'manager', body: { location: 'S1', whatIf: { pins: { Shirts: 'NOWHERE' } } } });
    assert.equal(pin.status, 400);
    assert.equal(pin.body.field, 'pins');
    assert.equal((await h.call('GET', '/api/placement/layout?location=NOPE', { role: 'staff' })).status, 404);
    assert.equal((await h.call('GET', '/api/placement/plans/999999', { role: 'staff' })).status, 404);
  });
});
