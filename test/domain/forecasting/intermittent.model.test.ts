import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDemand } from '../../../src/domain/forecasting/classify.ts';
import { adidaRate, aggregateBlocks, crostonRate, imapaRate, sbaRate, tsbRate } from '../../../src/domain/forecasting/intermittent.model.ts';

describe('intermittent demand', () => {
  test('Croston and SBA match hand-computed values', () => {
    // demands 3 (interval 2) and 5 (interval 3): size 3 → 3 + 0.1·(5 − 3) = 3.2; interval 2 → 2.1
    const y = Float64Array.from([0, 3, 0, 0, 5]);
    assert.ok(Math.abs(crostonRate(y) - 3.2 / 2.1) < 1e-12);
    assert.ok(Math.abs(sbaRate(y) - (0.95 * 3.2) / 2.1) < 1e-12);
  });

  test('out-of-stock (NaN) periods do not lengthen the interval', () => {
    const y = Float64Array.from([0, 3, NaN, NaN, 0, 5]);
    // observed periods: 0 3 0 5 → intervals 2 and 2
    assert.ok(Math.abs(crostonRate(y) - 3.2 / 2) < 1e-12);
  });

  test('TSB with fixed parameters matches a hand computation', () => {
    const y = Float64Array.from([2, 0, 4, 0]);
    // start p = 2/4 = 0.5, z = 3; α_d = 0.5, α_p = 0.2
    let p = 0.5;
    let z = 3;
    p += 0.2 * (1 - p); z += 0.5 * (2 - z);
    p -= 0.2 * p;
    p += 0.2 * (1 - p); z += 0.5 * (4 - z);
    p -= 0.2 * p;
    assert.ok(Math.abs(tsbRate(y, { alphaD: 0.5, alphaP: 0.2 }) - p * z) < 1e-12);
  });

  test('TSB decays toward zero after demand stops; Croston does not', () => {
    const y = new Float64Array(120);
    for (let t = 0; t < 60; t += 3) y[t] = 6;
    assert.ok(tsbRate(y) < 0.5 * crostonRate(y));
  });

  test('ADIDA aggregates blocks from the end and spreads back; IMAPA averages levels', () => {
    const y = Float64Array.from([9, 1, 0, 2, 0, 4, 0]);
    assert.deepEqual(Array.from(aggregateBlocks(y, 2)), [1, 2, 4]);
    const flat = new Float64Array(60).fill(0);
    for (let t = 0; t < 60; t += 4) flat[t] = 8; // 2 per period on average
    assert.ok(Math.abs(adidaRate(flat, 4) - 2) < 1e-9);
    assert.ok(Math.abs(imapaRate(flat, 4) - 2) < 0.5);
  });

  test('Syntetos-Boylan classes by ADI 1.32 and CV² 0.49', () => {
    assert.equal(classifyDemand(Float64Array.from([5, 6, 5, 6, 5, 6])).demandClass, 'smooth');
    assert.equal(classifyDemand(Float64Array.from([1, 20, 1, 20, 1, 20])).demandClass, 'erratic');
    assert.equal(classifyDemand(Float64Array.from([5, 0, 0, 6, 0, 0, 5, 0])).demandClass, 'intermittent');
    assert.equal(classifyDemand(Float64Array.from([1, 0, 0, 30, 0, 0, 1, 0])).demandClass, 'lumpy');
    const c = classifyDemand(Float64Array.from([0, 0, 4, 0, 4, NaN, 0, 4]));
    assert.equal(c.adi, 5 / 3); // leading zeros ignored, NaN not observed
  });
});
