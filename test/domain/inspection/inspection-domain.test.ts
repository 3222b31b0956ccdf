import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { findDefectRegion } from '../../../src/domain/inspection/defect-region.ts';
import { defectRate, qualityAlert, weekRange, weekStart } from '../../../src/domain/inspection/quality.ts';
import { lotOutcome, planSample } from '../../../src/domain/inspection/sampling.ts';
import { AppError } from '../../../src/errors.ts';
import { grayFromBytes } from '../../../src/vision/defect-inspector.ts';
import { loadTildaStain } from '../../../src/vision/datasets.ts';

describe('sampling plans', () => {
  test('n of N, a sample as large as the lot inspects it all, c below n', () => {
    assert.deepEqual(planSample(100, { mode: 'sample', n: 8, acceptMax: 1 }), { plan: 'sample', sampleSize: 8, acceptMax: 1 });
    assert.deepEqual(planSample(5, { mode: 'sample', n: 8, acceptMax: 1 }), { plan: 'all', sampleSize: 5, acceptMax: 0 });
    assert.deepEqual(planSample(10, { mode: 'sample', n: 3, acceptMax: 7 }), { plan: 'sample', sampleSize: 3, acceptMax: 2 });
    assert.deepEqual(planSample(7, { mode: 'all' }), { plan: 'all', sampleSize: 7, acceptMax: 0 });
    assert.throws(() => planSample(0, { mode: 'all' }), (e) => e instanceof AppError && e.field === 'qty');
    assert.throws(() => planSample(10, { mode: 'sample', n: 0, acceptMax: 0 }), (e) => e instanceof AppError && e.field === 'sample');
  });
  test('lot outcome: accept number decides between quarantining the bad units and rejecting the lot', () => {
    const p = planSample(50, { mode: 'sample', n: 5, acceptMax: 1 });
    assert.deepEqual(lotOutcome(50, p, [true, false, false, false, false]), { lotRejected: false, good: 49, defective: 1 });
    assert.deepEqual(lotOutcome(50, p, [true, true, false, false, false]), { lotRejected: true, good: 0, defective: 50 });
    assert.deepEqual(lotOutcome(3, planSample(3, { mode: 'all' }), [true, true, true]), { lotRejected: false, good: 0, defective: 3 });
    assert.throws(() => lotOutcome(50, p, [true]), (e) => e instanceof AppError && e.kind === 'conflict');
  });
});

describe('supplier quality figures', () => {
  test('Wilson interval (checked against the textbook values), alert rule, weeks', () => {
    const r = defectRate({ inspected: 20, defective: 2 });
    assert.equal(r.rate, 0.1);
    assert.ok(Math.abs(r.low! - 0.0279) < 5e-4 && Math.abs(r.high! - 0.3010) < 5e-4, `${r.low} ${r.high}`);
    assert.equal(defectRate({ inspected: 0, defective: 0 }).rate, null);
    assert.equal(qualityAlert({ inspected: 19, defective: 19 }, { threshold: 0.05, minInspected: 20 }), false);
    assert.equal(qualityAlert({ inspected: 20, defective: 1 }, { threshold: 0.05, minInspected: 20 }), false, 'at the threshold is not above it');
    assert.equal(qualityAlert({ inspected: 20, defective: 2 }, { threshold: 0.05, minInspected: 20 }), true);
    assert.equal(weekStart(new Date('2026-11-22T10:00:00Z')), '2026-11-16'); // a Sunday → its Monday
    assert.equal(weekStart(new Date('2026-11-16T00:00:00Z')), '2026-11-16');
    assert.deepEqual(weekRange('2026-11-02', '2026-11-16'), ['2026-11-02', '2026-11-09', '2026-11-16']);
  });
});

const clean = loadTildaStain()?.filter((r) => r.fair && !r.defective && r.split === 'test') ?? null;
describe('defect region', { skip: clean ? false : 'tilda_stain not found (set SHELFWISE_DATA)' }, () => {
  test('clean fabric: no region; a dark blob painted on it is found where it was painted', () => {
    const found = clean!.slice(0, 6).map((r) => findDefectRegion(grayFromBytes(readFileSync(r.path))));
    assert.ok(found.filter((f) => f === null).length >= 5, 'clean photos mostly have no region');
    const img = grayFromBytes(readFileSync(clean![1].path));
    // A soft dark stain, radius 40 px, centred at (560, 150) of the 768×512 photo.
    const cx = 560, cy = 150, rad = 40;
    for (let y = 0; y < img.height; y++)
      for (let x = 0; x < img.width; x++) {
        const d = Math.hypot(x - cx, y - cy) / rad;
        if (d < 1) img.data[y * img.width + x] *= 1 - 0.35 * (1 - d * d);
      }
    const r = findDefectRegion(img)!;
    assert.ok(r, 'a region');
    const [px, py] = [cx / img.width, cy / img.height];
    assert.ok(r.x <= px && px <= r.x + r.w && r.y <= py && py <= r.y + r.h, `stain centre inside ${JSON.stringify(r)}`);
    assert.ok(r.w < 0.3 && r.h < 0.4, 'a box around the stain, not the whole photo');
  });
});
