/**
 * In-memory image decoding for camera frames and uploaded photos.
 *
 * PRIVACY: everything here works on Buffers/typed arrays only. Nothing is written to disk or logged;
 * the decoded pixels become garbage as soon as the caller drops the returned object.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError } from '../errors.ts';

/** Packed 8-bit RGB, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Upper bound on decoded size: a camera frame or a phone photo, not a poster. */
const MAX_MEGAPIXELS = 24;

export function isJpeg(buf: Uint8Array): boolean {
  return buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

export function isPng(buf: Uint8Array): boolean {
  return buf.length > 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47;
}

function rgbaToRgb(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    out[o] = rgba[j];
    out[o + 1] = rgba[j + 1];
    out[o + 2] = rgba[j + 2];
  }
  return out;
}

/** Decode JPEG or PNG bytes to RGB. Throws AppError('invalid') for anything else or a corrupt file. */
export function decodeImage(buf: Uint8Array): RgbImage {
  try {
    if (isJpeg(buf)) {
      const img = jpeg.decode(buf, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_MEGAPIXELS,
        maxMemoryUsageInMB: 512,
      });
      return { width: img.width, height: img.height, data: img.data };
    }
    if (isPng(buf)) {
      const png = PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
      if (png.width * png.height > MAX_MEGAPIXELS * 1e6) throw new Error('image too large');
      return { width: png.width, height: png.height, data: rgbaToRgb(png.data, png.width, png.height) };
    }
  } catch (err) {
    throw new AppError('invalid', `cannot decode image: ${(err as Error).message}`, 'image');
  }
  throw new AppError('invalid', 'image must be JPEG or PNG', 'image');
}

/**
 * Add a constant border of `fraction` × the longer side on every side. Tight face crops (UTKFace's
 * 200×200 chips) are mostly missed by the detectors without context around the face (FINDINGS: SSD
 * 52 % bare vs 82 % with a 30 % border).
 */
export function padImage(img: RgbImage, fraction: number, fill = 0): { image: RgbImage; offset: number } {
  const pad = Math.round(Math.max(img.width, img.height) * fraction);
  if (pad <= 0) return { image: img, offset: 0 };
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const data = new Uint8Array(w * h * 3).fill(fill);
  for (let y = 0; y < img.height; y++) {
    data.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y + pad) * w + pad) * 3);
  }
  return { image: { width: w, height: h, data }, offset: pad };
}

/**
 * Area-average downscale so the longer side is at most `maxSide` (no-op when already smaller).
 * Returns the scale factor applied (new = old × scale).
 */
export function downscale(img: RgbImage, maxSide: number): { image: RgbImage; scale: number } {
  const longer = Math.max(img.width, img.height);
  if (longer <= maxSide) return { image: img, scale: 1 };
  const scale = maxSide / longer;
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const out = new Uint8Array(w * h * 3);
  const fx = img.width / w;
  const fy = img.height / h;
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      let r = 0, g = 0, b = 0;
      for (let yy = y0; yy < y1; yy++) {
        let p = (yy * img.width + x0) * 3;
        for (let xx = x0; xx < x1; xx++, p += 3) {
          r += img.data[p];
          g += img.data[p + 1];
          b += img.data[p + 2];
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * w + x) * 3;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
    }
  }
  return { image: { width: w, height: h, data: out }, scale: (w / img.width + h / img.height) / 2 };
}

/** Luminance (BT.601) of an RGB image as 0..255 floats — used by the defect features. */
export function toGray(img: RgbImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    out[i] = 0.299 * img.data[p] + 0.587 * img.data[p + 1] + 0.114 * img.data[p + 2];
  }
  return out;
}
