import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyAgeCalibration, applyGenderCalibration, fitAgeCalibration, fitBalancedThreshold, fitPlatt, fitTemperature,
} from '../../../src/domain/vision/gender-calibration.ts';
import { fitLogistic, predictLogistic, sigmoid } from '../../../src/domain/vision/logistic.ts';
import { binarySummary, logLoss, mulberry32, rocAuc } from '../../../src/domain/vision/metrics.ts';

/** Scores shaped like the FINDINGS bias: men get high p(male), women are spread and often above 0.5. */
function biasedScores(n: number, seed: number) {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const p: number[] = [];
  const male: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const m = rnd() < 0.5;
    male.push(m);
    p.push(sigmoid(m ? 3 + 1.2 * gauss() : 1 + 1.5 * gauss()));
  }
  return { p, male };
}

describe('gender calibration', () => {
  test('Platt fitted on one split raises balanced accuracy on another', () => {
    const fitSet = biasedScores(600, 1);
    const heldOut = biasedScores(600, 2);
    const before = binarySummary(heldOut.male, heldOut.p.map((q) => q >= 0.5));
    const cal = fitPlatt(fitSet.p, fitSet.male);
    const after = binarySummary(heldOut.male, heldOut.p.map((q) => applyGenderCalibration(cal, q) >= 0.5));
    assert.ok(before.recallNeg < 0.75, `biased female recall ${before.recallNeg}`);
    assert.ok(after.balancedAccuracy > before.balancedAccuracy + 0.05, `${before.balancedAccuracy} → ${after.balancedAccuracy}`);
    assert.ok(Math.abs(after.recallNeg - after.recallPos) < 0.12, 'recalls roughly balanced');
  });

  test('balanced threshold also balances, and is monotone (AUC unchanged)', () => {
    const fitSet = biasedScores(600, 3);
    const heldOut = biasedScores(600, 4);
    const th = fitBalancedThreshold(fitSet.p, fitSet.male);
    assert.ok(th.threshold > 0.6 && th.threshold < 0.99, `threshold ${th.threshold}`);
    const mapped = heldOut.p.map((q) => applyGenderCalibration(th, q));
    assert.ok(Math.abs(rocAuc(heldOut.male, mapped) - rocAuc(heldOut.male, heldOut.p)) < 1e-9);
    assert.ok(Math.abs(applyGenderCalibration(th, th.threshold) - 0.5) < 1e-6);
  });

  test('temperature scaling keeps every decision and fixes under-confidence on held-out scores', () => {
    // unbiased but under-confident scores: true logit 4·z, network reports z
    const make = (seed: number) => {
      const rnd = mulberry32(seed);
      const p: number[] = [], male: boolean[] = [];
      for (let i = 0; i < 800; i++) {
        const z = (rnd() - 0.5) * 3;
        male.push(rnd() < sigmoid(4 * z));
        p.push(sigmoid(z));
      }
      return { p, male };
    };
    const fitSet = make(21), heldOut = make(22);
    const t = fitTemperature(fitSet.p, fitSet.male);
    assert.equal(t.b, 0);
    assert.ok(t.a > 3 && t.a < 5, `a ${t.a}`);
    const mapped = heldOut.p.map((q) => applyGenderCalibration(t, q));
    assert.ok(mapped.every((q, i) => (q >= 0.5) === (heldOut.p[i] >= 0.5)));
    assert.ok(logLoss(heldOut.male, mapped) < logLoss(heldOut.male, heldOut.p) - 0.05);
  });

  test('age calibration undoes a systematic stretch and estimates the spread', () => {
    const rnd = mulberry32(7);
    const truth: number[] = [];
    const est: number[] = [];
    for (let i = 0; i < 500; i++) {
      const a = 2 + rnd() * 70;
      truth.push(a);
      // network compresses old ages: est+1 = (a+1)^0.8 * e^(0.5 + noise)
      est.push(Math.exp(0.5 + 0.8 * Math.log(a + 1) + 0.1 * (rnd() - 0.5)) - 1);
    }
    const cal = fitAgeCalibration(est, truth);
    const maeRaw = est.reduce((s, e, i) => s + Math.abs(e - truth[i]), 0) / est.length;
    const maeCal = est.reduce((s, e, i) => s + Math.abs(applyAgeCalibration(cal, e) - truth[i]), 0) / est.length;
    assert.ok(maeCal < maeRaw / 2, `${maeRaw} → ${maeCal}`);
    assert.ok(cal.sigmaLog > 0.01 && cal.sigmaLog < 0.1);
  });
});

describe('logistic regression', () => {
  test('separates a linearly separable-ish problem and respects L2', () => {
    const rnd = mulberry32(11);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const a = rnd() * 2 - 1, b = rnd() * 2 - 1, c = rnd() * 100;
      x.push([a, b, c]);
      y.push(2 * a - b + 0.3 * (rnd() - 0.5) > 0 ? 1 : 0);
    }
    const m = fitLogistic(x, y, { l2: 0.1 });
    const acc = x.filter((r, i) => (predictLogistic(m, r) >= 0.5 ? 1 : 0) === y[i]).length / x.length;
    assert.ok(acc > 0.95, `acc ${acc}`);
    assert.ok(Math.abs(m.weights[2]) < Math.abs(m.weights[0]) / 5, 'noise feature gets a small weight');
    const strong = fitLogistic(x, y, { l2: 1e4 });
    assert.ok(Math.abs(strong.weights[0]) < Math.abs(m.weights[0]) / 10, 'heavy L2 shrinks');
  });
});
