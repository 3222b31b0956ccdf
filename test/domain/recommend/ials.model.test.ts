import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreIals, trainIals } from '../../../src/domain/recommend/ials.model.ts';
import { csrFromTriplets } from '../../../src/domain/recommend/sparse.ts';
import { rng } from '../../../src/domain/recommend/evaluate.ts';

describe('implicit ALS', () => {
  // Two planted blocks: users 0-29 buy from items 0-14, users 30-59 from items 15-29 (~50 % density).
  // One in-block item per user is held out; two factors are enough for two blocks.
  const r = rng(11);
  const rows: number[] = [];
  const cols: number[] = [];
  const heldOut = new Int32Array(60);
  for (let u = 0; u < 60; u++) {
    const base = u < 30 ? 0 : 15;
    heldOut[u] = base + (u % 15);
    for (let i = base; i < base + 15; i++) {
      if (i === heldOut[u] || r() < 0.5) continue;
      rows.push(u);
      cols.push(i);
    }
  }
  const x = csrFromTriplets(60, 30, rows, cols, rows.map(() => 1 + Math.floor(r() * 3)));

  test('the objective never increases and the planted blocks are recovered', () => {
    const losses: number[] = [];
    const m = trainIals(x, { factors: 2, iterations: 8, lambda: 0.5, alpha: 5, trackLoss: true, onIteration: (_, l) => losses.push(l!) });
    for (let k = 1; k < losses.length; k++) assert.ok(losses[k] <= losses[k - 1] * (1 + 1e-9), `loss went up at ${k}: ${losses}`);
    assert.ok(losses[losses.length - 1] < 0.8 * losses[0], `loss fell too little: ${losses}`);
    let beatsAll = 0;
    let beatsMean = 0;
    for (let u = 0; u < 60; u++) {
      const s = new Float64Array(30);
      scoreIals(m, u, s);
      const other = u < 30 ? s.slice(15) : s.slice(0, 15);
      if (s[heldOut[u]] > Math.max(...other)) beatsAll++;
      if (s[heldOut[u]] > other.reduce((a, b) => a + b, 0) / 15 + 0.2) beatsMean++;
    }
    assert.equal(beatsMean, 60, 'every held-out in-block item clearly beats the other block on average');
    assert.ok(beatsAll === 60, `held-out in-block item beat every other-block item for ${beatsAll}/60 users`);
  });
});
