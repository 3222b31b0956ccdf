// `shelfwise vision watch` on a short video made here with ffmpeg from real UTKFace faces (in a temp dir, never
// committed): nobody, a woman for 3 s, nobody, a man for 3 s, nobody, a couple side by side for 3 s, nobody → four
// anonymous camera events in order (the couple is two), with dwell times from the video's own clock. Refusals exit non-zero. `vision eval` prints the issue's JSON shape.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { runCli } from '../helpers/cli.ts';
import { adultFaces, faceFrame, noFacesReason, seededKioskDir, STORE, utkRows } from '../helpers/kiosk.ts';

const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
const noFfmpeg = spawnSync(ffmpeg, ['-version'], { stdio: 'ignore' }).error ? 'ffmpeg not installed (apt-get install ffmpeg)' : false;

describe('shelfwise vision', { skip: noFacesReason || noFfmpeg, timeout: 300_000 }, () => {
  let tmp: string;
  let dbDir: string;
  let video: string;
  const env = () => ({ SHELFWISE_DB_DIR: dbDir, DATABASE_URL: '' });
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'shelfwise-vision-cli-'));
    ({ dbDir } = await seededKioskDir());
    const [woman1, woman2] = adultFaces('female', 2);
    const [man] = adultFaces('male', 1);
    // The last scene is a couple side by side: two visitors, not one.
    const pair = faceFrame(null, { more: [{ face: woman1, x: 40 }, { face: man, x: 360 }] });
    const scenes: [Buffer, number][] = [
      [faceFrame(null), 8], [faceFrame(woman2), 12], [faceFrame(null), 12], [faceFrame(man), 12], [faceFrame(null), 12], [pair, 12], [faceFrame(null), 4],
    ];
    let n = 0;
    for (const [jpg, frames] of scenes) for (let i = 0; i < frames; i++) writeFileSync(join(tmp, `f${String(n++).padStart(3, '0')}.jpg`), jpg);
    video = join(tmp, 'doorway.mp4');
    const r = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-framerate', '4', '-i', join(tmp, 'f%03d.jpg'), '-c:v', 'mpeg4', '-q:v', '3', '-pix_fmt', 'yuv420p', video], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    for (const d of [tmp, dbDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  test('watch records one anonymous event per person, in order, with dwell from the video clock', async () => {
    const r = await runCli(['vision', 'watch', '--source', video, '--location', STORE, '--zone', 'ENT', '--fps', '4', '--json'], env());
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(summary.frames, 72);
    assert.equal(summary.analysed, 72, 'a file is analysed frame by frame, none dropped');
    assert.ok(summary.framesWithFace >= 32 && summary.framesWithFace <= 36, `frames with a face: ${summary.framesWithFace}`);
    assert.equal(summary.visitors, 4);
    assert.doesNotMatch(r.stdout + r.stderr, /\/9j\/|JFIF/);
    const database = await openDatabase({ dir: dbDir });
    try {
      const rows = await database.db.selectFrom('vision_events').selectAll().orderBy('occurred_at').execute();
      assert.deepEqual(rows.slice(0, 2).map((e) => [e.source, e.zone, e.gender]), [['camera', 'ENT', 'female'], ['camera', 'ENT', 'male']]);
      // The couple: two events starting on the same frame, one woman and one man.
      assert.equal(rows[2].occurred_at.getTime(), rows[3].occurred_at.getTime());
      assert.deepEqual(rows.slice(2).map((e) => e.gender).sort(), ['female', 'male']);
      for (const e of rows) {
        assert.ok(e.dwell_ms >= 2000 && e.dwell_ms <= 3000, `dwell ${e.dwell_ms} ms for 3 s on screen at 4 fps`);
        assert.ok(['20-29', '30-44', '45-59'].includes(e.age_group), e.age_group);
        assert.deepEqual(e.recommended, []);
      }
      // The second person appears 8 + 12 + 12 = 32 frames = 8 s after the first frame, the first after 2 s.
      assert.equal(rows[1].occurred_at.getTime() - rows[0].occurred_at.getTime(), 6000);
    } finally {
      await database.close();
    }
  });

  test('refusals exit non-zero: unknown store, camera switched off, unreadable source, bad fps', async () => {
    const unknown = await runCli(['vision', 'watch', '--source', video, '--location', 'NOPE'], env());
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no location NOPE/);
    const off = await runCli(['vision', 'settings', '--off', STORE], env());
    assert.equal(off.code, 0, off.stderr);
    const refused = await runCli(['vision', 'watch', '--source', video, '--location', STORE], env());
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /switched off/);
    assert.equal((await runCli(['vision', 'settings', '--on', STORE], env())).code, 0);
    const missing = await runCli(['vision', 'watch', '--source', join(tmp, 'nope.mp4'), '--location', STORE], env());
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ffmpeg could not read/);
    const fps = await runCli(['vision', 'watch', '--source', video, '--location', STORE, '--fps', '0'], env());
    assert.notEqual(fps.code, 0);
    assert.match(fps.stderr, /fps/);
  });

  test('eval prints detection rate, gender accuracy, age MAE and per age group on labelled images', async () => {
    const dir = join(utkRows![0].path, '..', '..');
    const labels = join(tmp, 'labels.csv');
    const some = [...adultFaces('female', 5), ...adultFaces('male', 5)];
    writeFileSync(labels, `file,age,gender\n${some.map((r) => `${r.file},${r.age},${r.gender}`).join('\n')}\n`);
    const r = await runCli(['vision', 'eval', '--images', dir, '--labels', labels, '--json'], env());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.faces, 10);
    assert.ok(out.detection_rate >= 0.9, JSON.stringify(out));
    assert.ok(out.gender_accuracy >= 0.8, JSON.stringify(out));
    assert.ok(out.age_mae > 0 && out.age_mae < 12, JSON.stringify(out));
    assert.ok(out.ms_per_image_median > 0);
    assert.ok(out.by_age_group['30-44'] || out.by_age_group['20-29'] || out.by_age_group['45-59']);
  });
});
