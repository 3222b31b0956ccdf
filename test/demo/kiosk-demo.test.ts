// The demo store's visitors (src/demo/kiosk-demo.ts): real analyzer output on real UTKFace faces, recorded as
// anonymous 'demo' events for FASH1 by the kiosk's own service method, with nothing image-like stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import {
  analyzeDemoFace, CLOSE_HOUR, DEMO_VISITOR_STORE, demoFaceOrder, demoVisit, DWELL_MAX_S, DWELL_MIN_S, OPEN_HOUR, recordDemoVisitors, WINDOW_DAYS,
} from '../../src/demo/kiosk-demo.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { loadUtkFace } from '../../src/vision/datasets.ts';
import { describeEachDb } from '../helpers/db.ts';
import { findImageTraces } from '../helpers/kiosk.ts';

const rows = loadUtkFace();
const skip = rows ? false : 'UTKFace not found (set SHELFWISE_DATA or provide ../shared/data/faces/utkface)';
const N = 12;
const NOW = new Date('2026-03-18T15:42:00Z');
const TODAY = Date.parse('2026-03-18T00:00:00Z');
const DAY = 86_400_000;
const ZONES: [string, string, number][] = [['ENT', 'entrance', 1], ['WIN', 'window', 0.9], ['FT1', 'table', 0.8], ['WALLA', 'wall', 0.4], ['BACK', 'back', 0.2]];

/** What the analyzer says for the first N files it finds a face in (the demo's order), with the demo's time rule. */
let expected: { at: number; zone: string | null; dwellMs: number; gender: string; ageGroup: string }[] = [];
before(async () => {
  if (!rows) return;
  for (const r of demoFaceOrder(rows)) {
    if (expected.length >= N) break;
    const f = await analyzeDemoFace(r.path);
    if (!f) continue;
    const v = demoVisit(r.file, new Date(TODAY), ZONES.map(([code, kind, visibility]) => ({ code, kind, visibility })).sort((a, b) => (a.code < b.code ? -1 : 1)));
    expected.push({ at: v.at.getTime(), zone: v.zone, dwellMs: v.dwellMs, gender: f.gender, ageGroup: f.ageGroup });
  }
  expected = expected.sort((a, b) => a.at - b.at);
});

describeEachDb('demo visitors from real faces', (db) => {
  test(`${N} 'demo' events for FASH1 matching the analyzer, inside the window and opening hours, no image bytes`, { skip }, async () => {
    const s = createServices(db());
    await s.catalog.createLocation(SYSTEM, { code: DEMO_VISITOR_STORE, name: 'Clothing', kind: 'store' });
    await s.catalog.createLocation(SYSTEM, { code: 'UKR', name: 'Gifts', kind: 'store' });
    const fash = await db().db.selectFrom('locations').select('id').where('code', '=', DEMO_VISITOR_STORE).executeTakeFirstOrThrow();
    await db().db.insertInto('zones').values(ZONES.map(([code, kind, visibility]) => ({ location_id: fash.id, code, name: code, kind, visibility, capacity: 10 }))).execute();

    // Nothing may be written to any file while the faces are read and analysed.
    const writes: string[] = [];
    const names = ['writeFileSync', 'appendFileSync', 'writeSync', 'writeFile', 'appendFile', 'write', 'createWriteStream'] as const;
    const saved = names.map((k) => (fs as any)[k]);
    for (const k of names) (fs as any)[k] = (...a: unknown[]) => { writes.push(`${k} ${String(a[0])}`); return (saved[names.indexOf(k)] as Function)(...a); };
    syncBuiltinESMExports();
    let r;
    try {
      r = await recordDemoVisitors(s, { n: N, now: NOW });
    } finally {
      names.forEach((k, i) => ((fs as any)[k] = saved[i]));
      syncBuiltinESMExports();
    }
    assert.ok(r, 'the step ran');
    assert.deepEqual(writes.filter((w) => !/^write(Sync)? [12]$/.test(w)), [], 'no file writes (stdout/stderr aside)');
    assert.equal(r.events, N);
    assert.equal(r.byGender.male + r.byGender.female, N);

    const got = await sql<{ at: Date; loc: string; zone: string | null; source: string; gender: string; age_group: string; dwell_ms: number; confidence: number }>`
      select e.occurred_at as at, l.code as loc, e.zone, e.source, e.gender, e.age_group, e.dwell_ms, e.confidence
      from vision_events e join locations l on l.id = e.location_id order by e.occurred_at`.execute(db().db);
    assert.equal(got.rows.length, N, 'N events, all of them the demo step’s');
    assert.ok(got.rows.every((e) => e.loc === DEMO_VISITOR_STORE && e.source === 'demo'));
    // Gender and age band are the analyzer's for those files (through the kiosk's tracker), at the rule's times.
    assert.deepEqual(
      got.rows.map((e) => ({ at: new Date(e.at).getTime(), zone: e.zone, dwellMs: e.dwell_ms, gender: e.gender, ageGroup: e.age_group })),
      expected,
    );
    for (const e of got.rows) {
      const t = new Date(e.at).getTime();
      assert.ok(t >= TODAY - WINDOW_DAYS * DAY && t < TODAY, `inside the ${WINDOW_DAYS} days before today: ${new Date(t).toISOString()}`);
      const h = new Date(t).getUTCHours();
      assert.ok(h >= OPEN_HOUR && h < CLOSE_HOUR, `opening hours: ${new Date(t).toISOString()}`);
      assert.ok(t + e.dwell_ms <= Math.floor(t / DAY) * DAY + CLOSE_HOUR * 3_600_000, 'the visit ends by closing time');
      assert.ok(e.dwell_ms >= DWELL_MIN_S * 1000 && e.dwell_ms <= DWELL_MAX_S * 1000);
      assert.ok(e.confidence >= 0.5 && e.confidence <= 1);
    }

    // No image bytes anywhere: no binary column on vision_events, and no row of any table holds JPEG/PNG
    // magic, base64 JPEG/PNG or a data: URL (the scanner is first shown to find one).
    assert.ok(findImageTraces(Buffer.from(JSON.stringify({ x: fs.readFileSync(rows![0].path).toString('base64') }))).length > 0, 'the scanner finds a base64 JPEG');
    assert.ok(findImageTraces(fs.readFileSync(rows![0].path)).length > 0, 'the scanner finds JPEG bytes');
    const cols = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns where table_name = 'vision_events' and table_schema = current_schema()`.execute(db().db);
    assert.ok(cols.rows.length >= 10);
    assert.deepEqual(cols.rows.filter((c) => c.data_type === 'bytea'), [], 'no binary column');
    const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db().db);
    for (const { t } of tables.rows) {
      const all = await sql<{ r: string }>`select t::text as r from ${sql.table(t)} t`.execute(db().db);
      for (const { r } of all.rows) assert.deepEqual(findImageTraces(Buffer.from(r, 'latin1')), [], `table ${t}`);
    }

    // Running it again replaces the demo events instead of adding to them.
    await recordDemoVisitors(s, { n: 3, now: NOW });
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from vision_events where source = 'demo'`.execute(db().db)).rows[0].n, 3);
  });
});
