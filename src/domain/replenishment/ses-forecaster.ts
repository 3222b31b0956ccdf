/**
 * The simulator's default forecaster (the one bench/replenishment.bench.ts measured): an SES level as a flat
 * forecast per period, with dispersion = RMS of back-tested cumulative errors (Σ actual − h × level) over every
 * past origin, h = 1..horizon (the `horizonErrorSd` hint, which keeps the correlation of errors over h periods).
 * `winsor` > 0 clips a period at winsor × level (at least 1) in the level update only, so one huge wholesale order
 * does not lift the level for weeks; 0 (the default) leaves the history as it is.
 */
import type { Forecaster } from './compare.ts';
import type { ItemForecast } from './types.ts';

export function sesForecaster(alpha = 0.1, burnIn = 28, winsor = 0): Forecaster {
  return (history: Float64Array, horizon: number): ItemForecast => {
    const n = history.length;
    const burn = Math.min(burnIn, n);
    let level = 0;
    for (let i = 0; i < burn; i++) level += history[i];
    level = burn > 0 ? level / burn : 0;
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + history[i];
    const sq = new Float64Array(horizon);
    const cnt = new Float64Array(horizon);
    for (let t = burn; t < n; t++) {
      const maxH = Math.min(horizon, n - t);
      for (let h = 1; h <= maxH; h++) {
        const e = prefix[t + h] - prefix[t] - h * level;
        sq[h - 1] += e * e;
        cnt[h - 1] += 1;
      }
      const x = winsor > 0 ? Math.min(history[t], Math.max(winsor * level, 1)) : history[t];
      level += alpha * (x - level);
    }
    const sd = new Float64Array(horizon);
    let last = 0;
    for (let h = 0; h < horizon; h++) {
      sd[h] = cnt[h] > 0 ? Math.sqrt(sq[h] / cnt[h]) : last * Math.sqrt((h + 1) / Math.max(h, 1));
      last = sd[h];
    }
    return { mean: new Float64Array(horizon).fill(level), dispersion: { horizonErrorSd: sd } };
  };
}
