import { fromEpochDay, weekStart } from './dates.ts';

/**
 * Forecast vs actual: stored forecasts compared with what sold. For each item and day of the window the
 * forecast used is the one made last before that day (the latest start day ≤ the day whose horizon covers it),
 * so each day is scored against what the store knew the evening before at best, and a week or more before when
 * runs are weekly. Days no stored forecast covers are left out (and counted).
 * Point forecast = the mean (MAE, bias, wMAPE); coverage = share of days whose actual ≤ P80 (80 % is calibrated).
 */

export interface StoredForecast {
  /** Item key, e.g. `${productId}:${locationId}`. */
  key: string;
  /** Epoch day of the first forecast day (the day after as_of). */
  startDay: number;
  /** Tie-break between forecasts with the same start day: the higher (the later run) wins. */
  order: number;
  mean: ArrayLike<number>;
  p50: ArrayLike<number>;
  p80: ArrayLike<number>;
}

export interface ActualSales {
  key: string;
  day: number;
  qty: number;
}

export interface ItemAccuracy {
  key: string;
  /** Days scored (covered by a forecast). */
  days: number;
  actual: number;
  forecast: number;
  p50: number;
  absError: number;
  mae: number;
  /** (Σ forecast − Σ actual) ÷ days: positive = over-forecast, units per day. */
  bias: number;
  /** Σ|actual − forecast| ÷ Σ actual (null when nothing sold). */
  wmape: number | null;
  /** Share of days with actual ≤ P80. */
  coverage80: number;
}

export interface WeekAccuracy {
  weekStart: string;
  days: number;
  actual: number;
  forecast: number;
  p50: number;
  /** Σ of the items' P80s (an upper band: the P80 of a sum is lower than the sum of the P80s). */
  p80: number;
  absError: number;
}

export interface ForecastAccuracy {
  weeks: WeekAccuracy[];
  /** Worst first: by Σ|actual − forecast| (their share of the total error). */
  items: ItemAccuracy[];
  totals: { items: number; days: number; actual: number; forecast: number; mae: number | null; bias: number | null; wmape: number | null; coverage80: number | null };
  /** Item-days in the window with sales but no covering forecast (not scored). */
  unscoredSalesDays: number;
}

export function forecastVsActual(forecasts: StoredForecast[], actuals: ActualSales[], from: number, to: number): ForecastAccuracy {
  const n = Math.max(0, to - from + 1);
  // Per item: the forecast in force each day (later starts overwrite earlier ones where they cover the day).
  const byKey = new Map<string, StoredForecast[]>();
  for (const f of forecasts) {
    if (f.startDay > to || f.startDay + f.mean.length <= from) continue;
    const a = byKey.get(f.key);
    if (a) a.push(f);
    else byKey.set(f.key, [f]);
  }
  const sold = new Map<string, Float64Array>();
  let unscored = 0;
  for (const a of actuals) {
    if (a.day < from || a.day > to) continue;
    let s = sold.get(a.key);
    if (!s) {
      if (!byKey.has(a.key)) {
        if (a.qty !== 0) unscored++;
        continue;
      }
      sold.set(a.key, (s = new Float64Array(n)));
    }
    s[a.day - from] += a.qty;
  }
  const firstWeek = weekStart(from);
  const nw = n ? Math.floor((weekStart(to) - firstWeek) / 7) + 1 : 0;
  const wk = Array.from({ length: nw }, () => new Float64Array(6)); // days, actual, forecast, p50, p80, absError
  const items: ItemAccuracy[] = [];
  const mean = new Float64Array(n);
  const p50 = new Float64Array(n);
  const p80 = new Float64Array(n);
  const has = new Uint8Array(n);
  const zero = new Float64Array(n);
  for (const [key, fs] of byKey) {
    has.fill(0);
    fs.sort((a, b) => a.startDay - b.startDay || a.order - b.order);
    for (const f of fs)
      for (let i = 0; i < f.mean.length; i++) {
        const t = f.startDay + i - from;
        if (t < 0 || t >= n) continue;
        mean[t] = f.mean[i];
        p50[t] = f.p50[i];
        p80[t] = f.p80[i];
        has[t] = 1;
      }
    const act = sold.get(key) ?? zero;
    let days = 0, a = 0, fc = 0, q50 = 0, abs = 0, cov = 0;
    for (let t = 0; t < n; t++) {
      if (!has[t]) {
        if (act[t] !== 0) unscored++;
        continue;
      }
      const e = Math.abs(act[t] - mean[t]);
      days++;
      a += act[t];
      fc += mean[t];
      q50 += p50[t];
      abs += e;
      if (act[t] <= p80[t] + 1e-9) cov++;
      const w = wk[Math.floor((weekStart(from + t) - firstWeek) / 7)];
      w[0]++;
      w[1] += act[t];
      w[2] += mean[t];
      w[3] += p50[t];
      w[4] += p80[t];
      w[5] += e;
    }
    if (days) items.push({ key, days, actual: a, forecast: fc, p50: q50, absError: abs, mae: abs / days, bias: (fc - a) / days, wmape: a > 0 ? abs / a : null, coverage80: cov / days });
  }
  items.sort((x, y) => y.absError - x.absError || (x.key < y.key ? -1 : 1));
  let days = 0, a = 0, fc = 0, abs = 0, cov = 0;
  for (const it of items) {
    days += it.days;
    a += it.actual;
    fc += it.forecast;
    abs += it.absError;
    cov += it.coverage80 * it.days;
  }
  return {
    weeks: wk.map((w, i) => ({ weekStart: fromEpochDay(firstWeek + 7 * i), days: w[0], actual: w[1], forecast: w[2], p50: w[3], p80: w[4], absError: w[5] })),
    items,
    totals: { items: items.length, days, actual: a, forecast: fc, mae: days ? abs / days : null, bias: days ? (fc - a) / days : null, wmape: a > 0 ? abs / a : null, coverage80: days ? cov / days : null },
    unscoredSalesDays: unscored,
  };
}
