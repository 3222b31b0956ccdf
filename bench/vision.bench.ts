/**
 * Age/gender evaluation bench on UTKFace (../shared/data/faces/utkface), tiny vs SSD detector in one run.
 *
 *   npx tsx bench/vision.bench.ts [--n 600] [--ssd-n 600] [--write-calibration] [--no-flip]
 *
 * - Sample: the first N images in FNV-hash order of the file name (deterministic, not the CSV order).
 * - Split: hash(file + '#split') < 0.5 → calibration half, else test half. Calibration (Platt on
 *   p(male), log-linear age map + residual sigma) is fitted on the calibration half of each detector's
 *   own run and every "after" figure is on the test half only.
 * - 200×200 face chips get a 30 % black border before detection (FINDINGS: detectors need context).
 *   Tiny detector input 160 on the padded 320 px chip (the face is then ~70 px, as a kiosk face
 *   is in a 320-input frame); SSD uses its fixed 512 input.
 * - CPU ms per image: process.cpuUsage() around decode + pad + detect + age/gender (one thread).
 * - CAVEAT: face-api's age/gender net was most likely trained on UTKFace, so these figures flatter it
 *   (FINDINGS: 76-83 % gender accuracy on FairFace). They are a regression check, not a field estimate.
 * - Images and descriptors are only held in memory; nothing but calibration.json (numbers) is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { FaceAnalyzer, DEFAULT_CALIBRATION_PATH, type DetectorKind, type PipelineCalibration } from '../src/vision/face-analyzer.ts';
import { decodeImage } from '../src/vision/image-decode.ts';
import { loadUtkFace, UTK_RACES, type UtkFaceRow } from '../src/vision/datasets.ts';
import { hashUnit, median } from '../src/domain/vision/metrics.ts';
import { AGE_GROUPS } from '../src/domain/vision/age-groups.ts';
import {
  applyAgeCalibration, applyGenderCalibration, fitAgeCalibration, fitBalancedThreshold, fitPlatt, fitTemperature,
  IDENTITY_AGE, IDENTITY_CALIBRATION,
} from '../src/domain/vision/gender-calibration.ts';
import { summarizeBy, summarizeFaces, trueAgeGroup, type FaceEvalSummary, type FacePrediction, type LabelledFace } from '../src/domain/vision/face-eval.ts';

const args = process.argv.slice(2);
const argNum = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] === 'all' ? Infinity : Number(args[i + 1])) : def;
};
const N = argNum('--n', 600);
const SSD_N = argNum('--ssd-n', 600);
const FLIP = !args.includes('--no-flip');
const FRAMES = argNum('--frames', 300);
const PAD = 0.3;

const rows = loadUtkFace();
if (!rows) {
  console.log('UTKFace not found under the data dir (SHELFWISE_DATA or ../shared/data): nothing to bench');
  process.exit(0);
}
const sample = rows.map((r) => ({ r, h: hashUnit(r.file) })).sort((a, b) => a.h - b.h).slice(0, N).map((x) => x.r);
const isCal = (r: UtkFaceRow) => hashUnit(r.file + '#split') < 0.5;

interface Raw { row: UtkFaceRow; detected: boolean; pMaleRaw?: number; ageRaw?: number; cpuMs: number; wallMs: number }

async function run(detector: DetectorKind, items: UtkFaceRow[]): Promise<Raw[]> {
  const a = await FaceAnalyzer.create({ detector, inputSize: 160, calibration: null, flip: FLIP });
  // warm-up (kernel compilation) outside the timings
  await a.analyzeDetailed(decodeImage(readFileSync(items[0].path)), { pad: PAD });
  const out: Raw[] = [];
  const t0 = Date.now();
  for (const row of items) {
    const bytes = readFileSync(row.path);
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const faces = await a.analyzeDetailed(decodeImage(bytes), { pad: PAD });
    const wallMs = performance.now() - w0;
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    const f = faces[0];
    out.push(f ? { row, detected: true, pMaleRaw: f.pMaleRaw, ageRaw: f.ageRaw, cpuMs, wallMs } : { row, detected: false, cpuMs, wallMs });
  }
  console.log(`# ${detector}: ${items.length} images in ${((Date.now() - t0) / 1000).toFixed(0)} s wall`);
  return out;
}

function fit(raws: Raw[]): PipelineCalibration & { platt: PipelineCalibration["gender"]; threshold: number; n: number } {
  const cal = raws.filter((x) => isCal(x.row) && x.detected);
  const p = cal.map((x) => x.pMaleRaw as number);
  const m = cal.map((x) => x.row.gender === 'male');
  // Gender: class-balanced Platt (moves the decision point) is kept only if it beats temperature-only
  // scaling (decision point unchanged) on balanced accuracy in 5-fold CV inside the calibration half.
  const gfolds = cal.map((x) => Math.floor(hashUnit(x.row.file + '#fold') * 5));
  const hitPlatt = [0, 0], hitTemp = [0, 0];
  const nClass = [m.filter((v) => !v).length, m.filter(Boolean).length];
  for (let k = 0; k < 5; k++) {
    const tr = cal.map((_, i) => i).filter((i) => gfolds[i] !== k);
    const te = cal.map((_, i) => i).filter((i) => gfolds[i] === k);
    const cp = fitPlatt(tr.map((i) => p[i]), tr.map((i) => m[i]));
    const ct = fitTemperature(tr.map((i) => p[i]), tr.map((i) => m[i]));
    for (const i of te) {
      const c = m[i] ? 1 : 0;
      if ((applyGenderCalibration(cp, p[i]) >= 0.5) === m[i]) hitPlatt[c]++;
      if ((applyGenderCalibration(ct, p[i]) >= 0.5) === m[i]) hitTemp[c]++;
    }
  }
  const balP = (hitPlatt[0] / nClass[0] + hitPlatt[1] / nClass[1]) / 2;
  const balT = (hitTemp[0] / nClass[0] + hitTemp[1] / nClass[1]) / 2;
  const platt = fitPlatt(p, m);
  const temperature = fitTemperature(p, m);
  const gender = balP > balT ? platt : temperature;
  console.log(`# gender CV balanced accuracy on the calibration half: balanced Platt ${(100 * balP).toFixed(1)} %, temperature only ${(100 * balT).toFixed(1)} % → ${balP > balT ? 'Platt' : 'temperature'} (a ${gender.a.toFixed(3)}, b ${gender.b.toFixed(3)})`);
  const th = fitBalancedThreshold(p, m);
  const est = cal.map((x) => x.ageRaw as number);
  const tru = cal.map((x) => x.row.age);
  // The log-linear age map is kept only if it lowers MAE in 5-fold CV inside the calibration half
  // (decided without looking at the test half); otherwise only the residual spread is used.
  const folds = cal.map((x) => Math.floor(hashUnit(x.row.file + '#fold') * 5));
  let maeId = 0, maeMap = 0;
  for (let k = 0; k < 5; k++) {
    const tr = cal.map((_, i) => i).filter((i) => folds[i] !== k);
    const te = cal.map((_, i) => i).filter((i) => folds[i] === k);
    const m = fitAgeCalibration(tr.map((i) => est[i]), tr.map((i) => tru[i]));
    for (const i of te) {
      maeId += Math.abs(est[i] - tru[i]);
      maeMap += Math.abs(applyAgeCalibration(m, est[i]) - tru[i]);
    }
  }
  const useMap = maeMap < maeId;
  const age = fitAgeCalibration(est, tru, { linear: useMap });
  console.log(`# age map CV MAE on the calibration half: identity ${(maeId / cal.length).toFixed(2)}, log-linear ${(maeMap / cal.length).toFixed(2)} → ${useMap ? 'map' : 'identity + sigma'}`);
  return { gender, age, platt, threshold: th.threshold, n: cal.length };
}

function preds(raws: Raw[], c: PipelineCalibration): FacePrediction[] {
  return raws.map((x) =>
    x.detected
      ? { detected: true, pMale: applyGenderCalibration(c.gender, x.pMaleRaw as number), ageYears: applyAgeCalibration(c.age, x.ageRaw as number), ms: x.cpuMs }
      : { detected: false, ms: x.cpuMs },
  );
}

const pct = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : '  - ');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '  - ');
function line(name: string, s: FaceEvalSummary): string {
  return [
    name.padEnd(26), String(s.faces).padStart(5), pct(s.detection_rate).padStart(6), pct(s.gender_accuracy).padStart(6),
    pct(s.gender_accuracy_adults).padStart(6), pct(s.female_recall).padStart(6), pct(s.male_recall).padStart(6),
    pct(s.gender_balanced_accuracy).padStart(6), f2(s.gender_log_loss).padStart(5), pct(s.gender_ece).padStart(5),
    f2(s.age_mae).padStart(6), pct(s.age_group_accuracy).padStart(6), pct(s.age_group_within_one).padStart(6),
    f2(s.ms_per_image_median).padStart(7),
  ].join(' ');
}
const HEAD = ['set'.padEnd(26), '    n', ' found', ' g.acc', ' adult', ' F.rec', ' M.rec', '  bal', ' logl', '  ECE', '   MAE', ' grp=', ' grp±1', ' cpu ms'].join(' ');

const results: Record<string, { raws: Raw[]; fitted: ReturnType<typeof fit> }> = {};
for (const [det, n] of [['tiny', N], ['ssd', SSD_N]] as const) {
  if (n <= 0) continue;
  const raws = await run(det, sample.slice(0, n));
  results[det] = { raws, fitted: fit(raws) };
}

console.log(`\nUTKFace sample N=${N} (SSD on the first ${Math.min(N, SSD_N)}), flip=${FLIP}, pad ${PAD * 100} %; test half only below`);
console.log('gender: accuracy all / adults (≥20), female & male recall, balanced acc, log-loss, ECE of the confidence; age: MAE years, age group exact / ±1 band\n');
console.log(HEAD);
for (const [det, { raws, fitted }] of Object.entries(results)) {
  const test = raws.filter((x) => !isCal(x.row));
  const labels: LabelledFace[] = test.map((x) => ({ age: x.row.age, gender: x.row.gender }));
  const rawCal: PipelineCalibration = { gender: IDENTITY_CALIBRATION, age: IDENTITY_AGE };
  const thCal: PipelineCalibration = { gender: { method: 'platt', a: 1, b: -Math.log(fitted.threshold / (1 - fitted.threshold)) }, age: IDENTITY_AGE };
  console.log(line(`${det} raw`, summarizeFaces(labels, preds(test, rawCal))));
  console.log(line(`${det} threshold ${fitted.threshold.toFixed(2)}`, summarizeFaces(labels, preds(test, thCal))));
  console.log(line(`${det} balanced Platt`, summarizeFaces(labels, preds(test, { gender: fitted.platt, age: IDENTITY_AGE }))));
  console.log(line(`${det} chosen by CV (shipped)`, summarizeFaces(labels, preds(test, fitted))));
  const wall = median(test.map((x) => x.wallMs));
  console.log(`${''.padEnd(26)} (wall ms median ${wall.toFixed(1)}; calibration fitted on ${fitted.n} detected faces of the other half)`);
}

for (const [det, { raws, fitted }] of Object.entries(results)) {
  const test = raws.filter((x) => !isCal(x.row));
  const labels: LabelledFace[] = test.map((x) => ({ age: x.row.age, gender: x.row.gender }));
  const rawP = preds(test, { gender: IDENTITY_CALIBRATION, age: IDENTITY_AGE });
  const calP = preds(test, fitted);
  for (const [title, p] of [['raw', rawP], ['calibrated', calP]] as const) {
    console.log(`\n${det} ${title}, by true age group`);
    console.log(HEAD);
    const byAge = summarizeBy(labels, p, (l) => trueAgeGroup(l));
    for (const g of AGE_GROUPS) if (byAge[g]) console.log(line(`  ${g}`, byAge[g]));
    console.log(`${det} ${title}, by race (UTKFace labels; reported for fairness only, never inferred)`);
    const byRace = summarizeBy(labels, p, (_l, i) => UTK_RACES[test[i].row.race] ?? 'unknown');
    for (const r of UTK_RACES) if (byRace[r]) console.log(line(`  ${r}`, byRace[r]));
    console.log(`${det} ${title}, by gender`);
    const byG = summarizeBy(labels, p, (l) => l.gender);
    for (const g of ['female', 'male'] as const) if (byG[g]) console.log(line(`  ${g}`, byG[g]));
  }
}

if (args.includes('--write-calibration')) {
  const detectors: Record<string, PipelineCalibration> = {};
  for (const [det, { fitted }] of Object.entries(results)) detectors[det] = { gender: fitted.gender, age: fitted.age };
  const file = {
    source: {
      fittedBy: 'bench/vision.bench.ts --write-calibration',
      dataset: 'UTKFace (shared data faces/utkface), calibration half only',
      sample: `first ${N} files in FNV-1a hash order; calibration half = hash(file + "#split") < 0.5`,
      facesUsed: Object.fromEntries(Object.entries(results).map(([d, r]) => [d, r.fitted.n])),
      pad: PAD,
      flip: FLIP,
      tinyInputSize: 160,
      note: 'gender: p\' = sigmoid(a*logit(p)+b): class-balanced Platt or temperature only (b = 0), whichever had the higher balanced accuracy in 5-fold CV inside the calibration half; age: ln(age+1) = c0 + c1*ln(est+1) if it lowered CV MAE there, else identity; sigmaLog = residual spread (age-group confidence)',
      fittedAt: new Date().toISOString().slice(0, 10),
    },
    detectors,
  };
  writeFileSync(DEFAULT_CALIBRATION_PATH, JSON.stringify(file, null, 2) + '\n');
  console.log(`\nwrote ${DEFAULT_CALIBRATION_PATH}`);
}

// Kiosk-like frames: a test-half face chip pasted at a varying place into a 640×480 textured frame,
// JPEG-encoded in memory, through the production entry point analyze(Buffer) with default options
// (tiny detector, input 320, flip, calibration.json). Also checks tensors/heap do not grow.
if (FRAMES > 0) {
  const a = await FaceAnalyzer.create();
  const chips = sample.filter((r) => !isCal(r) && r.age >= 13).slice(0, 40);
  const frames = chips.map((row, k) => {
    const chip = decodeImage(readFileSync(row.path));
    const W = 640, H = 480;
    const data = Buffer.alloc(W * H * 4);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 4;
      const v = 90 + ((x * 7 + y * 3 + k * 11) % 60) + ((x >> 5) % 2) * 20;
      data[o] = v; data[o + 1] = v - 10; data[o + 2] = v - 20; data[o + 3] = 255;
    }
    const ox = 80 + ((k * 97) % 360), oy = 40 + ((k * 53) % 240);
    for (let y = 0; y < chip.height; y++) for (let x = 0; x < chip.width; x++) {
      const s = (y * chip.width + x) * 3, o = ((oy + y) * W + ox + x) * 4;
      data[o] = chip.data[s]; data[o + 1] = chip.data[s + 1]; data[o + 2] = chip.data[s + 2];
    }
    return { row, bytes: jpeg.encode({ width: W, height: H, data }, 80).data };
  });
  await a.analyze(frames[0].bytes);
  const t0 = a.numTensors();
  const h0 = process.memoryUsage().heapUsed;
  const cpu: number[] = [];
  let found = 0, right = 0;
  for (let i = 0; i < FRAMES; i++) {
    const f = frames[i % frames.length];
    const c0 = process.cpuUsage();
    const faces = await a.analyze(f.bytes);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (i < frames.length) {
      if (faces.length) found++;
      if (faces[0]?.gender === f.row.gender) right++;
    }
  }
  const t1 = a.numTensors();
  const h1 = process.memoryUsage().heapUsed;
  console.log(`\nkiosk frames 640×480 JPEG (face ~200 px, teens/adults from the test half): found ${found}/${frames.length}, gender right ${right}/${frames.length}`);
  console.log(`  analyze(Buffer) incl. JPEG decode: CPU ms median ${median(cpu).toFixed(1)}, p90 ${[...cpu].sort((x, y) => x - y)[Math.floor(cpu.length * 0.9)].toFixed(1)} over ${FRAMES} frames`);
  console.log(`  tf tensors ${t0} → ${t1} after ${FRAMES} frames; heap ${(h0 / 1e6).toFixed(1)} → ${(h1 / 1e6).toFixed(1)} MB`);
}
