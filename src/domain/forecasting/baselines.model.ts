/** Baselines: naive, seasonal naive, moving average. NaN (missing / out of stock) values are skipped. */

export function naiveForecast(y: Float64Array, h: number): Float64Array {
  let last = 0;
  for (let t = y.length - 1; t >= 0; t--) {
    if (y[t] === y[t]) {
      last = y[t];
      break;
    }
  }
  return new Float64Array(h).fill(last);
}

/** Seasonal naive: the value one season back (or further back when that one is missing). */
export function seasonalNaiveForecast(y: Float64Array, h: number, m: number): Float64Array {
  const n = y.length;
  if (m <= 1 || n < m) return naiveForecast(y, h);
  const out = new Float64Array(h);
  const fallback = naiveForecast(y, 1)[0];
  for (let i = 0; i < h; i++) {
    let t = n + i - m * Math.ceil((i + 1) / m);
    let v = NaN;
    while (t >= 0) {
      if (y[t] === y[t]) {
        v = y[t];
        break;
      }
      t -= m;
    }
    out[i] = v === v ? v : fallback;
  }
  return out;
}

/** Mean of the last `window` observed values. */
export function movingAverageForecast(y: Float64Array, h: number, window: number): Float64Array {
  let s = 0;
  let c = 0;
  for (let t = y.length - 1; t >= 0 && c < window; t--) {
    const v = y[t];
    if (v === v) {
      s += v;
      c++;
    }
  }
  return new Float64Array(h).fill(c ? s / c : 0);
}

/**
 * Level-adjusted seasonal naive: last season's value plus the change in level between the last
 * `window` periods and the same periods one season earlier (keeps the seasonal shape, follows growth).
 */
export function seasonalNaiveLevelForecast(y: Float64Array, h: number, m: number, window: number): Float64Array {
  const out = seasonalNaiveForecast(y, h, m);
  const n = y.length;
  if (m <= 1 || n < m + window) return out;
  let a = 0;
  let ca = 0;
  let b = 0;
  let cb = 0;
  for (let t = n - window; t < n; t++) {
    const u = y[t];
    const v = y[t - m];
    if (u === u && v === v) {
      a += u;
      ca++;
      b += v;
      cb++;
    }
  }
  if (ca === 0) return out;
  const shift = a / ca - b / cb;
  for (let i = 0; i < h; i++) out[i] += shift;
  return out;
}
