/**
 * Histogram gradient-boosted regression trees over typed arrays (squared loss), in the style of
 * LightGBM / XGBoost's `hist` method: features are bucketed into ≤ 64 quantile bins once, each tree
 * grows depth-wise from per-node gradient histograms (the larger child by subtraction from its parent),
 * leaves are shrunk by `learningRate` and L2-regularised by `lambda`. Linear in rows per tree.
 */
export interface GbmOptions {
  trees?: number;
  depth?: number;
  learningRate?: number;
  minLeaf?: number;
  lambda?: number;
  bins?: number;
}

export interface GbmModel {
  base: number;
  nFeat: number;
  /** Per tree, nodes in arrays: feature (-1 = leaf), threshold (go left when x ≤ threshold), children, value. */
  trees: { feat: Int32Array; thr: Float64Array; left: Int32Array; right: Int32Array; value: Float64Array }[];
}

/** X is row-major: X[i * nFeat + f]. NaN features go left (they are binned into bin 0). */
export function trainGbm(X: Float64Array, y: Float64Array, nFeat: number, opts: GbmOptions = {}): GbmModel {
  const n = y.length;
  const T = opts.trees ?? 80;
  const depth = opts.depth ?? 6;
  const lr = opts.learningRate ?? 0.1;
  const minLeaf = opts.minLeaf ?? 40;
  const lambda = opts.lambda ?? 1;
  const B = Math.min(255, opts.bins ?? 64);
  // Quantile bin edges from a sample of each feature.
  const edges: Float64Array[] = [];
  const binned = new Uint8Array(n * nFeat); // column-major for histogram loops
  const step = Math.max(1, Math.floor(n / 20000));
  for (let f = 0; f < nFeat; f++) {
    const sample: number[] = [];
    for (let i = 0; i < n; i += step) {
      const v = X[i * nFeat + f];
      if (v === v) sample.push(v);
    }
    sample.sort((a, b) => a - b);
    const e: number[] = [];
    for (let b = 1; b < B; b++) {
      const v = sample[Math.floor((b * sample.length) / B)];
      if (v !== undefined && (e.length === 0 || v > e[e.length - 1])) e.push(v);
    }
    edges.push(Float64Array.from(e));
    const ef = edges[f];
    const col = f * n;
    for (let i = 0; i < n; i++) {
      const v = X[i * nFeat + f];
      if (v !== v) continue;
      let lo = 0;
      let hi = ef.length; // first edge ≥ v → bin index
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ef[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      binned[col + i] = lo;
    }
  }
  let base = 0;
  for (let i = 0; i < n; i++) base += y[i];
  base /= n || 1;
  const pred = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const idx = new Int32Array(n);
  const trees: GbmModel['trees'] = [];
  const maxNodes = (1 << (depth + 1)) - 1;
  const histG = new Float64Array(nFeat * B * maxNodes);
  const histC = new Float64Array(nFeat * B * maxNodes);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      grad[i] = y[i] - pred[i]; // negative gradient of ½(y − p)²
      idx[i] = i;
    }
    const feat = new Int32Array(maxNodes).fill(-1);
    const thr = new Float64Array(maxNodes);
    const left = new Int32Array(maxNodes).fill(-1);
    const right = new Int32Array(maxNodes).fill(-1);
    const value = new Float64Array(maxNodes);
    const start = new Int32Array(maxNodes);
    const end = new Int32Array(maxNodes);
    const G = new Float64Array(maxNodes);
    start[0] = 0;
    end[0] = n;
    for (let i = 0; i < n; i++) G[0] += grad[i];
    let nodes = 1;
    const buildHist = (node: number): void => {
      const off = node * nFeat * B;
      histG.fill(0, off, off + nFeat * B);
      histC.fill(0, off, off + nFeat * B);
      for (let f = 0; f < nFeat; f++) {
        const col = f * n;
        const ho = off + f * B;
        for (let k = start[node]; k < end[node]; k++) {
          const i = idx[k];
          const b = binned[col + i];
          histG[ho + b] += grad[i];
          histC[ho + b]++;
        }
      }
    };
    buildHist(0);
    let level = [0];
    for (let d = 0; d < depth && level.length; d++) {
      const next: number[] = [];
      for (const node of level) {
        const cnt = end[node] - start[node];
        if (cnt < 2 * minLeaf) continue;
        const off = node * nFeat * B;
        const gTot = G[node];
        const parentScore = (gTot * gTot) / (cnt + lambda);
        let bestGain = 1e-9;
        let bf = -1;
        let bb = 0;
        for (let f = 0; f < nFeat; f++) {
          const ho = off + f * B;
          let gl = 0;
          let cl = 0;
          const nb = edges[f].length; // bins 0..nb
          for (let b = 0; b < nb; b++) {
            gl += histG[ho + b];
            cl += histC[ho + b];
            if (cl < minLeaf) continue;
            const cr = cnt - cl;
            if (cr < minLeaf) break;
            const gr = gTot - gl;
            const gain = (gl * gl) / (cl + lambda) + (gr * gr) / (cr + lambda) - parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bf = f;
              bb = b;
            }
          }
        }
        if (bf < 0 || nodes + 2 > maxNodes) continue;
        // Partition idx[start..end) by bin ≤ bb.
        const col = bf * n;
        let lo = start[node];
        let hi = end[node] - 1;
        while (lo <= hi) {
          if (binned[col + idx[lo]] <= bb) lo++;
          else {
            const tmp = idx[lo];
            idx[lo] = idx[hi];
            idx[hi] = tmp;
            hi--;
          }
        }
        const l = nodes++;
        const r = nodes++;
        feat[node] = bf;
        thr[node] = edges[bf][bb];
        left[node] = l;
        right[node] = r;
        start[l] = start[node];
        end[l] = lo;
        start[r] = lo;
        end[r] = end[node];
        let gl = 0;
        for (let k = start[l]; k < end[l]; k++) gl += grad[idx[k]];
        G[l] = gl;
        G[r] = gTot - gl;
        // Histogram of the smaller child; the other one by subtraction from the parent.
        const small = end[l] - start[l] <= end[r] - start[r] ? l : r;
        const big = small === l ? r : l;
        buildHist(small);
        const so = small * nFeat * B;
        const bo = big * nFeat * B;
        for (let k = 0; k < nFeat * B; k++) {
          histG[bo + k] = histG[off + k] - histG[so + k];
          histC[bo + k] = histC[off + k] - histC[so + k];
        }
        next.push(l, r);
      }
      level = next;
    }
    for (let node = 0; node < nodes; node++) {
      if (feat[node] !== -1) continue;
      const cnt = end[node] - start[node];
      const v = (lr * G[node]) / (cnt + lambda);
      value[node] = v;
      for (let k = start[node]; k < end[node]; k++) pred[idx[k]] += v;
    }
    trees.push({ feat: feat.slice(0, nodes), thr: thr.slice(0, nodes), left: left.slice(0, nodes), right: right.slice(0, nodes), value: value.slice(0, nodes) });
  }
  return { base, nFeat, trees };
}

/** Predict one row (x[offset .. offset + nFeat)). */
export function predictGbm(model: GbmModel, x: Float64Array, offset = 0): number {
  let s = model.base;
  for (const tr of model.trees) {
    let node = 0;
    while (tr.feat[node] !== -1) {
      const v = x[offset + tr.feat[node]];
      node = !(v > tr.thr[node]) ? tr.left[node] : tr.right[node];
    }
    s += tr.value[node];
  }
  return s;
}
