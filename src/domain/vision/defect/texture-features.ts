/**
 * Hand-crafted texture features for stain / defect detection on fabric photos (pure).
 *
 * Idea: a stain is a low-frequency blob that departs from an otherwise stationary texture. So the
 * features measure, at several scales, how far the most extreme local region departs from the image's
 * own texture statistics (robust z-scores: median / MAD, so the stain itself barely moves the
 * reference), plus global grey-level statistics and LBP (local binary pattern) histograms for the
 * fabric's texture, and block-wise LBP divergence for local texture anomalies.
 * Input: a grey image (0..255 floats), any size; it is area-downscaled to `workWidth` first.
 */

export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

export const DEFAULT_WORK_WIDTH = 192;

export function downscaleGray(img: GrayImage, maxWidth: number): GrayImage {
  if (img.width <= maxWidth) return img;
  const f = img.width / maxWidth;
  const w = maxWidth;
  const h = Math.max(1, Math.round(img.height / f));
  const out = new Float32Array(w * h);
  const fy = img.height / h;
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * fy), y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * f), x1 = Math.max(x0 + 1, Math.floor((x + 1) * f));
      let s = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += img.data[yy * img.width + xx];
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return { width: w, height: h, data: out };
}

function quantiles(xs: Float32Array | number[], qs: number[]): number[] {
  const s = Float32Array.from(xs).sort();
  return qs.map((q) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]);
}

function robust(xs: Float32Array | number[]): { med: number; sd: number } {
  const [med] = quantiles(xs, [0.5]);
  const dev = Float32Array.from(xs, (v) => Math.abs(v - med));
  const [mad] = quantiles(dev, [0.5]);
  return { med, sd: Math.max(1e-6, 1.4826 * mad) };
}

