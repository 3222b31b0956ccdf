/**
 * Defect / no-defect head on texture features: L2 logistic regression, penalty chosen by k-fold
 * cross-validation on the training rows only (pure). Scores follow the issue-12 CLI contract.
 */
import { fitLogistic, predictLogistic, type LogisticModel } from '../logistic.ts';
import { binarySummary, hashUnit, median, rocAuc } from '../metrics.ts';

export interface DefectModel {
  kind: 'texture-logistic';
  featureNames: string[];
  l2: number;
  threshold: number;
  logistic: LogisticModel;
}

export interface DefectEvalSummary {
  images: number;
  accuracy: number;
  recall_defective: number;
  precision_defective: number;
  auc: number;
  ms_per_image_median: number;
}

export const L2_GRID = [0.1, 0.3, 1, 3, 10, 30, 100];

/** Deterministic fold of a key (file name) for k-fold CV. */
export function foldOf(key: string, k: number, salt = '#fold'): number {
  return Math.min(k - 1, Math.floor(hashUnit(key + salt) * k));
}

/** Out-of-fold probabilities for each row under penalty l2 (class-balanced fits). */
export function crossValidatedScores(x: ArrayLike<number>[], y: boolean[], folds: number[], l2: number): number[] {
  const k = Math.max(...folds) + 1;
  const out = new Array<number>(x.length).fill(Number.NaN);
  for (let f = 0; f < k; f++) {
    const tr = x.map((_, i) => i).filter((i) => folds[i] !== f);
    const te = x.map((_, i) => i).filter((i) => folds[i] === f);
    if (!te.length || !tr.length) continue;
    const m = fitLogistic(tr.map((i) => x[i]), tr.map((i) => (y[i] ? 1 : 0)), { l2, balanced: true });
    for (const i of te) out[i] = predictLogistic(m, x[i]);
  }
  return out;
}

/** Pick l2 by CV log-loss on the training rows, then fit on all of them. */
export function trainDefectModel(
  x: ArrayLike<number>[],
  y: boolean[],
  keys: string[],
  featureNames: string[],
  opts: { k?: number; grid?: number[] } = {},
): { model: DefectModel; cv: { l2: number; logLoss: number; auc: number }[] } {
  const k = opts.k ?? 5;
  const folds = keys.map((key) => foldOf(key, k));
  const cv = (opts.grid ?? L2_GRID).map((l2) => {
    const p = crossValidatedScores(x, y, folds, l2);
    let ll = 0;
    p.forEach((q, i) => { const c = Math.min(1 - 1e-6, Math.max(1e-6, q)); ll -= y[i] ? Math.log(c) : Math.log(1 - c); });
    return { l2, logLoss: ll / p.length, auc: rocAuc(y, p) };
  });
  const best = cv.reduce((a, b) => (b.logLoss < a.logLoss ? b : a));
  const logistic = fitLogistic(x, y.map((v) => (v ? 1 : 0)), { l2: best.l2, balanced: true });
  return { model: { kind: 'texture-logistic', featureNames, l2: best.l2, threshold: 0.5, logistic }, cv };
}

export function predictDefect(model: DefectModel, features: ArrayLike<number>): number {
  return predictLogistic(model.logistic, features);
}

export function summarizeDefects(truthDefective: boolean[], pDefective: number[], threshold = 0.5, ms: number[] = []): DefectEvalSummary {
  const s = binarySummary(truthDefective, pDefective.map((p) => p >= threshold));
  return {
    images: truthDefective.length,
    accuracy: s.accuracy,
    recall_defective: s.recallPos,
    precision_defective: s.precisionPos,
    auc: rocAuc(truthDefective, pDefective),
    ms_per_image_median: ms.length ? median(ms) : Number.NaN,
  };
}
