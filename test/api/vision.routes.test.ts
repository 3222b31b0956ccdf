// The vision routes over the in-process app: validation (400 with the field), roles, settings round trip, the
// kiosk's start-up check, and the demographics report shape.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { apiHarness } from '../helpers/api.ts';
import { describeEachDb } from '../helpers/db.ts';

describeEachDb('vision API', (get) => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  before(async () => {
    h = await apiHarness(get());
    await h.call('POST', '/api/locations', { role: 'admin', body: { code: 'S1', name: 'Store', kind: 'store' } });
  });

  test('settings: defaults, 400 naming the field, 404 for an unknown store, admin only to change', async () => {
    assert.deepEqual((await h.call('GET', '/api/vision/settings', { role: 'manager' })).body, { retentionDays: 90, disabledLocations: [] });
    const bad = await h.call('PUT', '/api/vision/settings', { role: 'admin', body: { retentionDays: 0 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'retentionDays');
    const extra = await h.call('PUT', '/api/vision/settings', { role: 'admin', body: { retention: 30 } });
    assert.equal(extra.status, 400);
    assert.equal((await h.call('PUT', '/api/vision/settings', { role: 'admin', body: { disabledLocations: ['NOPE'] } })).status, 404);
    assert.equal((await h.call('PUT', '/api/vision/settings', { role: 'manager', body: { retentionDays: 30 } })).status, 403);
    const ok = await h.call('PUT', '/api/vision/settings', { role: 'admin', body: { retentionDays: 30, disabledLocations: ['S1'] } });
    assert.deepEqual(ok.body, { retentionDays: 30, disabledLocations: ['S1'] });
    const cfg = await h.call('GET', '/api/kiosk/config?location=S1', { role: 'kiosk' });
    assert.equal(cfg.status, 200);
    assert.equal(cfg.body.enabled, false);
    assert.match(cfg.body.reason, /switched off/);
    await h.call('PUT', '/api/vision/settings', { role: 'admin', body: { retentionDays: 90, disabledLocations: [] } });
    const on = await h.call('GET', '/api/kiosk/config', { role: 'kiosk' });
    assert.deepEqual([on.body.enabled, on.body.location, on.body.socket], [true, 'S1', '/api/kiosk/ws']);
    assert.equal((await h.call('GET', '/api/kiosk/config?location=NOPE', { role: 'kiosk' })).status, 404);
  });

  test('demographics: validated query, empty report shape, managers only', async () => {
    const bad = await h.call('GET', '/api/vision/demographics?from=yesterday', { role: 'manager' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'from');
    const rev = await h.call('GET', '/api/vision/demographics?from=2026-02-01&to=2026-01-01', { role: 'manager' });
    assert.equal(rev.status, 400);
    assert.equal((await h.call('GET', '/api/vision/demographics', { role: 'staff' })).status, 403);
    const r = await h.call('GET', '/api/vision/demographics?location=S1&tz=60', { role: 'manager' });
    assert.equal(r.status, 200);
    assert.equal(r.body.visitors, 0);
    assert.equal(r.body.byWeekdayHour.length, 7);
    assert.equal(r.body.byWeekdayHour[0].length, 24);
    assert.equal(r.body.cells.length, 12);
    assert.deepEqual(r.body.attach, { shown: 0, converted: 0, rate: null, items: [] });
  });
});
