import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, spdInverse, spdSolve } from '../../../src/domain/recommend/linalg.ts';
import { rng } from '../../../src/domain/recommend/evaluate.ts';

describe('dense SPD linear algebra', () => {
  test('Cholesky of a known 3×3 matrix', () => {
    // A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]]
    const a = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    cholesky(a, 3);
    assert.deepEqual([...a], [2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  test('inverse of a 2×2 matches the closed form', () => {
    const inv = spdInverse(Float64Array.from([4, 1, 1, 3]), 2);
    const det = 11;
    [3 / det, -1 / det, -1 / det, 4 / det].forEach((v, k) => assert.ok(Math.abs(inv[k] - v) < 1e-12, `entry ${k}`));
  });

  test('A · A⁻¹ = I for a random 61×61 SPD matrix (crosses block boundaries)', () => {
    const n = 61;
    const r = rng(5);
    const x = Float64Array.from({ length: n * n }, () => r() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 0.5 : 0;
        for (let k = 0; k < n; k++) s += x[i * n + k] * x[j * n + k];
        a[i * n + j] = s;
      }
    const inv = spdInverse(a.slice(), n);
    let err = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
        err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
      }
    assert.ok(err < 1e-8, `max error ${err}`);
  });

  test('spdSolve solves a small system and rejects a non-SPD matrix', () => {
    const x = spdSolve(Float64Array.from([4, 1, 1, 3]), Float64Array.from([1, 2]), 2);
    assert.ok(Math.abs(4 * x[0] + x[1] - 1) < 1e-12 && Math.abs(x[0] + 3 * x[1] - 2) < 1e-12);
    assert.throws(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2), /not positive definite/);
  });
});
