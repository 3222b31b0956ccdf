import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AGE_GROUPS, ageGroupDistance, ageGroupOf, ageGroupProbability, normalCdf } from '../../../src/domain/vision/age-groups.ts';

describe('age groups', () => {
  test('band edges', () => {
    assert.equal(ageGroupOf(0), 'child');
    assert.equal(ageGroupOf(12.9), 'child');
    assert.equal(ageGroupOf(13), 'teen');
    assert.equal(ageGroupOf(19.99), 'teen');
    assert.equal(ageGroupOf(20), '20-29');
    assert.equal(ageGroupOf(29), '20-29');
    assert.equal(ageGroupOf(30), '30-44');
    assert.equal(ageGroupOf(44), '30-44');
    assert.equal(ageGroupOf(45), '45-59');
    assert.equal(ageGroupOf(60), '60+');
    assert.equal(ageGroupOf(116), '60+');
    assert.equal(ageGroupOf(-3), 'child');
  });

  test('distance between bands', () => {
    assert.equal(ageGroupDistance('teen', 'teen'), 0);
    assert.equal(ageGroupDistance('teen', '20-29'), 1);
    assert.equal(ageGroupDistance('child', '60+'), AGE_GROUPS.length - 1);
  });

  test('normal CDF', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-5);
    assert.ok(Math.abs(normalCdf(-1) - 0.158655) < 1e-5);
  });

  test('group probabilities sum to 1 and peak at the estimate', () => {
    for (const est of [3, 16, 25, 37, 52, 75]) {
      const ps = AGE_GROUPS.map((g) => ageGroupProbability(est, g, 0.25));
      assert.ok(Math.abs(ps.reduce((a, b) => a + b, 0) - 1) < 1e-6);
      const best = AGE_GROUPS[ps.indexOf(Math.max(...ps))];
      assert.equal(best, ageGroupOf(est));
    }
    // near a boundary the confidence is lower than mid-band
    assert.ok(ageGroupProbability(29.5, '20-29', 0.25) < ageGroupProbability(24, '20-29', 0.25));
  });
});
