import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitElasticities } from '../../../src/domain/markdown/elasticity.ts';
import { buildPanel, panelFromItems, type PanelRow } from '../../../src/domain/markdown/elasticity-panel.ts';
import { chooseTau, holdoutScore } from '../../../src/domain/markdown/elasticity-validate.ts';
import { tierAdjustedPriceIndex } from '../../../src/domain/markdown/price-index.ts';
import type { MarkdownItem } from '../../../src/domain/markdown/types.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}

/** 20 items at β = −1.8 (category A), 10 at −0.8 (B), 52 weeks, a season that the retailer
 * promotes into (prices cut 20 % in peak weeks — the confound a time control must remove),
 * and one noisy A item with almost no price variation whose own data say +2. */
function synthetic(seed = 7): PanelRow[] {
  const r = rng(seed);
  const rows: PanelRow[] = [];
  const season = Array.from({ length: 52 }, (_, t) => 0.6 * Math.sin((2 * Math.PI * t) / 52) + 0.01 * t);
  const make = (sku: string, category: string, beta: number, priceSteps: boolean, noise: number) => {
    const a = 2 + 2 * r.u();
    const p0 = 1 + 4 * r.u();
    let level = 1;
    for (let t = 0; t < 52; t++) {
      if (priceSteps && r.u() < 0.15) level = [0.8, 0.9, 1, 1.1, 1.25][Math.floor(r.u() * 5)];
      let p = p0 * level * (priceSteps && season[t] > 0.35 ? 0.8 : 1);
      if (!priceSteps) p = p0 * (t % 2 ? 1.012 : 0.988);
      const q = Math.exp(a + season[t] + beta * Math.log(p) + noise * r.normal());
      rows.push({ sku, category, period: t, qty: q, price: p });
    }
  };
  for (let i = 0; i < 20; i++) make(`A${i}`, 'A', -1.8, true, 0.25);
  for (let i = 0; i < 10; i++) make(`B${i}`, 'B', -0.8, true, 0.25);
  make('NOISY', 'A', 2, false, 1.0);
  return rows;
}

describe('elasticity: log-log with time effects and empirical-Bayes pooling', () => {
  const panel = buildPanel(synthetic());
  const fit = fitElasticities(panel);
  const cat = (c: string) => fit.categories.find((g) => g.category === c)!;

  test('recovers the planted −1.8 (and −0.8) within ±0.2, over three seeds', () => {
    for (const seed of [7, 8, 9]) {
      const f = seed === 7 ? fit : fitElasticities(buildPanel(synthetic(seed)));
      const g = (c: string) => f.categories.find((x) => x.category === c)!;
      assert.ok(Math.abs(g('A').pooled + 1.8) < 0.2, `seed ${seed}: A pooled ${g('A').pooled}`);
      assert.ok(Math.abs(g('A').mean + 1.8) < 0.2, `seed ${seed}: A mean ${g('A').mean}`);
      assert.ok(Math.abs(g('B').mean + 0.8) < 0.2, `seed ${seed}: B mean ${g('B').mean}`);
    }
  });

  test('pooling makes the item estimates more accurate than their own fits', () => {
    const truth = (sku: string) => (sku.startsWith('A') ? -1.8 : -0.8);
    const good = fit.items.filter((i) => /^[AB]\d/.test(i.sku));
    const rmse = (f: (i: (typeof good)[number]) => number) => Math.sqrt(good.reduce((s, i) => s + (f(i) - truth(i.sku)) ** 2, 0) / good.length);
    const rawErr = rmse((i) => i.raw!);
    const shrunkErr = rmse((i) => i.shrunk);
    assert.ok(shrunkErr < 0.7 * rawErr, `shrunk RMSE ${shrunkErr} vs raw ${rawErr}`);
    for (const it of good) assert.ok(Math.abs(it.shrunk - truth(it.sku)) < 0.3, `${it.sku} ${it.shrunk}`);
  });

  test('per-category week effects, the robust τ and a fixed τ also recover the categories', () => {
    for (const opts of [{ timeEffects: 'category' as const }, { tau: 'robust' as const }, { tau: 0.2 }]) {
      const f = fitElasticities(panel, opts);
      const g = (c: string) => f.categories.find((x) => x.category === c)!;
      assert.ok(Math.abs(g('A').mean + 1.8) < 0.2 && Math.abs(g('B').mean + 0.8) < 0.2, `${JSON.stringify(opts)}: ${g('A').mean} ${g('B').mean}`);
    }
    assert.equal(fitElasticities(panel, { tau: 0.2 }).global.tau, 0.2);
  });

  test('without the time control the promotion-into-season confound biases the estimate', () => {
    const naive = fitElasticities(panel, { timeEffects: 'none' });
    const a = naive.categories.find((g) => g.category === 'A')!;
    assert.ok(a.pooled < -2.1, `naive A pooled ${a.pooled} should be biased below −2.1`);
  });

  test('a noisy item with little price variation is shrunk toward its category', () => {
    const noisy = fit.items.find((i) => i.sku === 'NOISY')!;
    assert.ok(noisy.raw !== null && noisy.rawSe !== null);
    assert.ok(noisy.rawSe! > 3, `raw se ${noisy.rawSe}`);
    assert.ok(noisy.ownWeight < 0.05, `own weight ${noisy.ownWeight}`);
    assert.ok(Math.abs(noisy.shrunk - cat('A').mean) < 0.15, `shrunk ${noisy.shrunk} vs A ${cat('A').mean}`);
    assert.ok(Math.abs(noisy.shrunk - cat('A').mean) < Math.abs(noisy.raw! - cat('A').mean));
    // …and not toward B or the overall mean
    assert.ok(Math.abs(noisy.shrunk - cat('B').mean) > 0.6);
    assert.ok(noisy.shrunkSd > fit.items.find((i) => i.sku === 'A0')!.shrunkSd);
  });

  test('an item with no price variation at all gets its category estimate', () => {
    const rows = synthetic().concat(Array.from({ length: 30 }, (_, t) => ({ sku: 'FLAT', category: 'B', period: t, qty: 5 + (t % 3), price: 2 })));
    const f = fitElasticities(buildPanel(rows));
    const flat = f.items.find((i) => i.sku === 'FLAT')!;
    assert.equal(flat.raw, null);
    assert.equal(flat.ownWeight, 0);
    assert.equal(flat.shrunk, f.categories.find((g) => g.category === 'B')!.mean);
  });
});

