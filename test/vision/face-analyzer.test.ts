import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import fs, { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { FaceAnalyzer, loadCalibration, loadGenderHead, type GenderHeadFile } from '../../src/vision/face-analyzer.ts';
import { applyGenderHeadWithScore, DESCRIPTOR_DIM, type GenderHead } from '../../src/domain/vision/gender-head.ts';
import { applyGenderCalibration } from '../../src/domain/vision/gender-calibration.ts';
import { decodeImage, downscale, padImage, type RgbImage } from '../../src/vision/image-decode.ts';
import { loadUtkFace, type UtkFaceRow } from '../../src/vision/datasets.ts';
import { hashUnit } from '../../src/domain/vision/metrics.ts';
import { AppError } from '../../src/errors.ts';

const rows = loadUtkFace();
const skip = rows ? false : 'UTKFace not found (set SHELFWISE_DATA or provide ../shared/data/faces/utkface)';

/** 20 adults (20-70), chosen by file-name hash: deterministic and spread over the set. */
function pickAdults(all: UtkFaceRow[], n: number): UtkFaceRow[] {
  return all
    .filter((r) => r.age >= 20 && r.age <= 70)
    .sort((a, b) => hashUnit(a.file + '#t') - hashUnit(b.file + '#t'))
    .slice(0, n);
}

function frameWith(faces: { img: RgbImage; x: number; y: number }[], w = 640, h = 480): Buffer {
  const data = Buffer.alloc(w * h * 4, 120);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (const f of faces) {
    for (let y = 0; y < f.img.height; y++) for (let x = 0; x < f.img.width; x++) {
      const s = (y * f.img.width + x) * 3, o = ((f.y + y) * w + f.x + x) * 4;
      data[o] = f.img.data[s]; data[o + 1] = f.img.data[s + 1]; data[o + 2] = f.img.data[s + 2];
    }
  }
  return jpeg.encode({ width: w, height: h, data }, 85).data;
}

describe('FaceAnalyzer on real UTKFace images', { skip }, () => {
  let chips: FaceAnalyzer; // tiny detector sized for 320 px padded chips
  let kiosk: FaceAnalyzer; // production defaults (input 320) for 640×480 frames
  before(async () => {
    chips = await FaceAnalyzer.create({ inputSize: 160 });
    kiosk = await FaceAnalyzer.create();
  });

  test('one face per bordered chip and gender right on a clear majority of 20 adults', async () => {
    const picked = pickAdults(rows!, 20);
    let one = 0, right = 0, absErr = 0, n = 0;
    for (const r of picked) {
      const faces = await chips.analyzeDetailed(decodeImage(readFileSync(r.path)), { pad: 0.3 });
      if (faces.length === 1) one++;
      if (!faces.length) continue;
      const f = faces[0];
      if (f.gender === r.gender) right++;
      absErr += Math.abs(f.ageYears - r.age);
      n++;
      assert.ok(f.pMale >= 0 && f.pMale <= 1);
      assert.ok(f.genderConfidence >= 0.5 && f.genderConfidence <= 1);
      assert.ok(f.ageConfidence > 0 && f.ageConfidence <= 1);
      // box is in the chip's own coordinates (border removed): centred on the 200×200 chip
      const cx = f.box.x + f.box.width / 2, cy = f.box.y + f.box.height / 2;
      assert.ok(cx > 50 && cx < 150 && cy > 50 && cy < 150, JSON.stringify(f.box));
    }
    assert.ok(one >= 18, `exactly one face on ${one}/20`);
    assert.ok(right >= 16, `gender right on ${right}/20`);
    assert.ok(absErr / n < 9, `age MAE ${absErr / n}`);
  });

  test('a blank frame and a noise frame give no face', async () => {
    assert.deepEqual(await kiosk.analyze(frameWith([])), []);
    const w = 320, h = 240;
    const data = Buffer.alloc(w * h * 4);
    let s = 1;
    for (let i = 0; i < data.length; i++) { s = (s * 1103515245 + 12345) >>> 0; data[i] = i % 4 === 3 ? 255 : s >>> 24; }
    const png = PNG.sync.write({ width: w, height: h, data });
    assert.deepEqual(await kiosk.analyze(png), []);
  });

  test('kiosk frame: PNG and JPEG bytes, largest face first, box in frame coordinates', async () => {
    const [a, b] = pickAdults(rows!, 2);
    const big = decodeImage(readFileSync(a.path));
    const small = downscale(decodeImage(readFileSync(b.path)), 110).image;
    const bytes = frameWith([{ img: small, x: 40, y: 60 }, { img: big, x: 380, y: 200 }]);
    const faces = await kiosk.analyze(bytes);
    assert.ok(faces.length >= 2, `found ${faces.length} faces`);
    assert.ok(faces[0].box.width * faces[0].box.height > faces[1].box.width * faces[1].box.height);
    assert.ok(faces[0].box.x > 330 && faces[0].box.x < 480, `largest face box x ${faces[0].box.x}`);
    // same frame as PNG decodes to the same pixels → same answer
    const rgba = jpeg.decode(bytes, { useTArray: true });
    const asPng = PNG.sync.write({ width: rgba.width, height: rgba.height, data: Buffer.from(rgba.data) });
    const again = await kiosk.analyze(asPng);
    assert.equal(again.length, faces.length);
    assert.ok(Math.abs(again[0].pMale - faces[0].pMale) < 1e-3);
  });

  test('rejects bytes that are not an image', async () => {
    await assert.rejects(kiosk.analyze(Buffer.from('hello, not a jpeg')), (e: unknown) => e instanceof AppError && e.kind === 'invalid');
    await assert.rejects(kiosk.analyze(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])), (e: unknown) => e instanceof AppError && e.kind === 'invalid');
  });

  test('frames stay in memory: no tensor growth, no file writes, no console output', async () => {
    const r = pickAdults(rows!, 3)[2];
    const bytes = frameWith([{ img: padImage(decodeImage(readFileSync(r.path)), 0.1).image, x: 200, y: 100 }]);
    await kiosk.analyze(bytes);
    const before = kiosk.numTensors();
    const calls: string[] = [];
    const fsNames = ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'open', 'openSync', 'copyFile', 'copyFileSync'] as const;
    const fsAny = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
    const promAny = fs.promises as unknown as Record<string, (...a: unknown[]) => unknown>;
    const saved = fsNames.map((k) => [k, fsAny[k], promAny[k]] as const);
    const savedConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const savedWrite = process.stdout.write;
    try {
      for (const [k] of saved) {
        fsAny[k] = (...a: unknown[]) => { calls.push(`fs.${k}(${String(a[0])})`); throw new Error('write attempted'); };
        if (promAny[k]) promAny[k] = async (...a: unknown[]) => { calls.push(`fs.promises.${k}(${String(a[0])})`); throw new Error('write attempted'); };
      }
      syncBuiltinESMExports();
      for (const k of Object.keys(savedConsole) as (keyof typeof savedConsole)[]) console[k] = (...a: unknown[]) => { calls.push(`console.${k}: ${String(a[0]).slice(0, 40)}`); };
      for (let i = 0; i < 30; i++) {
        const faces = await kiosk.analyze(bytes);
        assert.equal(faces.length, 1);
      }
    } finally {
      for (const [k, f, p] of saved) { fsAny[k] = f; if (p) promAny[k] = p; }
      syncBuiltinESMExports();
      Object.assign(console, savedConsole);
      process.stdout.write = savedWrite;
    }
    assert.deepEqual(calls, []);
    assert.equal(kiosk.numTensors(), before, 'tensors leaked');
  });

  test('shipped calibration file exists and was fitted on the training half', () => {
    const c = loadCalibration('tiny');
    assert.ok(c, 'src/vision/calibration.json missing');
    assert.equal(c.gender.method, 'platt');
    assert.ok(c.age.sigmaLog > 0.05 && c.age.sigmaLog < 1);
    const file = JSON.parse(readFileSync(new URL('../../src/vision/calibration.json', import.meta.url), 'utf8'));
    assert.match(file.source.tiny.dataset, /training half/);
    assert.match(file.source.tiny.split, /#split/);
    assert.match(file.source.ssd.dataset, /calibration half/);
  });
});

