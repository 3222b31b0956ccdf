/**
 * Stacked gender head (pure): a logistic regression on the age/gender net's own outputs (logit of the raw
 * p(male), ln(age+1)) and, optionally, a 128-d face descriptor from a different network
 * (FaceRecognitionNet). It can be gated to faces whose estimated age is below `maxAge` (the net fails on
 * children; adults keep the calibrated net output).
 *
 * The descriptor enters only through one number, its linear part `descriptorScore` (w·standardised d),
 * so a caller that runs the descriptor net once per visitor keeps that scalar, never the descriptor.
 * Fitted and written by bench/vision-head.bench.ts on the training half only (src/vision/gender-head.json).
 */
import { fitLogistic, logit, sigmoid, type LogisticModel } from './logistic.ts';

export type HeadFeature = 'descriptor' | 'logit' | 'logAge';

export interface GenderHead {
  kind: 'logistic';
  /** Feature blocks in model order ('descriptor' = DESCRIPTOR_DIM values). */
  features: HeadFeature[];
  /** Apply only to faces whose raw age estimate is below this (years); null = all faces. */
  maxAge: number | null;
  model: LogisticModel;
}

export interface HeadInputs {
  /** Raw (uncalibrated, flip-averaged) p(male) of the age/gender net. */
  pMaleRaw: number;
  ageRaw: number;
  descriptor?: ArrayLike<number>;
}

export const DESCRIPTOR_DIM = 128;

export function headUsesDescriptor(h: GenderHead): boolean {
  return h.features.includes('descriptor');
}

/** Whether the head applies to a face with this raw age estimate. */
export function headApplies(h: GenderHead, ageRaw: number): boolean {
  return h.maxAge === null || ageRaw < h.maxAge;
}

export function headFeatureVector(features: HeadFeature[], x: HeadInputs): number[] {
  const out: number[] = [];
  for (const f of features) {
    if (f === 'descriptor') {
      if (!x.descriptor || x.descriptor.length !== DESCRIPTOR_DIM) throw new Error('gender head: descriptor missing');
      for (let i = 0; i < DESCRIPTOR_DIM; i++) out.push(x.descriptor[i]);
    } else if (f === 'logit') out.push(logit(x.pMaleRaw));
    else out.push(Math.log(Math.max(0, x.ageRaw) + 1));
  }
  return out;
}

/** Offset of the descriptor block in the feature vector (-1 if absent). */
function descriptorOffset(features: HeadFeature[]): number {
  let o = 0;
  for (const f of features) {
    if (f === 'descriptor') return o;
    o += 1;
  }
  return -1;
}

/** The descriptor's contribution to the head's logit: Σ w_j (d_j − mean_j) / scale_j (0 without one). */
export function descriptorScore(h: GenderHead, descriptor: ArrayLike<number>): number {
  const o = descriptorOffset(h.features);
  if (o < 0) return 0;
  const { weights, mean, scale } = h.model;
  let s = 0;
  for (let j = 0; j < DESCRIPTOR_DIM; j++) s += (weights[o + j] * (descriptor[j] - mean[o + j])) / scale[o + j];
  return s;
}

/** p(male) from the head, with the descriptor given as its precomputed `descriptorScore`. */
export function applyGenderHeadWithScore(h: GenderHead, x: { pMaleRaw: number; ageRaw: number }, dScore: number): number {
  const { weights, mean, scale, bias } = h.model;
  let s = bias + dScore;
  let j = 0;
  for (const f of h.features) {
    if (f === 'descriptor') { j += DESCRIPTOR_DIM; continue; }
    const v = f === 'logit' ? logit(x.pMaleRaw) : Math.log(Math.max(0, x.ageRaw) + 1);
    s += (weights[j] * (v - mean[j])) / scale[j];
    j++;
  }
  return sigmoid(s);
}

export function applyGenderHead(h: GenderHead, x: HeadInputs): number {
  const d = headUsesDescriptor(h) ? descriptorScore(h, x.descriptor ?? []) : 0;
  if (headUsesDescriptor(h) && (!x.descriptor || x.descriptor.length !== DESCRIPTOR_DIM)) throw new Error('gender head: descriptor missing');
  return applyGenderHeadWithScore(h, x, d);
}

export function fitGenderHead(
  features: HeadFeature[],
  maxAge: number | null,
  rows: HeadInputs[],
  isMale: boolean[],
  l2: number,
): GenderHead {
  const idx = rows.map((_, i) => i).filter((i) => maxAge === null || rows[i].ageRaw < maxAge);
  if (idx.length === 0) throw new Error('gender head: no training rows under the age gate');
  const model = fitLogistic(
    idx.map((i) => headFeatureVector(features, rows[i])),
    idx.map((i) => (isMale[i] ? 1 : 0)),
    { l2 },
  );
  return { kind: 'logistic', features, maxAge, model };
}
