/**
 * Small Nelder-Mead minimiser for the few (≤ 4) smoothing parameters of ETS, the same approach
 * statsforecast and R's forecast::ets use (they also optimise the initial states; we set those by a
 * decomposition heuristic, which keeps the search 1-4 dimensional and fast).
 */
export interface NelderMeadResult {
  x: Float64Array;
  f: number;
  evals: number;
}

export function nelderMead(
  fn: (x: Float64Array) => number,
  x0: Float64Array,
  opts: { step?: number; maxEvals?: number; tol?: number } = {},
): NelderMeadResult {
  const d = x0.length;
  const step = opts.step ?? 0.75;
  const maxEvals = opts.maxEvals ?? 60 + 40 * d;
  const tol = opts.tol ?? 1e-4;
  const pts: Float64Array[] = [];
  const fs = new Float64Array(d + 1);
  let evals = 0;
  const f = (x: Float64Array): number => {
    evals++;
    const v = fn(x);
    return v === v ? v : Infinity;
  };
  for (let i = 0; i <= d; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] += step;
    pts.push(p);
    fs[i] = f(p);
  }
  const centroid = new Float64Array(d);
  const xr = new Float64Array(d);
  const xe = new Float64Array(d);
  const xc = new Float64Array(d);
  const order = new Int32Array(d + 1);
  while (evals < maxEvals) {
    for (let i = 0; i <= d; i++) order[i] = i;
    order.sort((a, b) => fs[a] - fs[b]);
    const best = order[0];
    const worst = order[d];
    const second = order[d - 1];
    if (Math.abs(fs[worst] - fs[best]) <= tol * (Math.abs(fs[best]) + tol)) break;
    centroid.fill(0);
    for (let i = 0; i <= d; i++) {
      if (i === worst) continue;
      for (let k = 0; k < d; k++) centroid[k] += pts[i][k] / d;
    }
    for (let k = 0; k < d; k++) xr[k] = centroid[k] + (centroid[k] - pts[worst][k]);
    const fr = f(xr);
    if (fr < fs[best]) {
      for (let k = 0; k < d; k++) xe[k] = centroid[k] + 2 * (centroid[k] - pts[worst][k]);
      const fe = f(xe);
      if (fe < fr) {
        pts[worst].set(xe);
        fs[worst] = fe;
      } else {
        pts[worst].set(xr);
        fs[worst] = fr;
      }
    } else if (fr < fs[second]) {
      pts[worst].set(xr);
      fs[worst] = fr;
    } else {
      const outside = fr < fs[worst];
      for (let k = 0; k < d; k++)
        xc[k] = outside
          ? centroid[k] + 0.5 * (xr[k] - centroid[k])
          : centroid[k] + 0.5 * (pts[worst][k] - centroid[k]);
      const fc = f(xc);
      if (fc < (outside ? fr : fs[worst])) {
        pts[worst].set(xc);
        fs[worst] = fc;
      } else {
        for (let i = 0; i <= d; i++) {
          if (i === best) continue;
          for (let k = 0; k < d; k++) pts[i][k] = pts[best][k] + 0.5 * (pts[i][k] - pts[best][k]);
          fs[i] = f(pts[i]);
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= d; i++) if (fs[i] < fs[bi]) bi = i;
  return { x: pts[bi], f: fs[bi], evals };
}

export const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));
export const logit = (p: number): number => Math.log(p / (1 - p));
