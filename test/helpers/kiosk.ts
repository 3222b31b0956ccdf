// Shared by the kiosk tests and bench: real UTKFace faces placed in camera-sized JPEG frames (in memory), and a
// small clothing store with stock at one store only for some items, so "in stock at this store" can fail.
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import type { Database } from '../../src/db/connection.ts';
import type { Gender } from '../../src/db/schema.ts';
import { hashUnit } from '../../src/domain/vision/metrics.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { loadUtkFace, type UtkFaceRow } from '../../src/vision/datasets.ts';
import { decodeImage, padImage } from '../../src/vision/image-decode.ts';

export const utkRows = loadUtkFace();
export const noFacesReason = utkRows ? false : 'UTKFace not found (set SHELFWISE_DATA or provide ../shared/data/faces/utkface)';

/** Adults (25-55) of one gender, in file-name hash order (deterministic, spread over the set). */
export function adultFaces(gender: 'male' | 'female', n: number): UtkFaceRow[] {
  return (utkRows ?? [])
    .filter((r) => r.gender === gender && r.age >= 25 && r.age <= 55)
    .sort((a, b) => hashUnit(a.file + '#kiosk') - hashUnit(b.file + '#kiosk'))
    .slice(0, n);
}

/** Children (3-12) of one gender, in file-name hash order (the kiosk bench's harder visitors). */
export function childFaces(gender: 'male' | 'female', n: number): UtkFaceRow[] {
  return (utkRows ?? [])
    .filter((r) => r.gender === gender && r.age >= 3 && r.age <= 12)
    .sort((a, b) => hashUnit(a.file + '#kiosk') - hashUnit(b.file + '#kiosk'))
    .slice(0, n);
}

/** A w×h JPEG with a mid-grey wall and the face chip (plus a 10 % border of its own) at (x, y); null = nobody. */
/** A camera frame with `face` (centred unless x/y) and any `more` faces pasted on a faint check. */
export function faceFrame(face: UtkFaceRow | null, opts: { w?: number; h?: number; x?: number; y?: number; quality?: number; more?: { face: UtkFaceRow; x?: number; y?: number }[] } = {}): Buffer {
  const w = opts.w ?? 640;
  const h = opts.h ?? 480;
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0, i = 0; y < h; y++) for (let x = 0; x < w; x++, i += 4) {
    const v = 110 + ((x >> 4) + (y >> 4)) % 2 * 12; // a faint check so the frame is not flat
    data[i] = v; data[i + 1] = v + 4; data[i + 2] = v + 8; data[i + 3] = 255;
  }
  const placed: { face: UtkFaceRow; x?: number; y?: number }[] = face ? [{ face, x: opts.x, y: opts.y }] : [];
  for (const p of [...placed, ...(opts.more ?? [])]) {
    const img = padImage(decodeImage(readFileSync(p.face.path)), 0.1, 120).image;
    const ox = p.x ?? Math.round((w - img.width) / 2);
    const oy = p.y ?? Math.round((h - img.height) / 2);
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
      const tx = ox + x, ty = oy + y;
      if (tx < 0 || ty < 0 || tx >= w || ty >= h) continue;
      const s = (y * img.width + x) * 3, o = (ty * w + tx) * 4;
      data[o] = img.data[s]; data[o + 1] = img.data[s + 1]; data[o + 2] = img.data[s + 2];
    }
  }
  return Buffer.from(jpeg.encode({ width: w, height: h, data }, opts.quality ?? 80).data);
}

/** 4-byte big-endian sequence number + JPEG: one kiosk frame message. */
export function frameMessage(seq: number, jpegBytes: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(seq >>> 0);
  return Buffer.concat([head, jpegBytes]);
}

export const STORE = 'STORE1';
const COLOURS = ['Navy', 'Black', 'White', 'Red', 'Olive', 'Grey'];
const KINDS: [string, string, string][] = [
  ['men', 'Apparel', 'Shirts'], ['men', 'Apparel', 'Jeans'], ['men', 'Footwear', 'Sneakers'],
  ['women', 'Apparel', 'Dresses'], ['women', 'Apparel', 'Tops'], ['women', 'Footwear', 'Heels'],
  ['unisex', 'Accessories', 'Backpacks'], ['boys', 'Apparel', 'Tshirts'], ['girls', 'Apparel', 'Skirts'],
];

