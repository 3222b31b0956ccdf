/**
 * Fabric stain classifier bench on ../shared/data/defects/tilda_stain (issue 12).
 *
 *   npx tsx bench/defects.bench.ts [--write-model]
 *
 * Features: hand-crafted texture statistics in plain TypeScript (src/domain/vision/defect/), head:
 * L2 logistic regression with the penalty chosen by 5-fold CV on the training rows only.
 * A. The issue's protocol: train on the source's train+valid splits, score on its test split restricted
 *    to the fair subset (source TILDA, fabric ≠ c2r3: 29 images). Two training sets: fair rows only,
 *    and all train/valid rows (incl. the confounded c2r3 stains and colour photos).
 * B. 5-fold CV over the whole fair subset (283 images; L2 re-chosen inside each outer fold).
 * Baseline: the majority class of the training rows, same test rows. ms: decode + features, one core.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadTildaStain, type TildaRow } from '../src/vision/datasets.ts';
import { DEFAULT_DEFECT_MODEL_PATH, grayFromBytes } from '../src/vision/defect-inspector.ts';
import { extractTextureFeatures, TEXTURE_FEATURE_NAMES } from '../src/domain/vision/defect/texture-features.ts';
import { foldOf, predictDefect, summarizeDefects, trainDefectModel, type DefectEvalSummary } from '../src/domain/vision/defect/defect-classifier.ts';
import { median } from '../src/domain/vision/metrics.ts';

const rows = loadTildaStain();
if (!rows) {
  console.log('tilda_stain not found under the data dir: nothing to bench');
  process.exit(0);
}

const feats = new Map<string, Float64Array>();
const ms: number[] = [];
for (const r of rows) {
  const bytes = readFileSync(r.path);
  const c0 = process.cpuUsage();
  feats.set(r.file, extractTextureFeatures(grayFromBytes(bytes)));
  const c = process.cpuUsage(c0);
  ms.push((c.user + c.system) / 1000);
}
console.log(`features: ${TEXTURE_FEATURE_NAMES.length} per image, ${rows.length} images, CPU ms median ${median(ms).toFixed(1)} (decode 768×512 + features)`);

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '  -  ');
const show = (name: string, s: DefectEvalSummary) =>
  console.log(`${name.padEnd(44)} n=${String(s.images).padStart(3)} acc ${f(s.accuracy)} recall_def ${f(s.recall_defective)} prec_def ${f(s.precision_defective)} AUC ${f(s.auc)}`);

/** Grey image with every annotated stain box (+2 % margin) replaced by the fabric beside it; null if a box is large. */
function maskStain(r: TildaRow): Float64Array | null {
  const annPath = join(dirname(r.path), '..', 'annotations_yolo', basename(r.file).replace(/\.[a-z]+$/i, '.txt'));
  if (!existsSync(annPath)) return null;
  const boxes = readFileSync(annPath, 'utf8').trim().split(/\r?\n/).map((l) => l.trim().split(/\s+/).map(Number));
  if (!boxes.length || boxes.some((b) => b.length < 5 || b[3] > 0.3 || b[4] > 0.4)) return null;
  const g = grayFromBytes(readFileSync(r.path));
  const d = Float32Array.from(g.data);
  for (const [, cx, cy, bw, bh] of boxes) {
    const x0 = Math.max(0, Math.floor((cx - bw / 2 - 0.02) * g.width)), x1 = Math.min(g.width, Math.ceil((cx + bw / 2 + 0.02) * g.width));
    const y0 = Math.max(0, Math.floor((cy - bh / 2 - 0.02) * g.height)), y1 = Math.min(g.height, Math.ceil((cy + bh / 2 + 0.02) * g.height));
    const shift = x0 + (x1 - x0) < g.width / 2 ? x1 - x0 + 8 : -(x1 - x0 + 8);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) d[y * g.width + x] = g.data[y * g.width + Math.min(g.width - 1, Math.max(0, x + shift))];
  }
  return extractTextureFeatures({ ...g, data: d });
}

function train(tr: TildaRow[]) {
  return trainDefectModel(tr.map((r) => feats.get(r.file)!), tr.map((r) => r.defective), tr.map((r) => r.file), TEXTURE_FEATURE_NAMES);
}
function majority(tr: TildaRow[], te: TildaRow[]): DefectEvalSummary {
  const pos = tr.filter((r) => r.defective).length >= tr.length / 2;
  return summarizeDefects(te.map((r) => r.defective), te.map(() => (pos ? 1 : 0)));
}

