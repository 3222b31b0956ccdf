import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalQuantile,
  normalCdf,
  normalLoss,
  poissonDistribution,
  negBinDistribution,
  normalDistribution,
  empiricalDistribution,
  logGamma,
  gammaP,
  gammaPInv,
  gammaDistribution,
} from '../../../src/domain/replenishment/distributions.ts';
import { leadTimeDemand, cumulativeMean } from '../../../src/domain/replenishment/lead-time-demand.ts';
import { mulberry32, sampleCount, samplePoisson } from '../../../src/domain/replenishment/rng.ts';

const close = (a: number, b: number, tol: number, msg?: string): void =>
  assert.ok(Math.abs(a - b) <= tol, `${msg ?? ''} ${a} vs ${b} (tol ${tol})`);

describe('normal', () => {
  test('quantiles match the published table', () => {
    close(normalQuantile(0.95), 1.6448536269514722, 1e-12);
    close(normalQuantile(0.975), 1.959963984540054, 1e-12);
    close(normalQuantile(0.999), 3.090232306167813, 1e-12);
    close(normalQuantile(0.5), 0, 1e-15);
    close(normalQuantile(0.05), -1.6448536269514722, 1e-12);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-9);
  });
  test('cdf inverts the quantile', () => {
    for (const p of [0.001, 0.1, 0.3, 0.7, 0.95, 0.9999]) close(normalCdf(normalQuantile(p)), p, 1e-12, `p=${p}`);
  });
  test('standard loss function G(z) matches tables', () => {
    close(normalLoss(0), 0.3989422804014327, 1e-12);
    close(normalLoss(1), 0.0833154705876864, 1e-10);
    close(normalLoss(-1), 1.0833154705876864, 1e-10);
    close(normalLoss(2), 0.05399096651318806 - 2 * 0.022750131948179195, 1e-12); // φ(2) − 2(1 − Φ(2))
  });
  test('logGamma', () => {
    close(logGamma(1), 0, 1e-13);
    close(logGamma(5), Math.log(24), 1e-12);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
    close(logGamma(101), 363.73937555556347, 1e-9);
  });
});

describe('Poisson', () => {
  test('P95 quantiles from Poisson tables', () => {
    // Poisson(10): P(X ≤ 14) = 0.9165, P(X ≤ 15) = 0.9513 → 15. Poisson(2): P(≤4) = 0.9473, P(≤5) = 0.9834 → 5.
    assert.equal(poissonDistribution(10).quantile(0.95), 15);
    assert.equal(poissonDistribution(2).quantile(0.95), 5);
    close(poissonDistribution(10).cdf(15), 0.9512595966, 1e-9);
    close(poissonDistribution(2).cdf(4), 0.9473469827, 1e-9);
  });
  test('expected shortage equals a brute-force sum', () => {
    const lam = 7.3;
    const d = poissonDistribution(lam);
    for (const s of [0, 3, 7, 12]) {
      let es = 0;
      let p = Math.exp(-lam);
      for (let k = 0; k < 200; k++) {
        if (k > s) es += (k - s) * p;
        p *= lam / (k + 1);
      }
      close(d.expectedShortage(s), es, 1e-9, `s=${s}`);
    }
    // piecewise linear between integers
    close(d.expectedShortage(3.5), (d.expectedShortage(3) + d.expectedShortage(4)) / 2, 1e-12);
  });
  test('large mean keeps its moments', () => {
    const d = poissonDistribution(250_000);
    close(d.mean, 250_000, 1e-3);
    close(d.variance, 250_000, 1);
  });
});

describe('negative binomial', () => {
  test('moment matched: mean and variance reproduce, P95 above Poisson', () => {
    const d = negBinDistribution(36, 72);
    close(d.mean, 36, 1e-6);
    close(d.variance, 72, 1e-4);
    assert.ok(d.quantile(0.95) > poissonDistribution(36).quantile(0.95));
    // r = 36, p = 1/2: P(X = 0) = 2^-36
    close(d.cdf(0), Math.pow(0.5, 36), 1e-20);
  });
  test('very over-dispersed intermittent demand keeps its long tail', () => {
    const d = negBinDistribution(2, 200); // r ≈ 0.02
    close(d.mean, 2, 1e-3);
    close(d.variance, 200, 1);
    assert.ok(d.cdf(0) > 0.9, `mostly zero, got ${d.cdf(0)}`);
  });
  test('Poisson sampler (inversion and PTRS) has the right mean, variance and P95', () => {
    for (const lam of [3, 40, 900]) {
      const rng = mulberry32(lam);
      const xs = new Float64Array(30_000);
      for (let i = 0; i < xs.length; i++) xs[i] = samplePoisson(rng, lam);
      const e = empiricalDistribution(xs);
      close(e.mean, lam, 4 * Math.sqrt(lam / xs.length), `mean λ=${lam}`);
      close(e.variance, lam, lam * 0.05, `variance λ=${lam}`);
      assert.ok(Math.abs(e.quantile(0.95) - poissonDistribution(lam).quantile(0.95)) <= Math.max(1, 0.02 * Math.sqrt(lam) * 3));
    }
  });
  test('Monte Carlo sampler agrees with the table', () => {
    const rng = mulberry32(7);
    const xs = new Float64Array(40_000);
    for (let i = 0; i < xs.length; i++) xs[i] = sampleCount(rng, 20, 60);
    const e = empiricalDistribution(xs);
    const t = negBinDistribution(20, 60);
    close(e.mean, 20, 0.15);
    close(e.variance, 60, 2);
    assert.ok(Math.abs(e.quantile(0.95) - t.quantile(0.95)) <= 1);
  });
});

