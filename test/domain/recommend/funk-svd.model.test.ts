import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataFile } from '../../../src/config/data-dir.ts';
import { parseMovieLens } from '../../../src/domain/recommend/datasets.ts';
import { evaluateRatings } from '../../../src/domain/recommend/evaluation-runs.ts';
import { latentSimilarItems, predictRating, trainFunkSvd } from '../../../src/domain/recommend/funk-svd.model.ts';
import { rng } from '../../../src/domain/recommend/evaluate.ts';

describe('Funk-SVD', () => {
  test('fits a planted rank-2 rating matrix and finds the latent twin item', () => {
    const r = rng(2);
    const users = 40;
    const items = 30;
    const pu = Array.from({ length: users }, () => [r() * 2 - 1, r() * 2 - 1]);
    const qi = Array.from({ length: items }, () => [r() * 2 - 1, r() * 2 - 1]);
    qi[1] = [qi[0][0] * 1.1, qi[0][1] * 1.1]; // item 1 is a latent twin of item 0
    const user: number[] = [];
    const item: number[] = [];
    const rating: number[] = [];
    const held: [number, number, number][] = [];
    for (let u = 0; u < users; u++)
      for (let i = 0; i < items; i++) {
        const v = 3 + 1.5 * (pu[u][0] * qi[i][0] + pu[u][1] * qi[i][1]);
        if (r() < 0.15) held.push([u, i, v]);
        else {
          user.push(u);
          item.push(i);
          rating.push(v);
        }
      }
    const m = trainFunkSvd({ user, item, rating }, { factors: 2, epochs: 300, lr: 0.02, reg: 0.001, clip: [0, 6] });
    let se = 0;
    let seMean = 0;
    for (const [u, i, v] of held) {
      se += (predictRating(m, u, i) - v) ** 2;
      seMean += (m.mean - v) ** 2;
    }
    assert.ok(se < 0.1 * seMean, `held-out SSE ${se} vs global mean ${seMean}`);
    assert.equal(latentSimilarItems(m, 0, 1)[0].item, 1);
    assert.equal(predictRating(m, 999, 999), m.mean, 'unknown user and item fall back to the mean');
  });

  const ml = dataFile('ratings', 'ml-100k', 'u.data');
  test('beats the global mean on a MovieLens-100k fold', { skip: ml ? false : 'MovieLens data missing (SHELFWISE_DATA)' }, () => {
    const r = parseMovieLens(readFileSync(ml!, 'utf8'));
    const res = evaluateRatings(r, { folds: 5, runFolds: 1 });
    assert.ok(res.rmse < 0.94, `RMSE ${res.rmse}`);
    assert.ok(res.rmse < res.baseline.rmse - 0.15, `RMSE ${res.rmse} vs global mean ${res.baseline.rmse}`);
  });
});
