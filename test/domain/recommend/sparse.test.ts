import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csrFromTriplets, csrGet, rowCosineTopK, topK, transpose } from '../../../src/domain/recommend/sparse.ts';

describe('sparse helpers', () => {
  test('CSR sums duplicates, sorts columns, transposes', () => {
    const m = csrFromTriplets(2, 3, [1, 0, 1, 0], [2, 1, 0, 1], [5, 1, 2, 3]);
    assert.deepEqual([...m.indptr], [0, 1, 3]);
    assert.deepEqual([...m.indices], [1, 0, 2]);
    assert.deepEqual([...m.data], [4, 2, 5]);
    const t = transpose(m);
    assert.equal(csrGet(t, 2, 1), 5);
    assert.equal(csrGet(t, 1, 0), 4);
    assert.equal(csrGet(t, 1, 1), 0);
  });

  test('topK returns the k best in order, honours skip and ignores -Infinity', () => {
    const s = [0.1, 5, -Infinity, 3, 9, 3.5, 7];
    assert.deepEqual(topK(s, 3), [4, 6, 1]);
    assert.deepEqual(topK(s, 3, (i) => i === 6), [4, 1, 5]);
    assert.deepEqual(topK([-Infinity, 1], 5), [1]);
  });

  test('row cosine equals the hand-computed value', () => {
    // rows: a = {0,1}, b = {1,2}, c = {0,1,2}: cos(a,c) = 2/√6, cos(a,b) = 1/2
    const m = csrFromTriplets(3, 3, [0, 0, 1, 1, 2, 2, 2], [0, 1, 1, 2, 0, 1, 2], null);
    const nb = rowCosineTopK(m, 2);
    assert.equal(nb.idx[0], 2);
    assert.ok(Math.abs(nb.sim[0] - 2 / Math.sqrt(6)) < 1e-6);
    assert.equal(nb.idx[1], 1);
    assert.ok(Math.abs(nb.sim[1] - 0.5) < 1e-6);
  });
});
