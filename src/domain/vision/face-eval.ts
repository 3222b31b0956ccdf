/**
 * Scoring of face age/gender predictions against labels (pure). Shapes follow the issue-8 CLI
 * contract (`shelfwise vision eval`): detection rate, gender accuracy, age MAE, age-group accuracy,
 * per age group (and, for the bench, per any other key such as race).
 */
import { ageGroupDistance, ageGroupOf, type AgeGroup } from './age-groups.ts';
import { binarySummary, expectedCalibrationError, logLoss, median } from './metrics.ts';

export interface LabelledFace {
  age: number;
  gender: 'male' | 'female';
  /** Optional labelled age range (inclusive): the age error is the distance to it, 0 inside. */
  ageLo?: number;
  ageHi?: number;
}

export interface FacePrediction {
  detected: boolean;
  pMale?: number;
  ageYears?: number;
  ms?: number;
}

export interface FaceEvalSummary {
  faces: number;
  detected: number;
  detection_rate: number;
  gender_accuracy: number;
  gender_accuracy_adults: number;
  female_recall: number;
  male_recall: number;
  gender_balanced_accuracy: number;
  gender_log_loss: number;
  gender_ece: number;
  age_mae: number;
  age_group_accuracy: number;
  age_group_within_one: number;
  ms_per_image_median: number;
}

/** Adults for "gender accuracy (adults)": 20 and over, the first adult band. */
export const ADULT_AGE = 20;

export function ageError(label: LabelledFace, est: number): number {
  if (label.ageLo !== undefined && label.ageHi !== undefined) {
    if (est < label.ageLo) return label.ageLo - est;
    if (est > label.ageHi + 1) return est - (label.ageHi + 1);
    return 0;
  }
  return Math.abs(est - label.age);
}

/** Scores the detected faces; detection rate counts all. Undefined metrics come back as NaN. */
export function summarizeFaces(labels: LabelledFace[], preds: FacePrediction[]): FaceEvalSummary {
  const det = labels.map((l, i) => ({ l, p: preds[i] })).filter((x) => x.p.detected && x.p.pMale !== undefined);
  const truth = det.map((x) => x.l.gender === 'male');
  const pm = det.map((x) => x.p.pMale as number);
  const g = binarySummary(truth, pm.map((p) => p >= 0.5));
  const adults = det.filter((x) => x.l.age >= ADULT_AGE);
  const ga = binarySummary(adults.map((x) => x.l.gender === 'male'), adults.map((x) => (x.p.pMale as number) >= 0.5));
  const ages = det.map((x) => ({ e: x.p.ageYears as number, l: x.l }));
  const mae = ages.length ? ages.reduce((a, x) => a + ageError(x.l, x.e), 0) / ages.length : Number.NaN;
  const grp = ages.map((x) => ageGroupDistance(ageGroupOf(x.e), ageGroupOf(x.l.age)));
  const ms = preds.map((p) => p.ms).filter((m): m is number => m !== undefined);
  return {
    faces: labels.length,
    detected: det.length,
    detection_rate: labels.length ? det.length / labels.length : Number.NaN,
    gender_accuracy: g.accuracy,
    gender_accuracy_adults: ga.accuracy,
    female_recall: g.recallNeg,
    male_recall: g.recallPos,
    gender_balanced_accuracy: g.balancedAccuracy,
    gender_log_loss: logLoss(truth, pm),
    gender_ece: expectedCalibrationError(truth, pm),
    age_mae: mae,
    age_group_accuracy: grp.length ? grp.filter((d) => d === 0).length / grp.length : Number.NaN,
    age_group_within_one: grp.length ? grp.filter((d) => d <= 1).length / grp.length : Number.NaN,
    ms_per_image_median: ms.length ? median(ms) : Number.NaN,
  };
}

/** The same summary for each value of `keyOf` (e.g. true age group, race). */
export function summarizeBy<K extends string>(
  labels: LabelledFace[],
  preds: FacePrediction[],
  keyOf: (l: LabelledFace, i: number) => K,
): Record<K, FaceEvalSummary> {
  const groups = new Map<K, number[]>();
  labels.forEach((l, i) => {
    const k = keyOf(l, i);
    let arr = groups.get(k);
    if (!arr) groups.set(k, (arr = []));
    arr.push(i);
  });
  const out = {} as Record<K, FaceEvalSummary>;
  for (const [k, idx] of groups) out[k] = summarizeFaces(idx.map((i) => labels[i]), idx.map((i) => preds[i]));
  return out;
}

export function trueAgeGroup(l: LabelledFace): AgeGroup {
  return ageGroupOf(l.age);
}