test('panelFromItems: weekly panel from daily sales and prices recovers −1.8', () => {
  const r = rng(11);
  const items: MarkdownItem[] = [];
  for (let i = 0; i < 12; i++) {
    const n = 364;
    const sales = new Float64Array(n);
    const price = new Float64Array(n);
    let level = 1;
    for (let d = 0; d < n; d++) {
      if (d % 7 === 0 && r.u() < 0.2) level = 0.7 + 0.6 * r.u();
      price[d] = 3 * level;
      sales[d] = 20 * Math.pow(price[d], -1.8) * Math.exp(0.2 * r.normal());
    }
    items.push({ sku: `I${i}`, category: 'c', price: 3, cost: 1, onHand: 0, dailySales: sales, dailyPrice: price });
  }
  const panel = panelFromItems(items);
  assert.equal(panel.item.length, 12 * 52);
  const fit = fitElasticities(panel);
  assert.ok(Math.abs(fit.global.pooled + 1.8) < 0.2, `pooled ${fit.global.pooled}`);
});

test('tier-adjusted price index ignores the quantity-tier mix and follows list price changes', () => {
  // List price 2.95 (qty < 32) / 2.55 (qty ≥ 32) until period 5, then 3.25 with the same tier ratio. The share of big
  // lines varies by period, so the mean paid price moves although the list did not.
  const item: number[] = [];
  const period: number[] = [];
  const qty: number[] = [];
  const price: number[] = [];
  const bigShare = [0.1, 0.6, 0.2, 0.8, 0.3, 0.1, 0.7, 0.4, 0.9, 0.2];
  for (let p = 0; p < 10; p++)
    for (let k = 0; k < 20; k++) {
      const big = k < bigShare[p] * 20;
      const q = big ? (k % 2 ? 32 : 64) : [1, 2, 6, 12][k % 4];
      item.push(0);
      period.push(p);
      qty.push(q);
      price.push((p < 5 ? 2.95 : 3.25) * (big ? 2.55 / 2.95 : 1));
    }
  // one stray line at double price (another channel) must not move the index
  item.push(0), period.push(2), qty.push(6), price.push(5.9);
  const res = tierAdjustedPriceIndex(
    { item: Int32Array.from(item), period: Int32Array.from(period), qty: Float64Array.from(qty), unitPrice: Float64Array.from(price) },
    1,
    10,
  );
  for (let p = 0; p < 10; p++) assert.ok(Math.abs(res.index[p] - (p < 5 ? 2.95 : 3.25)) < 1e-6, `period ${p}: ${res.index[p]}`);
  assert.ok(Math.abs(res.tierDiscount[0] - Math.log(2.55 / 2.95)) < 1e-6);
  assert.equal(res.refQty[0], 6);
  // the mean paid price per period, by contrast, swings with the order mix
  const paid = (p: number) => {
    let s = 0;
    let c = 0;
    for (let k = 0; k < 200; k++) if (period[k] === p) (s += price[k]), c++;
    return s / c;
  };
  assert.ok(paid(0) - paid(3) > 0.2);
});

test('out-of-time check: the price model beats the no-price baseline, and τ is chosen from training data only', () => {
  const rows = synthetic(21);
  const fit = fitElasticities(buildPanel(rows.filter((r) => r.period < 36)));
  const test = rows.filter((r) => r.period >= 36);
  const base = holdoutScore(fit, test, 'none', () => 0);
  const model = holdoutScore(fit, test, 'eb', (i) => i.shrunk);
  assert.equal(base.nObs, 31 * 16);
  assert.ok(model.mse < 0.75 * base.mse, `model ${model.mse} vs baseline ${base.mse}`);
  // residual error near the planted noise: 30 items at 0.25² and one at 1.0² → ≈ 0.093
  assert.ok(model.mse < 0.12, `model MSE ${model.mse}`);
  const chosen = chooseTau(rows.filter((r) => r.period < 36), 24, [0.05, 0.3, 3]);
  assert.equal(chosen.scores.length, 3);
  assert.ok([0.05, 0.3, 3].includes(chosen.tau));
  // two categories with different elasticities: a near-zero τ is not worse than a huge one
  const s = new Map(chosen.scores.map((x) => [x.tau, x.mseChanged]));
  assert.ok(s.get(0.3)! <= s.get(3)! + 1e-9);
});
