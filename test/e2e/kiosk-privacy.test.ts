// Privacy by design, checked on the real server: after a kiosk session with real faces (and a broken frame), the
// database folder and everything the server logged (at debug level) hold no image, no base64 image and no data:
// URL; only anonymous events were stored. The scanner is first shown to find a planted frame, so it can fail.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { adultFaces, faceFrame, findImageTraces, kioskClient, noFacesReason, scanDirForImages, seededKioskDir, STORE } from '../helpers/kiosk.ts';
import { startServer, type RunningServer } from './harness.ts';

describe('kiosk privacy: no image in the data dir or the logs after a session', { skip: noFacesReason, timeout: 240_000 }, () => {
  let server: RunningServer;
  let dbDir: string;
  let token: string;
  before(async () => {
    ({ dbDir, token } = await seededKioskDir());
    server = await startServer({ dbDir, env: { LOG_LEVEL: 'debug' } });
  });
  after(async () => {
    await server?.stop();
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  });

  test('the scanner finds a frame planted in a folder and in a log line', async () => {
    const frame = faceFrame(adultFaces('male', 1)[0]);
    const dir = mkdtempSync(join(tmpdir(), 'shelfwise-scan-check-'));
    try {
      writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.alloc(5000, 7), frame, Buffer.alloc(5000, 9)]));
      assert.ok(findImageTraces(Buffer.from(JSON.stringify({ msg: 'frame', data: frame.toString('base64') }))).length > 0);
      assert.equal((await scanDirForImages(dir)).length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a kiosk session leaves only anonymous events', async () => {
    const c = await kioskClient(`${server.url.replace('http', 'ws')}/api/kiosk/ws?token=${token}&location=${STORE}&zone=ENT`);
    await c.next((m) => m.type === 'hello', 60_000);
    let seq = 0;
    let estimates = 0;
    for (const face of [adultFaces('female', 2)[1], adultFaces('male', 2)[1]]) {
      const frame = faceFrame(face);
      for (let i = 0; i < 5; i++) if ((await c.frame(++seq, frame, 30_000)).person) estimates++;
      await new Promise((r) => setTimeout(r, 2100));
      await c.frame(++seq, faceFrame(null), 30_000);
    }
    const bad = await c.frame(++seq, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 1, 2, 3]), 30_000); // a truncated JPEG
    assert.equal(bad.type, 'error');
    assert.doesNotMatch(bad.error, /JFIF|\/9j\//);
    await c.close();
    assert.ok(estimates >= 8, `estimates on ${estimates}/10 face frames`);
    await server.stop(); // flushes the database to disk

    const traces = await scanDirForImages(dbDir);
    assert.deepEqual(traces, [], 'image traces in the data dir');
    const logs = server.output();
    assert.ok(logs.includes('kiosk connected'), 'debug logs were captured');
    assert.deepEqual(findImageTraces(Buffer.from(logs)), [], 'image traces in the server logs');

    // What was stored: anonymous rows only (two visitors).
    const database = await openDatabase({ dir: dbDir });
    try {
      const rows = await database.db.selectFrom('vision_events').selectAll().execute();
      assert.equal(rows.length, 2);
      for (const r of rows) for (const v of Object.values(r)) assert.ok(typeof v !== 'string' || v.length < 40, `short values only: ${v}`);
    } finally {
      await database.close();
    }
  });
});
