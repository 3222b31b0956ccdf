import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadTildaStain } from '../../src/vision/datasets.ts';
import { DefectInspector, defectFeaturesFromBytes } from '../../src/vision/defect-inspector.ts';
import { TEXTURE_FEATURE_NAMES } from '../../src/domain/vision/defect/texture-features.ts';
import { predictDefect, summarizeDefects, trainDefectModel } from '../../src/domain/vision/defect/defect-classifier.ts';
import { hashUnit } from '../../src/domain/vision/metrics.ts';

const rows = loadTildaStain();
const skip = rows ? false : 'tilda_stain not found (set SHELFWISE_DATA or provide ../shared/data/defects/tilda_stain)';

describe('defect head on real TILDA photos', { skip }, () => {
  test('trained on 60 fair train images, beats majority on the fair test split', () => {
    const fair = rows!.filter((r) => r.fair);
    const train = fair
      .filter((r) => r.split === 'train')
      .sort((a, b) => hashUnit(a.file) - hashUnit(b.file))
      .slice(0, 60);
    const testRows = fair.filter((r) => r.split === 'test');
    assert.equal(testRows.length, 29);
    const feat = (path: string) => defectFeaturesFromBytes(readFileSync(path));
    const xTr = train.map((r) => feat(r.path));
    const { model } = trainDefectModel(xTr, train.map((r) => r.defective), train.map((r) => r.file), TEXTURE_FEATURE_NAMES, { grid: [1, 10] });
    const p = testRows.map((r) => predictDefect(model, feat(r.path)));
    const s = summarizeDefects(testRows.map((r) => r.defective), p);
    const majority = Math.max(...[true, false].map((c) => testRows.filter((r) => r.defective === c).length)) / testRows.length;
    assert.ok(s.accuracy > majority + 0.2, `accuracy ${s.accuracy} vs majority ${majority}`);
    assert.ok(s.auc > 0.85, `auc ${s.auc}`);
    // the inspector wrapper gives the same probability for the same bytes
    const insp = new DefectInspector(model);
    const v = insp.inspect(readFileSync(testRows[0].path));
    assert.ok(Math.abs(v.pDefective - p[0]) < 1e-12);
    assert.equal(v.defective, p[0] >= 0.5);
  });
});