/**
 * STORE1 (store) + WH1 (warehouse); 8 products per gender/type line above (72), stocked at STORE1 except every
 * 4th (only at WH1), with a few sales so popularity differs. Returns the SKUs held only in the warehouse.
 */
export async function seedClothingStore(database: Database): Promise<{ warehouseOnly: Set<string> }> {
  const s = createServices(database);
  await s.catalog.createLocation(SYSTEM, { code: STORE, name: 'High Street', kind: 'store' });
  await s.catalog.createLocation(SYSTEM, { code: 'WH1', name: 'Warehouse', kind: 'warehouse' });
  const warehouseOnly = new Set<string>();
  const lines: { sku: string; location: string; kind: 'receipt'; qty: number }[] = [];
  let n = 0;
  for (const [gender, category, type] of KINDS) {
    for (let i = 0; i < 8; i++, n++) {
      const sku = `${type.toUpperCase().slice(0, 5)}-${gender.toUpperCase()}-${i}`;
      await s.catalog.createProduct(SYSTEM, {
        sku, name: `${COLOURS[i % COLOURS.length]} ${type.toLowerCase()} no. ${i + 1}`, category, subcategory: type, articleType: type,
        gender: gender as Gender, colour: COLOURS[i % COLOURS.length], size: 'M', price: 10 + ((n * 7) % 60), cost: 5,
      });
      if (n % 4 === 3) {
        warehouseOnly.add(sku);
        lines.push({ sku, location: 'WH1', kind: 'receipt', qty: 20 });
      } else lines.push({ sku, location: STORE, kind: 'receipt', qty: 5 + (n % 7) });
    }
  }
  await s.inventory.postMovements(SYSTEM, lines, new Date(Date.now() - 10 * 86_400_000));
  // Sales at STORE1 of a few stocked items (popularity); never more than the stock.
  const sold = lines.filter((l) => l.location === STORE).filter((_, i) => i % 3 === 0);
  for (const l of sold) await s.inventory.recordSale(SYSTEM, { location: STORE, occurredAt: new Date(Date.now() - 2 * 86_400_000), lines: [{ sku: l.sku, qty: 1 + (l.qty % 3) }] });
  return { warehouseOnly };
}

/** The real app and its sockets on a free port (in this process), as `serve` wires them. */
export async function kioskServer(database: Database) {
  const { serve } = await import('@hono/node-server');
  const { buildApp } = await import('../../src/api/app.ts');
  const { attachSockets } = await import('../../src/api/sockets.ts');
  const services = createServices(database);
  const app = buildApp(services);
  const server = await new Promise<import('node:http').Server>((ok) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s as unknown as import('node:http').Server));
  });
  const sockets = attachSockets(server, services);
  const port = (server.address() as { port: number }).port;
  const kiosk = await services.auth.createUser(SYSTEM, { email: `kiosk-${Math.random().toString(36).slice(2)}@test.local`, role: 'kiosk' });
  const token = (await services.auth.createToken(SYSTEM, kiosk.id, 'kiosk screen')).token;
  return {
    services,
    app,
    port,
    token,
    url: (q: Record<string, string>) => `ws://127.0.0.1:${port}/api/kiosk/ws?${new URLSearchParams(q)}`,
    close: () => new Promise<void>((ok) => { sockets.close(); server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

/** A kiosk screen in a test: a WebSocket with its messages queued, and waiting for the next one that matches. */
export async function kioskClient(url: string) {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(url);
  const messages: any[] = [];
  const waiters: { pred: (m: any) => boolean; ok: (m: any) => void }[] = [];
  let closed: { code: number; reason: string } | null = null;
  const closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];
  ws.on('message', (d, bin) => {
    if (bin) return;
    const m = JSON.parse(String(d));
    m.receivedAt = performance.now();
    const i = waiters.findIndex((w) => w.pred(m));
    if (i >= 0) waiters.splice(i, 1)[0].ok(m);
    else messages.push(m);
  });
  ws.on('close', (code, reason) => {
    closed = { code, reason: String(reason) };
    for (const f of closeWaiters) f(closed);
  });
  ws.on('error', () => undefined);
  const next = (pred: (m: any) => boolean, timeoutMs = 10_000): Promise<any> => {
    const i = messages.findIndex(pred);
    if (i >= 0) return Promise.resolve(messages.splice(i, 1)[0]);
    return new Promise((ok, fail) => {
      const w = { pred, ok: (m: any) => { clearTimeout(t); ok(m); } };
      const t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); fail(new Error(`no matching message in ${timeoutMs} ms${closed ? ` (closed ${closed.code} ${closed.reason})` : ''}`)); }, timeoutMs);
      waiters.push(w);
    });
  };
  return {
    ws,
    messages,
    next,
    /** Sends a frame and resolves with its answer (estimate, dropped or error) and the round trip in ms. */
    async frame(seq: number, jpegBytes: Buffer, timeoutMs = 10_000) {
      const t0 = performance.now();
      ws.send(frameMessage(seq, jpegBytes));
      const m = await next((x) => x.seq === seq, timeoutMs);
      return { ...m, roundTripMs: m.receivedAt - t0 };
    },
    closed: () => (closed ? Promise.resolve(closed) : new Promise<{ code: number; reason: string }>((ok) => closeWaiters.push(ok))),
    close: () => new Promise<void>((ok) => { if (closed) return ok(); ws.once('close', () => ok()); ws.close(); }),
  };
}