console.log('\nA. source splits: train on train+valid, test on the fair test subset');
const testFair = rows.filter((r) => r.split === 'test' && r.fair);
for (const [label, tr] of [
  ['fair train+valid', rows.filter((r) => r.split !== 'test' && r.fair)],
  ['all train+valid (incl. c2r3, colour)', rows.filter((r) => r.split !== 'test')],
] as const) {
  const { model, cv } = train(tr);
  const p = testFair.map((r) => predictDefect(model, feats.get(r.file)!));
  show(`majority baseline (trained on ${label})`, majority(tr, testFair));
  show(`texture+logistic (${label}, l2 ${model.l2})`, summarizeDefects(testFair.map((r) => r.defective), p, 0.5, ms));
  console.log(`   inner CV on the training rows: ${cv.map((c) => `l2 ${c.l2}: AUC ${c.auc.toFixed(3)}`).join(', ')}`);
  if (label === 'fair train+valid' && process.argv.includes('--write-model')) {
    writeFileSync(
      DEFAULT_DEFECT_MODEL_PATH,
      JSON.stringify({
        source: {
          fittedBy: 'bench/defects.bench.ts --write-model',
          dataset: 'tilda_stain (shared data), source splits train+valid, fair subset (TILDA, fabric ≠ c2r3)',
          images: tr.length,
          fittedAt: new Date().toISOString().slice(0, 10),
        },
        model,
      }) + '\n',
    );
    console.log(`   wrote ${DEFAULT_DEFECT_MODEL_PATH}`);
  }
}

console.log('\nB. 5-fold CV over the whole fair subset (outer folds by file hash; l2 chosen inside each fold)');
const fair = rows.filter((r) => r.fair);
const outer = fair.map((r) => foldOf(r.file, 5, '#outer'));
const pOut = new Array<number>(fair.length);
const pMasked: { before: number; after: number }[] = [];
const base = new Array<number>(fair.length);
for (let k = 0; k < 5; k++) {
  const tr = fair.filter((_, i) => outer[i] !== k);
  const { model } = train(tr);
  const pos = tr.filter((r) => r.defective).length >= tr.length / 2;
  fair.forEach((r, i) => {
    if (outer[i] !== k) return;
    pOut[i] = predictDefect(model, feats.get(r.file)!);
    base[i] = pos ? 1 : 0;
    const masked = r.defective ? maskStain(r) : null;
    if (masked) pMasked.push({ before: pOut[i], after: predictDefect(model, masked) });
  });
}
show('majority baseline', summarizeDefects(fair.map((r) => r.defective), base));
show('texture+logistic', summarizeDefects(fair.map((r) => r.defective), pOut));
for (const fabric of [...new Set(fair.map((r) => r.fabric))].sort()) {
  const idx = fair.map((r, i) => [r, i] as const).filter(([r]) => r.fabric === fabric).map(([, i]) => i);
  show(`  fabric ${fabric}`, summarizeDefects(idx.map((i) => fair[i].defective), idx.map((i) => pOut[i])));
}
console.log(`\nC. Does the head look at the stain? Held-out stain images whose annotated boxes are small (< 30 % × 40 %),
   with the boxes overwritten by fabric copied from beside them (out-of-fold models from B):`);
const hiBefore = pMasked.filter((m) => m.before >= 0.5).length;
const hiAfter = pMasked.filter((m) => m.after >= 0.5).length;
console.log(`   ${pMasked.length} images: called defective ${hiBefore} before masking, ${hiAfter} after; median p ${median(pMasked.map((m) => m.before)).toFixed(3)} → ${median(pMasked.map((m) => m.after)).toFixed(3)}`);
console.log('\nD. Leave one fabric out (fair subset): train on the other fabrics, test on an unseen one');
for (const fabric of [...new Set(fair.map((r) => r.fabric))].sort()) {
  const tr = fair.filter((r) => r.fabric !== fabric);
  const te = fair.filter((r) => r.fabric === fabric);
  const { model } = train(tr);
  show(`  unseen fabric ${fabric}`, summarizeDefects(te.map((r) => r.defective), te.map((r) => predictDefect(model, feats.get(r.file)!))));
}
console.log('\nReference (FINDINGS): @vladmandic/human centernet features + logistic head: 0.83 accuracy on the 29-image fair test (not installed here).');