describe('gamma (large demands)', () => {
  test('incomplete gamma: closed forms', () => {
    close(gammaP(1, 2), 1 - Math.exp(-2), 1e-14);
    close(gammaP(3, 2), 1 - 5 * Math.exp(-2), 1e-13);
    close(gammaP(3, 9), 1 - Math.exp(-9) * (1 + 9 + 40.5), 1e-13);
    for (const [a, p] of [[0.3, 0.95], [2, 0.5], [50, 0.99], [4000, 0.95]]) close(gammaP(a, gammaPInv(p, a)), p, 1e-10, `a=${a}`);
  });
  test('tiny shapes (a lumpy item: error sd far above the mean) give a finite quantile, never NaN', () => {
    // Demo item 35954: 14-day mean 1.16, daily error sd 37.4 → k ≈ 7e-5; its stored ROP was NaN.
    const d = gammaDistribution(1.1604, 37.38 ** 2 * 14);
    assert.equal(d.quantile(0.95), 0);
    for (const a of [1e-6, 7e-5, 1e-3, 0.01, 0.05]) {
      for (const p of [0.5, 0.9, 0.95, 0.99, 0.999]) {
        const x = gammaPInv(p, a);
        assert.ok(Number.isFinite(x) && x >= 0, `a=${a} p=${p}: ${x}`);
        // the mass at and below x reaches p (up to the e^-700 cut, where the quantile is 0)
        if (x > 0) assert.ok(gammaP(a, x) >= p - 1e-9, `a=${a} p=${p}: P(${x}) = ${gammaP(a, x)}`);
      }
    }
  });
  test('exponential: quantile −θ ln(1 − p), loss θ e^(−s/θ)', () => {
    const d = gammaDistribution(10, 100);
    close(d.quantile(0.95), -10 * Math.log(0.05), 1e-8);
    close(d.expectedShortage(15), 10 * Math.exp(-1.5), 1e-10);
    close(d.expectedShortage(0), 10, 1e-12);
  });
  test('big negative binomial switches to the moment-matched gamma, close to the exact table', () => {
    const big = negBinDistribution(3000, 9e6);
    assert.equal(big.kind, 'gamma');
    close(big.mean, 3000, 1e-9);
    const exact = negBinDistribution(100, 2500); // still a table
    assert.equal(exact.kind, 'negbin');
    const approx = gammaDistribution(100, 2500);
    for (const p of [0.5, 0.9, 0.95, 0.99]) assert.ok(Math.abs(exact.quantile(p) - approx.quantile(p)) <= 2, `p=${p}`);
    close(exact.expectedShortage(150), approx.expectedShortage(150), 0.5);
  });
});

describe('lead-time demand', () => {
  test('cumulative mean over fractional and beyond-horizon days', () => {
    const m = Float64Array.from([1, 2, 3, 4]);
    assert.equal(cumulativeMean(m, 2), 3);
    assert.equal(cumulativeMean(m, 2.5), 4.5);
    assert.equal(cumulativeMean(m, 6), 10 + 2 * 2.5); // tail rate = mean of the last (≤ 7) days
  });
  test('moments: Var = T σ_d² + d̄² σ_L² (textbook)', () => {
    const f = { mean: new Float64Array(30).fill(20), dispersion: { sdPerDay: 4 } };
    const x = leadTimeDemand({ forecast: f, leadTimeDays: 5, leadTimeSdDays: 1, reviewDays: 0, family: 'normal' });
    close(x.mean, 100, 1e-9);
    close(x.sd, Math.sqrt(5 * 16 + 400 * 1), 1e-9);
    assert.match(x.why, /5-day demand \(lead time 5 ± 1 days\): normal/);
  });
  test('Monte Carlo over a random lead time matches the moment formula', () => {
    const f = { mean: new Float64Array(40).fill(10), dispersion: { varianceToMean: 2 } };
    const mc = leadTimeDemand({ forecast: f, leadTimeDays: 7, leadTimeSdDays: 2, reviewDays: 7, method: 'montecarlo', draws: 20000, seed: 3 });
    const mo = leadTimeDemand({ forecast: f, leadTimeDays: 7, leadTimeSdDays: 2, reviewDays: 7 });
    close(mc.mean, 140, 1.5);
    close(mc.sd, mo.sd, mo.sd * 0.05);
    assert.ok(Math.abs(mc.dist.quantile(0.95) - mo.dist.quantile(0.95)) <= 5);
  });
  test('dispersion from forecast quantiles', () => {
    const mean = new Float64Array(10).fill(50);
    const q90 = new Float64Array(10).fill(50 + 1.2815515655446004 * 10);
    const x = leadTimeDemand({ forecast: { mean, quantiles: { '0.9': q90 } }, leadTimeDays: 4, reviewDays: 0, family: 'normal' });
    close(x.sd, 10 * 2, 1e-6); // σ_d = 10, 4 independent days
  });
  test('normal family helper', () => {
    const d = normalDistribution(100, 20);
    close(d.quantile(0.75), 100 + 20 * 0.6744897501960817, 1e-9);
  });
});
