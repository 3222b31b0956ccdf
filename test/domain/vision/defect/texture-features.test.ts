import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { boxBlur, extractTextureFeatures, TEXTURE_FEATURE_NAMES, type GrayImage } from '../../../../src/domain/vision/defect/texture-features.ts';
import { crossValidatedScores, foldOf, summarizeDefects } from '../../../../src/domain/vision/defect/defect-classifier.ts';
import { mulberry32 } from '../../../../src/domain/vision/metrics.ts';

/** Woven-looking texture: row/column stripes + noise; optional dark elliptical stain. */
function fabric(seed: number, stain: boolean, w = 384, h = 256): GrayImage {
  const rnd = mulberry32(seed);
  const data = new Float32Array(w * h);
  const phase = rnd() * 6;
  const cx = 60 + rnd() * (w - 120), cy = 50 + rnd() * (h - 100), rx = 18 + rnd() * 20, ry = 10 + rnd() * 14;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let v = 140 + 12 * Math.sin(x * 1.3 + phase) + 8 * Math.sin(y * 0.9) + 18 * (rnd() - 0.5);
    if (stain) {
      const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      if (d < 1) v -= 25 * (1 - d * 0.5);
    }
    data[y * w + x] = v;
  }
  return { width: w, height: h, data };
}

describe('texture features', () => {
  test('fixed length, finite, named', () => {
    const f = extractTextureFeatures(fabric(1, false));
    assert.equal(f.length, TEXTURE_FEATURE_NAMES.length);
    assert.ok(f.length > 30);
    assert.ok([...f].every(Number.isFinite));
  });

  test('a stain makes the darkest band-pass region more extreme', () => {
    const i = TEXTURE_FEATURE_NAMES.indexOf('band6_min');
    assert.ok(i >= 0);
    for (let s = 0; s < 5; s++) {
      const clean = extractTextureFeatures(fabric(100 + s, false))[i];
      const stained = extractTextureFeatures(fabric(100 + s, true))[i];
      assert.ok(stained < clean - 0.5, `seed ${s}: ${clean} vs ${stained}`);
    }
  });

  test('box blur keeps the mean of a constant image and smooths noise', () => {
    const w = 50, h = 40;
    const c = boxBlur(new Float32Array(w * h).fill(7), w, h, 3);
    assert.ok(c.every((v) => Math.abs(v - 7) < 1e-5));
    const rnd = mulberry32(3);
    const noise = Float32Array.from({ length: w * h }, () => rnd());
    const sd = (a: Float32Array) => { const m = a.reduce((s, v) => s + v, 0) / a.length; return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length); };
    assert.ok(sd(boxBlur(noise, w, h, 3)) < sd(noise) / 3);
  });

  test('cross-validated head separates synthetic stains from clean fabric', () => {
    const x: Float64Array[] = [];
    const y: boolean[] = [];
    const keys: string[] = [];
    for (let s = 0; s < 24; s++) {
      const stain = s % 2 === 0;
      x.push(extractTextureFeatures(fabric(500 + s, stain, 192, 144)));
      y.push(stain);
      keys.push(`img${s}`);
    }
    const p = crossValidatedScores(x, y, keys.map((k) => foldOf(k, 4)), 1);
    const r = summarizeDefects(y, p);
    assert.ok(r.accuracy >= 0.85, `accuracy ${r.accuracy}`);
    assert.ok(r.auc >= 0.9, `auc ${r.auc}`);
  });
});
