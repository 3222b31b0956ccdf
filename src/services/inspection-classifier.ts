/**
 * The classifier the inspection service calls: photo bytes → defective or not, p, confidence and, when it
 * calls a defect, the most likely region. Decodes once (grey) for both; in memory only, nothing is written.
 * Uses the texture + logistic model of src/vision (defect-model.json, bench/defects.bench.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { findDefectRegion, type Region } from '../domain/inspection/defect-region.ts';
import { predictDefect, type DefectModel } from '../domain/vision/defect/defect-classifier.ts';
import { extractTextureFeatures } from '../domain/vision/defect/texture-features.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_DEFECT_MODEL_PATH, grayFromBytes } from '../vision/defect-inspector.ts';

export interface Classification {
  defective: boolean;
  pDefective: number;
  confidence: number;
  region: Region | null;
  modelVersion: string;
  /** Wall-clock time of the call (decode, features, head, region). */
  ms: number;
  /** CPU time of the call (the call is synchronous, so this is its own work even on a busy machine). */
  cpuMs: number;
}

let cached: { model: DefectModel; version: string } | null = null;

export function defectModel(): { model: DefectModel; version: string } {
  if (!cached) {
    let text: string;
    try {
      text = readFileSync(DEFAULT_DEFECT_MODEL_PATH, 'utf8');
    } catch {
      throw new AppError('conflict', 'no defect model installed (src/vision/defect-model.json): fit one with `npx tsx bench/defects.bench.ts --write-model`');
    }
    const j = JSON.parse(text) as { model: DefectModel; source?: { fittedAt?: string } };
    cached = { model: j.model, version: `${j.model.kind}@${j.source?.fittedAt ?? '?'}#${createHash('sha256').update(text).digest('hex').slice(0, 8)}` };
  }
  return cached;
}

export function classifyPhoto(bytes: Uint8Array): Classification {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { model, version } = defectModel();
  let gray;
  try {
    gray = grayFromBytes(bytes);
  } catch (e) {
    throw new AppError('invalid', `the photo is not a readable JPEG or PNG: ${(e as Error).message.replace(/^cannot decode image: /, '')}`, 'photo');
  }
  const p = predictDefect(model, extractTextureFeatures(gray));
  const defective = p >= model.threshold;
  const region = defective ? findDefectRegion(gray) : null;
  const cpu = process.cpuUsage(c0);
  return { defective, pDefective: p, confidence: Math.max(p, 1 - p), region, modelVersion: version, ms: Math.round((performance.now() - t0) * 10) / 10, cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10 };
}

let warmed = false;
/**
 * Runs the classifier once on a synthetic photo so the first real photo does not pay for loading the model and
 * compiling the hot loops (measured: the first call in a process is several times slower). Once per process.
 */
export function warmUpClassifier(): void {
  if (warmed) return;
  warmed = true;
  const w = 768, h = 512;
  const data = Buffer.alloc(w * h * 4);
  let seed = 1;
  for (let i = 0; i < data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] = data[i + 1] = data[i + 2] = 110 + (seed % 40);
    data[i + 3] = 255;
  }
  try {
    classifyPhoto(jpeg.encode({ data, width: w, height: h }, 85).data);
  } catch {
    /* no model installed: the first real photo reports it */
  }
}
