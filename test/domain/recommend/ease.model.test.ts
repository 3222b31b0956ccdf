import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreEase, trainEase } from '../../../src/domain/recommend/ease.model.ts';
import { buildInteractionData } from '../../../src/domain/recommend/interactions.ts';

function inverse3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d].map((x) => x / det);
}

describe('EASE', () => {
  // customers × items: u0 {0,1}, u1 {0,1,2}, u2 {1,2}, u3 {0}; item 0 bought twice by u0 (binary in EASE)
  const pairs = [[0, 0], [0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2], [3, 0]];
  const d = buildInteractionData(pairs.map(([user, item], k) => ({ user, item, weight: 1, time: k })));

  test('matches the closed form B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹', () => {
    const m = trainEase(d, { lambda: 1 });
    // G + λI over items 0,1,2 (binary X): counts 3,3,2; co-occurrences (0,1)=2, (0,2)=1, (1,2)=2
    const p = inverse3([4, 2, 1, 2, 4, 2, 1, 2, 3]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const expected = i === j ? 0 : -p[i * 3 + j] / p[j * 3 + j];
        const got = m.b[m.slot[d.items.index.get(i)!] * m.n + m.slot[d.items.index.get(j)!]];
        assert.ok(Math.abs(got - expected) < 1e-6, `B[${i}][${j}] = ${got}, expected ${expected}`);
      }
  });

  test('scores sum the rows of the history and maxItems keeps the most-bought items', () => {
    const m = trainEase(d, { lambda: 1 });
    const out = new Float64Array(3);
    const i0 = d.items.index.get(0)!;
    const i1 = d.items.index.get(1)!;
    scoreEase(m, [i0, i1], null, out);
    const row = (i: number) => Array.from({ length: 3 }, (_, j) => m.b[m.slot[i] * m.n + m.slot[j]]);
    const expected = row(i0).map((v, j) => v + row(i1)[j]);
    expected.forEach((v, j) => assert.ok(Math.abs(out[j] - v) < 1e-6));
    // item 2 co-occurs with 1 more than with 0: it is the best new item for a {0,1} customer
    assert.ok(out[d.items.index.get(2)!] > 0);
    const small = trainEase(d, { lambda: 1, maxItems: 2 });
    assert.equal(small.n, 2);
    assert.equal(small.slot[d.items.index.get(2)!], -1, 'the least-bought item is dropped');
  });
});
