/** Deterministic random numbers for the forecasting tests. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

export function poisson(r: () => number, mean: number): number {
  const L = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > L);
  return k - 1;
}

/** Negative binomial draw with the given mean and variance-to-mean ratio (gamma-Poisson mixture). */
export function negbin(r: () => number, mean: number, ratio: number): number {
  if (ratio <= 1) return poisson(r, mean);
  const shape = mean / (ratio - 1);
  return poisson(r, gammaDraw(r, shape) * (ratio - 1));
}

function gammaDraw(r: () => number, shape: number): number {
  if (shape < 1) return gammaDraw(r, shape + 1) * Math.pow(r(), 1 / shape);
  const g = gaussian(r);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = g();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
