/**
 * Where on the photo the defect most likely is (pure): the most extreme band-pass blob, as the texture features
 * see it (local mean at radius 6 minus a radius-24 background, robust z-scores on a 192-px-wide copy), grown to
 * the connected pixels at least half as extreme. Returned in relative coordinates (0..1), or null when nothing
 * stands out (peak below minScore): a clean fabric has no region.
 */
import { boxBlur, downscaleGray, type GrayImage } from '../vision/defect/texture-features.ts';

export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Peak |robust z| of the blob. */
  score: number;
}

function medianOf(xs: Float32Array): number {
  const s = Float32Array.from(xs).sort();
  return s[s.length >> 1];
}

export function findDefectRegion(input: GrayImage, opts: { workWidth?: number; minScore?: number } = {}): Region | null {
  const img = downscaleGray(input, opts.workWidth ?? 192);
  const { width: w, height: h, data } = img;
  const med = medianOf(data);
  const mad = 1.4826 * medianOf(Float32Array.from(data, (v) => Math.abs(v - med))) || 1;
  const z = Float32Array.from(data, (v) => (v - med) / mad);
  const bg = boxBlur(z, w, h, 24);
  const m = boxBlur(z, w, h, 6);
  const band = Float32Array.from(m, (v, i) => v - bg[i]);
  const bmed = medianOf(band);
  const bsd = 1.4826 * medianOf(Float32Array.from(band, (v) => Math.abs(v - bmed))) || 1e-6;
  // Ignore a 6-px margin: the blur's clamped borders make edges look extreme.
  const margin = 6;
  let peak = -1, at = -1;
  for (let y = margin; y < h - margin; y++)
    for (let x = margin; x < w - margin; x++) {
      const t = Math.abs((band[y * w + x] - bmed) / bsd);
      if (t > peak) { peak = t; at = y * w + x; }
    }
  if (at < 0 || peak < (opts.minScore ?? 4)) return null;
  const sign = Math.sign(band[at] - bmed);
  const cut = Math.max(3, peak / 2);
  const seen = new Uint8Array(w * h);
  const stack = [at];
  seen[at] = 1;
  let x0 = w, y0 = h, x1 = 0, y1 = 0;
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % w, y = (i - x) / w;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const nx = x + dx, ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const j = ny * w + nx;
      if (seen[j]) continue;
      if (sign * ((band[j] - bmed) / bsd) >= cut) { seen[j] = 1; stack.push(j); }
    }
  }
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { x: r(x0 / w), y: r(y0 / h), w: r((x1 - x0 + 1) / w), h: r((y1 - y0 + 1) / h), score: Math.round(peak * 10) / 10 };
}
