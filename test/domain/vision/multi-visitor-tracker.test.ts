import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iou, MultiVisitorTracker, type TrackedFace } from '../../../src/domain/vision/multi-visitor-tracker.ts';

const face = (x: number, pMale: number, ageYears: number): TrackedFace => ({ box: { x, y: 100, width: 80, height: 80 }, pMale, ageYears, weight: 0.9 });

test('box overlap', () => {
  assert.equal(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 10, height: 10 }), 1);
  assert.equal(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 }), 0);
  assert.ok(Math.abs(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 }) - 50 / 150) < 1e-12);
});

test('a group of three walking through the door is three visitors, each with their own profile', () => {
  const t = new MultiVisitorTracker();
  let now = 0;
  const left = [];
  // Three people side by side moving right 10 px per frame for 3 s at 4 frames/s; one single-frame false detection.
  for (let i = 0; i < 12; i++, now += 250) {
    const faces = [face(50 + 10 * i, 0.95, 35), face(250 + 10 * i, 0.05, 24), face(450 + 10 * i, 0.9, 8)];
    if (i === 5) faces.push(face(900, 0.5, 50));
    left.push(...t.update(faces, now));
  }
  assert.equal(left.length, 0, 'nobody left while in view');
  assert.equal(t.size, 4, 'the false detection is tracked until it times out');
  for (let i = 0; i < 12; i++, now += 250) left.push(...t.update([], now));
  assert.equal(t.size, 0);
  assert.equal(left.length, 3, 'the one-frame sighting is not a visitor');
  const profiles = left.map((v) => `${v.gender} ${v.ageGroup}`).sort();
  assert.deepEqual(profiles, ['female 20-29', 'male 30-44', 'male child'].sort());
  for (const v of left) assert.ok(v.dwellMs >= 2500 && v.frames === 12, `dwell ${v.dwellMs} frames ${v.frames}`);
});

test('one leaves while the other stays; the stream ends with the other still in view', () => {
  const t = new MultiVisitorTracker();
  let now = 0;
  const left = [];
  for (let i = 0; i < 8; i++, now += 250) left.push(...t.update([face(100, 0.9, 40), face(400, 0.1, 30)], now));
  for (let i = 0; i < 12; i++, now += 250) left.push(...t.update([face(400, 0.1, 30)], now));
  assert.equal(left.length, 1);
  assert.equal(left[0].gender, 'male');
  const rest = t.end();
  assert.equal(rest.length, 1);
  assert.equal(rest[0].gender, 'female');
  assert.equal(rest[0].frames, 20);
});