/**
 * A fresh PGlite folder with the clothing store and a kiosk token, written before a server opens it.
 * (No admin is created by serve then: the kiosk user exists; kiosk tests need no admin.)
 */
/** The shop owner of seededKioskDir (an admin, to open the Demographics page). */
export const OWNER = { email: 'owner@store.local', password: 'owner-password-1' };

export async function seededKioskDir(): Promise<{ dbDir: string; token: string }> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openDatabase } = await import('../../src/db/connection.ts');
  const { migrateToLatest } = await import('../../src/db/migrate.ts');
  const dbDir = mkdtempSync(join(tmpdir(), 'shelfwise-kiosk-db-'));
  const database = await openDatabase({ dir: dbDir });
  try {
    await migrateToLatest(database);
    await seedClothingStore(database);
    const s = createServices(database);
    const u = await s.auth.createUser(SYSTEM, { email: 'kiosk@store.local', role: 'kiosk' });
    const token = (await s.auth.createToken(SYSTEM, u.id, 'kiosk screen')).token;
    await s.auth.createUser(SYSTEM, { email: OWNER.email, role: 'admin', password: OWNER.password });
    return { dbDir, token };
  } finally {
    await database.close();
  }
}

/** Image traces a frame could leave: JPEG (JFIF/Exif/DQT starts), PNG, and base64 JPEG/PNG or data: URLs in text. */
const BINARY_SIGNS: { name: string; bytes: number[]; then?: string }[] = [
  { name: 'JPEG (JFIF)', bytes: [0xff, 0xd8, 0xff, 0xe0], then: 'JFIF' },
  { name: 'JPEG (Exif)', bytes: [0xff, 0xd8, 0xff, 0xe1], then: 'Exif' },
  { name: 'JPEG (DQT first)', bytes: [0xff, 0xd8, 0xff, 0xdb] },
  { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];
const TEXT_SIGNS = [/\/9j\/[A-Za-z0-9+/]{20}/, /iVBORw0KGgo/, /data:image\//];

export function findImageTraces(buf: Buffer): string[] {
  const hits: string[] = [];
  for (const s of BINARY_SIGNS) {
    let i = buf.indexOf(Buffer.from(s.bytes));
    while (i >= 0) {
      if (!s.then || buf.subarray(i + 6, i + 6 + s.then.length).toString('latin1') === s.then) {
        hits.push(`${s.name} at ${i}`);
        break;
      }
      i = buf.indexOf(Buffer.from(s.bytes), i + 1);
    }
  }
  const text = buf.toString('latin1');
  for (const re of TEXT_SIGNS) if (re.test(text)) hits.push(`text ${re}`);
  return hits;
}

/** Every file under dir with image traces: [{file, hits}]. */
export async function scanDirForImages(dir: string): Promise<{ file: string; hits: string[] }[]> {
  const { readdirSync, readFileSync: read, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const out: { file: string; hits: string[] }[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const hits = findImageTraces(read(p));
        if (hits.length) out.push({ file: p, hits });
      }
    }
  };
  walk(dir);
  return out;
}