/** Box mean with radius r (window (2r+1)², clamped at the borders) via an integral image. */
export function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const ii = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += src[y * w + x];
      ii[(y + 1) * (w + 1) + x + 1] = ii[y * (w + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
      const s = ii[y1 * (w + 1) + x1] - ii[y0 * (w + 1) + x1] - ii[y1 * (w + 1) + x0] + ii[y0 * (w + 1) + x0];
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** Uniform LBP codes (8 neighbours at `radius`): 0..8 = number of set bits for uniform patterns, 9 = other. */
function lbpCodes(z: Float32Array, w: number, h: number, radius: number): Uint8Array {
  const codes = new Uint8Array(w * h).fill(255);
  const dx = [1, 1, 0, -1, -1, -1, 0, 1].map((v) => v * radius);
  const dy = [0, 1, 1, 1, 0, -1, -1, -1].map((v) => v * radius);
  for (let y = radius; y < h - radius; y++) {
    for (let x = radius; x < w - radius; x++) {
      const c = z[y * w + x];
      let bits = 0, ones = 0, trans = 0, prev = -1, first = -1;
      for (let k = 0; k < 8; k++) {
        const b = z[(y + dy[k]) * w + x + dx[k]] >= c ? 1 : 0;
        bits |= b << k;
        ones += b;
        if (prev >= 0 && b !== prev) trans++;
        if (first < 0) first = b;
        prev = b;
      }
      if (prev !== first) trans++;
      codes[y * w + x] = trans <= 2 ? ones : 9;
      void bits;
    }
  }
  return codes;
}

function lbpHistogram(codes: Uint8Array, w: number, x0: number, y0: number, x1: number, y1: number): number[] {
  const hst = new Array<number>(10).fill(0);
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const c = codes[y * w + x];
    if (c === 255) continue;
    hst[c]++;
    n++;
  }
  return hst.map((v) => v / Math.max(1, n));
}

function chiSquare(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2 / (a[i] + b[i] + 1e-9);
  return s;
}

const slog = (v: number) => Math.sign(v) * Math.log1p(Math.abs(v));

export const TEXTURE_FEATURE_NAMES: string[] = [];

/** Feature vector (fixed length, see TEXTURE_FEATURE_NAMES). */
export function extractTextureFeatures(input: GrayImage, workWidth = DEFAULT_WORK_WIDTH): Float64Array {
  const img = downscaleGray(input, workWidth);
  const { width: w, height: h, data } = img;
  const feats: number[] = [];
  const names: string[] = [];
  const push = (name: string, v: number) => { names.push(name); feats.push(Number.isFinite(v) ? v : 0); };

  // Global grey-level statistics.
  let mean = 0;
  for (const v of data) mean += v / data.length;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const v of data) { const d = v - mean; m2 += d * d; m3 += d * d * d; m4 += d * d * d * d; }
  m2 /= data.length; m3 /= data.length; m4 /= data.length;
  const sd = Math.sqrt(m2) || 1;
  const rb = robust(data);
  const z = Float32Array.from(data, (v) => (v - rb.med) / rb.sd);
  push('cv', sd / Math.max(1, mean));
  push('skew', m3 / sd ** 3);
  push('kurt', slog(m4 / sd ** 4 - 3));
  push('sd_over_robust', sd / rb.sd);
  const zq = quantiles(z, [0.001, 0.01, 0.99, 0.999]);
  zq.forEach((q, i) => push(`zq${i}`, slog(q)));

  // Band-pass local means at several scales against a wide background, robustly normalised.
  const background = boxBlur(z, w, h, 24);
  for (const r of [1, 3, 6, 12]) {
    const m = boxBlur(z, w, h, r);
    const band = Float32Array.from(m, (v, i) => v - background[i]);
    const br = robust(band);
    let mn = Infinity, mx = -Infinity, below = 0, above = 0;
    for (const v of band) {
      const t = (v - br.med) / br.sd;
      if (t < mn) mn = t;
      if (t > mx) mx = t;
      if (t < -4) below++;
      if (t > 4) above++;
    }
    const [q1, q999] = quantiles(band, [0.001, 0.999]).map((v) => (v - br.med) / br.sd);
    push(`band${r}_min`, slog(mn));
    push(`band${r}_max`, slog(mx));
    push(`band${r}_q001`, slog(q1));
    push(`band${r}_q999`, slog(q999));
    push(`band${r}_below4`, Math.log10(1e-4 + below / band.length));
    push(`band${r}_above4`, Math.log10(1e-4 + above / band.length));
    push(`band${r}_energy`, Math.log(br.sd));
  }

  // Local contrast (std in a 9×9 window) relative to its median: smooth or busy patches.
  const m4b = boxBlur(z, w, h, 4);
  const sq = boxBlur(Float32Array.from(z, (v) => v * v), w, h, 4);
  const lstd = Float32Array.from(sq, (v, i) => Math.sqrt(Math.max(0, v - m4b[i] * m4b[i])));
  const [lq01, lq50, lq99] = quantiles(lstd, [0.01, 0.5, 0.99]);
  push('lstd_q01_rel', lq01 / Math.max(1e-6, lq50));
  push('lstd_q99_rel', lq99 / Math.max(1e-6, lq50));

  // Blocks (16 px): how far the most extreme block's mean / std is from the other blocks.
  const B = 16;
  const bm: number[] = [], bs: number[] = [];
  for (let by = 0; by + B <= h; by += B) for (let bx = 0; bx + B <= w; bx += B) {
    let s = 0, s2 = 0;
    for (let y = by; y < by + B; y++) for (let x = bx; x < bx + B; x++) { const v = z[y * w + x]; s += v; s2 += v * v; }
    const mu = s / (B * B);
    bm.push(mu);
    bs.push(Math.sqrt(Math.max(0, s2 / (B * B) - mu * mu)));
  }
  const rbm = robust(bm), rbs = robust(bs);
  push('block_mean_min', slog((Math.min(...bm) - rbm.med) / rbm.sd));
  push('block_mean_max', slog((Math.max(...bm) - rbm.med) / rbm.sd));
  push('block_std_min', slog((Math.min(...bs) - rbs.med) / rbs.sd));
  push('block_std_max', slog((Math.max(...bs) - rbs.med) / rbs.sd));

  // Gradient magnitude: global level and the most extreme block.
  const g = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
    const gx = z[y * w + x + 1] - z[y * w + x - 1];
    const gy = z[(y + 1) * w + x] - z[(y - 1) * w + x];
    g[y * w + x] = Math.hypot(gx, gy);
  }
  const gb = boxBlur(g, w, h, 8);
  const rg = robust(gb);
  push('grad_level', Math.log(1e-3 + rg.med));
  push('grad_block_min', slog((quantiles(gb, [0.001])[0] - rg.med) / rg.sd));
  push('grad_block_max', slog((quantiles(gb, [0.999])[0] - rg.med) / rg.sd));

  // LBP: global histograms at radius 1 and 2, and block-wise divergence from the global one.
  for (const radius of [1, 2]) {
    const codes = lbpCodes(z, w, h, radius);
    const global = lbpHistogram(codes, w, 0, 0, w, h);
    global.forEach((v, i) => push(`lbp${radius}_${i}`, v));
    const chis: number[] = [];
    const G = 32;
    for (let by = 0; by + G <= h; by += G) for (let bx = 0; bx + G <= w; bx += G) chis.push(chiSquare(lbpHistogram(codes, w, bx, by, bx + G, by + G), global));
    const rc = robust(chis);
    push(`lbp${radius}_block_chi_max`, slog((Math.max(...chis) - rc.med) / rc.sd));
    push(`lbp${radius}_block_chi_med`, Math.log(1e-6 + rc.med));
  }
  if (TEXTURE_FEATURE_NAMES.length === 0) TEXTURE_FEATURE_NAMES.push(...names);
  return Float64Array.from(feats);
}
