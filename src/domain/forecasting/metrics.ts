/** Accuracy metrics over typed arrays. NaN actuals (missing / out of stock) are skipped everywhere. */

/** Mean squared (lag) difference of the in-sample series: the RMSSE / MASE scale. lag 1 = naive. */
export function naiveScale(y: Float64Array, lag = 1, squared = true): number {
  let s = 0;
  let c = 0;
  for (let t = lag; t < y.length; t++) {
    const d = y[t] - y[t - lag];
    if (d === d) {
      s += squared ? d * d : Math.abs(d);
      c++;
    }
  }
  return c === 0 ? NaN : s / c;
}

export interface ErrorSums {
  n: number;
  sae: number;
  sse: number;
  se: number;
  sumActual: number;
  sumAbsActual: number;
}

export function errorSums(actual: Float64Array, forecast: Float64Array): ErrorSums {
  const r: ErrorSums = { n: 0, sae: 0, sse: 0, se: 0, sumActual: 0, sumAbsActual: 0 };
  const len = Math.min(actual.length, forecast.length);
  for (let i = 0; i < len; i++) {
    const a = actual[i];
    if (a !== a) continue;
    const e = forecast[i] - a;
    r.n++;
    r.sae += Math.abs(e);
    r.sse += e * e;
    r.se += e;
    r.sumActual += a;
    r.sumAbsActual += Math.abs(a);
  }
  return r;
}

export function mae(actual: Float64Array, forecast: Float64Array): number {
  const s = errorSums(actual, forecast);
  return s.n ? s.sae / s.n : NaN;
}

export function rmse(actual: Float64Array, forecast: Float64Array): number {
  const s = errorSums(actual, forecast);
  return s.n ? Math.sqrt(s.sse / s.n) : NaN;
}

/** MASE: MAE over the in-sample mean absolute naive (lag) difference. Misleads on intermittent series. */
export function mase(actual: Float64Array, forecast: Float64Array, insample: Float64Array, lag = 1): number {
  const scale = naiveScale(insample, lag, false);
  return scale > 0 ? mae(actual, forecast) / scale : NaN;
}

/** RMSSE (M5): sqrt(MSE / mean squared in-sample naive difference). NaN when that scale is 0. */
export function rmsse(actual: Float64Array, forecast: Float64Array, insample: Float64Array): number {
  const scale = naiveScale(insample, 1, true);
  const s = errorSums(actual, forecast);
  return scale > 0 && s.n ? Math.sqrt(s.sse / s.n / scale) : NaN;
}

/** WAPE = Σ|error| / Σ|actual|. */
export function wape(actual: Float64Array, forecast: Float64Array): number {
  const s = errorSums(actual, forecast);
  return s.sumAbsActual > 0 ? s.sae / s.sumAbsActual : NaN;
}

/** Mean pinball (quantile) loss of quantile level q. */
export function pinball(actual: Float64Array, quantile: Float64Array, q: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    if (a !== a) continue;
    const d = a - quantile[i];
    s += d >= 0 ? q * d : (q - 1) * d;
    c++;
  }
  return c ? s / c : NaN;
}

/** Share of actuals at or below the given quantile forecast (calibrated ≈ its level). */
export function coverage(actual: Float64Array, quantile: Float64Array): number {
  let inside = 0;
  let c = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    if (a !== a) continue;
    if (a <= quantile[i] + 1e-9) inside++;
    c++;
  }
  return c ? inside / c : NaN;
}

/** Quantile key used in results: 0.8 → 'p80', 0.975 → 'p97.5'. */
export function quantileKey(q: number): string {
  return 'p' + String(Math.round(q * 1000) / 10);
}
