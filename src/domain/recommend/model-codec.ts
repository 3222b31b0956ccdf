/**
 * Serialises a trained model to bytes and back (pure), so a background job can train, store a version
 * (file, bytea, object store) and the server can load it into memory. Typed arrays are stored raw (8-byte
 * aligned, little-endian as the platform); everything else as JSON in a header.
 * Layout: "SWRM" | u32 header length | header JSON (UTF-8) | padding to 8 | binary.
 */
import { AppError } from '../../errors.ts';
import type { RecommenderModel } from './recommender.ts';

const MAGIC = 0x4d525753; // "SWRM" little-endian
const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/** Any plain value made of objects, arrays, Maps, numbers, strings, booleans, null and typed arrays. */
export function encodeValue(value: unknown): Uint8Array {
  const chunks: Typed[] = [];
  let offset = 0;
  const enc = (v: unknown): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return { $u: 1 };
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name as TypedName;
      if (!(name in TYPED)) throw new AppError('invalid', `cannot encode ${name}`);
      const t = v as Typed;
      offset = Math.ceil(offset / 8) * 8;
      const ref = { $t: name, o: offset, n: t.length };
      chunks.push(t);
      offset += t.byteLength;
      return ref;
    }
    if (v instanceof Map) return { $m: [...v].map(([k, x]) => [enc(k), enc(x)]) };
    if (Array.isArray(v)) return v.map(enc);
    if (typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x !== 'function') o[k] = enc(x);
      return { $o: o };
    }
    throw new AppError('invalid', `cannot encode a ${typeof v}`);
  };
  const header = new TextEncoder().encode(JSON.stringify(enc(value)));
  const start = Math.ceil((8 + header.length) / 8) * 8;
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  let pos = 0;
  for (const t of chunks) {
    pos = Math.ceil(pos / 8) * 8;
    out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), start + pos);
    pos += t.byteLength;
  }
  return out;
}

export function decodeValue(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new AppError('invalid', 'not a Shelfwise model');
  const len = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  const start = Math.ceil((8 + len) / 8) * 8;
  const dec = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(dec);
    const o = v as Record<string, unknown>;
    if ('$u' in o) return undefined;
    if ('$n' in o) return Number(o.$n);
    if ('$t' in o) {
      const Ctor = TYPED[o.$t as TypedName];
      const n = o.n as number;
      const from = bytes.byteOffset + start + (o.o as number);
      // copy: the source may not be aligned for the element size
      const copy = new ArrayBuffer(n * Ctor.BYTES_PER_ELEMENT);
      new Uint8Array(copy).set(new Uint8Array(bytes.buffer, from, copy.byteLength));
      return new Ctor(copy);
    }
    if ('$m' in o) return new Map((o.$m as [unknown, unknown][]).map(([k, x]) => [dec(k), dec(x)]));
    if ('$o' in o) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o.$o as Record<string, unknown>)) out[k] = dec(x);
      return out;
    }
    throw new AppError('invalid', 'corrupt model header');
  };
  return dec(header);
}

export function encodeModel(m: RecommenderModel): Uint8Array {
  return encodeValue(m);
}

export function decodeModel(bytes: Uint8Array): RecommenderModel {
  const m = decodeValue(bytes) as RecommenderModel;
  if (!m || m.version !== 1) throw new AppError('invalid', `unsupported model version ${(m as { version?: unknown })?.version}`);
  return m;
}
