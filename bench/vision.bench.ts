/**
 * Age/gender evaluation bench on UTKFace (../shared/data/faces/utkface), tiny vs SSD detector in one run.
 *
 *   npx tsx bench/vision.bench.ts [--n 600] [--ssd-n 600] [--frames 300] [--write-calibration] [--no-flip]
 *
 * The shipped tiny pipeline (calibration + gender head) is fitted and scored on the full set by
 * bench/vision-head.bench.ts; this bench compares tiny vs SSD on a sample, writes the ssd calibration, and
 * measures the production entry point on kiosk-like frames (CPU per frame).
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

// Writes the ssd entry only: the tiny (shipped) entry is fitted on the full training half by
// bench/vision-head.bench.ts --write.
if (args.includes('--write-calibration') && results.ssd) {
  const file = JSON.parse(readFileSync(DEFAULT_CALIBRATION_PATH, 'utf8')) as { source: Record<string, unknown>; detectors: Record<string, PipelineCalibration> };
  file.detectors.ssd = { gender: results.ssd.fitted.gender, age: results.ssd.fitted.age };
  file.source.ssd = {
    fittedBy: 'bench/vision.bench.ts --write-calibration',
    dataset: 'UTKFace (shared data faces/utkface), calibration half only',
    sample: `first ${N} files in FNV-1a hash order; calibration half = hash(file + "#split") < 0.5`,
    facesUsed: results.ssd.fitted.n,
    pad: PAD,
    flip: FLIP,
    note: 'gender: p\' = sigmoid(a*logit(p)+b): class-balanced Platt or temperature only (b = 0), whichever had the higher balanced accuracy in 5-fold CV inside the calibration half; age: ln(age+1) = c0 + c1*ln(est+1) if it lowered CV MAE there, else identity; sigmaLog = residual spread (age-group confidence)',
    fittedAt: new Date().toISOString().slice(0, 10),
  };
  writeFileSync(DEFAULT_CALIBRATION_PATH, JSON.stringify(file, null, 2) + '\n');
  console.log(`\nwrote the ssd entry of ${DEFAULT_CALIBRATION_PATH}`);
}

// Kiosk-like frames: a test-half face chip pasted at a varying place into a 640×480 textured frame,
// JPEG-encoded in memory, through the production entry point analyze(Buffer) with default options
// (tiny detector, input 320, flip, calibration.json, gender-head.json). 40 teen/adult and 40 child faces,
// each shown for 5 frames as one "visitor": like the kiosk session, the head's descriptor score of the
// first frame is passed back for the visitor's later frames (the descriptor net runs once per visitor).
// Also checks tensors/heap do not grow.
if (FRAMES > 0) {
  const a = await FaceAnalyzer.create();
  const testHalf = rows.filter((r) => !isCal(r)).sort((x, y) => hashUnit(x.file) - hashUnit(y.file));
  const chips = [...testHalf.filter((r) => r.age >= 13).slice(0, 40), ...testHalf.filter((r) => r.age <= 12).slice(0, 40)];
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
  // interleave adults and children so both appear through the run
  const order = chips.map((_, k) => (k % 2 === 0 ? k / 2 : 40 + (k - 1) / 2)).filter((k) => k < frames.length);
  await a.analyze(frames[0].bytes);
  await a.analyze(frames[frames.length - 1].bytes);
  const t0 = a.numTensors();
  const h0 = process.memoryUsage().heapUsed;
  const cpu: number[] = [], cpuAdult: number[] = [], cpuChild: number[] = [], cpuFirst: number[] = [];
  const found = [0, 0], right = [0, 0], rightFirst = [0, 0], n = [0, 0];
  let headFrames = 0;
  const PER_VISITOR = 5;
  let cached: number | undefined;
  for (let i = 0; i < FRAMES; i++) {
    const v = Math.floor(i / PER_VISITOR);
    const f = frames[order[v % order.length]];
    if (i % PER_VISITOR === 0) cached = undefined; // a new visitor
    const c0 = process.cpuUsage();
    const faces = await a.analyze(f.bytes, cached === undefined ? {} : { headScore: cached });
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000;
    cpu.push(ms);
    const child = f.row.age <= 12 ? 1 : 0;
    (child ? cpuChild : cpuAdult).push(ms);
    if (i % PER_VISITOR === 0) cpuFirst.push(ms);
    if (faces[0]?.headScore !== undefined) { headFrames++; cached ??= faces[0].headScore; }
    if (i % PER_VISITOR === 0 && v < order.length) {
      n[child]++;
      if (faces.length) found[child]++;
      if (faces[0]?.gender === f.row.gender) right[child]++;
    }
    if (i % PER_VISITOR === PER_VISITOR - 1 && v < order.length && faces[0]?.gender === f.row.gender) rightFirst[child]++;
  }
  const t1 = a.numTensors();
  const h1 = process.memoryUsage().heapUsed;
  const q = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;
  console.log(`\nkiosk frames 640×480 JPEG (face ~200 px, test half): teens/adults found ${found[0]}/${n[0]}, gender right ${right[0]}/${n[0]} (first frame), ${rightFirst[0]}/${n[0]} (5th frame); children found ${found[1]}/${n[1]}, gender right ${right[1]}/${n[1]} / ${rightFirst[1]}/${n[1]}`);
  console.log(`  analyze(Buffer) incl. JPEG decode, ${FRAMES} frames (${PER_VISITOR} per visitor, head on ${headFrames}): CPU ms median ${median(cpu).toFixed(1)}, p90 ${q(cpu, 0.9).toFixed(1)}; teen/adult frames median ${median(cpuAdult).toFixed(1)}; child frames median ${median(cpuChild).toFixed(1)}, p90 ${q(cpuChild, 0.9).toFixed(1)}; a visitor's first frame median ${median(cpuFirst).toFixed(1)}, p90 ${q(cpuFirst, 0.9).toFixed(1)}`);
  console.log(`  tf tensors ${t0} → ${t1} after ${FRAMES} frames; heap ${(h0 / 1e6).toFixed(1)} → ${(h1 / 1e6).toFixed(1)} MB`);
}
