import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TemporalSmoother } from '../../../src/domain/vision/temporal-smoother.ts';

const FRAME = 250; // 4 frames per second

describe('temporal smoother', () => {
  test('one outlier frame does not flip gender or age group', () => {
    const s = new TemporalSmoother();
    let t = 0;
    for (let i = 0; i < 8; i++) s.update({ pMale: 0.85, ageYears: 35 }, (t += FRAME));
    const outlier = s.update({ pMale: 0.02, ageYears: 70 }, (t += FRAME));
    assert.equal(outlier.gender, 'male');
    assert.equal(outlier.ageGroup, '30-44');
    for (let i = 0; i < 3; i++) {
      const r = s.update({ pMale: 0.85, ageYears: 35 }, (t += FRAME));
      assert.equal(r.gender, 'male');
      assert.equal(r.ageGroup, '30-44');
    }
  });

  test('a sustained change does switch, after the dwell time', () => {
    const s = new TemporalSmoother({ minDwellMs: 600 });
    let t = 0;
    for (let i = 0; i < 8; i++) s.update({ pMale: 0.8, ageYears: 25 }, (t += FRAME));
    let switchedAt = -1;
    for (let i = 0; i < 20; i++) {
      const r = s.update({ pMale: 0.1, ageYears: 25 }, (t += FRAME));
      if (r.gender === 'female' && switchedAt < 0) switchedAt = i;
    }
    assert.ok(switchedAt >= 3, `switched after ${switchedAt} frames (too fast)`);
    assert.ok(switchedAt <= 10, `switched after ${switchedAt} frames (too slow)`);
  });

  test('values near a boundary do not oscillate', () => {
    const s = new TemporalSmoother();
    let t = 0;
    const shown = new Set<string>();
    const genders = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = s.update({ pMale: i % 2 ? 0.56 : 0.44, ageYears: i % 2 ? 31 : 28.5 }, (t += FRAME));
      if (i > 2) { shown.add(r.ageGroup ?? ''); genders.add(r.gender ?? ''); }
    }
    assert.equal(shown.size, 1);
    assert.equal(genders.size, 1);
  });

  test('resets after nobody is seen for a while', () => {
    const s = new TemporalSmoother({ resetAfterMs: 1000 });
    s.update({ pMale: 0.9, ageYears: 40 }, 0);
    assert.equal(s.update(null, 500).present, true);
    const gone = s.update(null, 1600);
    assert.equal(gone.present, false);
    assert.equal(gone.gender, null);
    const next = s.update({ pMale: 0.1, ageYears: 8 }, 1700);
    assert.equal(next.gender, 'female');
    assert.equal(next.ageGroup, 'child');
    assert.equal(next.frames, 1);
  });
});
