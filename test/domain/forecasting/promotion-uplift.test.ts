import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPromotions, MAX_UPLIFT, promoUplift, promotionFactors, type PromoWindow } from '../../../src/domain/forecasting/promotion-uplift.ts';
import type { ForecastResult } from '../../../src/domain/forecasting/types.ts';

const w = (id: number, startsOn: string, endsOn: string, priceRatio: number, elasticity = -2): PromoWindow => ({ promotionId: id, startsOn, endsOn, priceRatio, elasticity });

test('uplift is (price ratio)^elasticity, 1 for no discount or a non-negative elasticity, capped', () => {
  assert.equal(promoUplift(0.8, -2), 0.8 ** -2);
  assert.equal(promoUplift(1, -2), 1);
  assert.equal(promoUplift(0.8, 0.5), 1);
  assert.equal(promoUplift(0.05, -4), MAX_UPLIFT);
});

test('daily factors: exactly the promotion days; the deepest promotion wins where two overlap', () => {
  const { factors, used } = promotionFactors('2026-03-01', 'D', 10, [w(1, '2026-03-03', '2026-03-05', 0.9), w(2, '2026-03-05', '2026-03-06', 0.5)]);
  const a = 0.9 ** -2;
  const b = 0.5 ** -2;
  assert.deepEqual([...factors], [1, 1, a, a, b, b, 1, 1, 1, 1]);
  assert.deepEqual(used, [1, 2]);
});

test('weekly and monthly factors are pro rata to the promotion days in the period', () => {
  // 2026-03-01 is a Sunday; weeks start on Sundays. Promotion on 3 days of the second week.
  const wk = promotionFactors('2026-03-01', 'W', 3, [w(7, '2026-03-10', '2026-03-12', 0.8)]);
  assert.deepEqual([...wk.factors].map((x) => +x.toFixed(6)), [1, +(1 + (3 / 7) * (0.8 ** -2 - 1)).toFixed(6), 1]);
  const mo = promotionFactors('2026-02-01', 'M', 2, [w(8, '2026-02-15', '2026-03-31', 0.8)]);
  assert.deepEqual([...mo.factors].map((x) => +x.toFixed(6)), [+(1 + (14 / 28) * (0.8 ** -2 - 1)).toFixed(6), +(0.8 ** -2).toFixed(6)]);
});

test('applyPromotions scales the mean and every quantile and says so in the reason; no promotion, same object', () => {
  const r: ForecastResult = {
    model: 'ets',
    reason: 'smooth demand',
    mean: Float64Array.from([2, 2, 2]),
    quantiles: { p50: Float64Array.from([2, 2, 2]), p95: Float64Array.from([4, 4, 4]) },
    backtest: null,
    demandClass: 'smooth',
    adi: 1,
    cv2: 0.1,
    distribution: 'normal',
  };
  assert.equal(applyPromotions(r, '2026-03-01', 'D', []), r);
  assert.equal(applyPromotions(r, '2026-03-01', 'D', [w(3, '2026-04-01', '2026-04-05', 0.5)]), r, 'outside the horizon');
  const out = applyPromotions(r, '2026-03-01', 'D', [w(3, '2026-03-02', '2026-03-02', 0.5, -1)]);
  assert.deepEqual([...out.mean], [2, 4, 2]);
  assert.deepEqual([...out.quantiles.p95], [4, 8, 4]);
  assert.match(out.reason, /^smooth demand; promotion #3 50 % off, elasticity -1.00: demand ×2.00 over 2026-03-02$/);
});