describe('FaceAnalyzer with a gender head (descriptor net)', { skip }, () => {
  // A head whose answer is easy to tell from the net's: it inverts the net's logit and leans on descriptor
  // dimension 0, for every face (no age gate).
  const weights = new Array(DESCRIPTOR_DIM + 2).fill(0);
  weights[0] = 0.8;
  weights[DESCRIPTOR_DIM] = -1.5;
  const head: GenderHead = {
    kind: 'logistic',
    features: ['descriptor', 'logit', 'logAge'],
    maxAge: null,
    model: { mean: new Array(DESCRIPTOR_DIM + 2).fill(0), scale: new Array(DESCRIPTOR_DIM + 2).fill(0.05), weights, bias: 0.2 },
  };
  const file: GenderHeadFile = { source: { test: true }, margins: [0], head };
  let a: FaceAnalyzer;
  let bytes: Buffer;
  before(async () => {
    a = await FaceAnalyzer.create({ genderHead: file });
    const r = pickAdults(rows!, 5)[4];
    bytes = frameWith([{ img: padImage(decodeImage(readFileSync(r.path)), 0.1).image, x: 220, y: 120 }]);
  });

  test("the head's score decides p(male), a passed-back score is used, and no descriptor leaves analyze()", async () => {
    const [d] = await a.analyzeDetailed(decodeImage(bytes));
    assert.ok(d.headScore !== undefined && Number.isFinite(d.headScore));
    const expected = applyGenderHeadWithScore(head, { pMaleRaw: d.pMaleRaw, ageRaw: d.ageRaw }, d.headScore);
    assert.ok(Math.abs(d.pMale - expected) < 1e-9, `${d.pMale} vs ${expected}`);
    const netOnly = applyGenderCalibration(a.calibration.gender, d.pMaleRaw);
    assert.ok(Math.abs(d.pMale - netOnly) > 0.05, 'the head changed nothing');
    // the kiosk passes the visitor's score back: it is used instead of running the descriptor net
    const [f] = await a.analyze(bytes, { headScore: d.headScore + 5 });
    assert.ok(Math.abs(f.pMale - applyGenderHeadWithScore(head, { pMaleRaw: d.pMaleRaw, ageRaw: d.ageRaw }, d.headScore + 5)) < 1e-6);
    assert.deepEqual(Object.keys(f).filter((k) => /descriptor|features|variants|Raw/.test(k)), []);
  });

  test('no tensor is left behind by the descriptor path over 10 frames', async () => {
    await a.analyze(bytes);
    const before = a.numTensors();
    for (let i = 0; i < 10; i++) assert.equal((await a.analyze(bytes)).length, 1);
    assert.equal(a.numTensors(), before, 'tensors leaked');
  });

  test('the shipped head file, if any, was fitted on the training half only', () => {
    const shipped = loadGenderHead();
    if (!shipped) return;
    assert.match(String(shipped.source.dataset), /training half/);
    assert.match(String(shipped.source.split), /#split/);
    assert.ok(shipped.margins.length >= 1);
  });
});
