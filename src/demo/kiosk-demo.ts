/**
 * The demo store's visitors (docs/demo-data.md, "Visitors"): anonymous vision_events for FASH1 made by the REAL
 * face analyzer on REAL UTKFace faces, so the Demographics page and placement's visitor mix have data.
 *
 * Each face is placed in a kiosk-sized frame in memory and analysed by the process-wide analyzer the kiosk uses
 * (same models, input size, flip, calibration); its result goes through the kiosk's VisitorTracker (the temporal
 * smoother) as one still person seen once a second for the dwell time, and the finished visitor is recorded with
 * VisionService.recordEvents, the kiosk's and the watcher's method, with source 'demo'. Only what a kiosk event
 * holds is stored: time, zone, age band, gender, confidence, dwell. No image, crop, embedding, file name or exact
 * age leaves this module, and nothing is written to a file.
 *
 * Time, zone and dwell are not in the data set: they follow the stated hash rules below (stable per file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../config/data-dir.ts';
import type { AgeGroup } from '../domain/vision/age-groups.ts';
import { VisitorTracker, type Visitor } from '../domain/vision/visitor-tracker.ts';
import { log } from '../log.ts';
import type { AppServices } from '../services/index.ts';
import { visionServiceOf, type NewVisionEvent } from '../services/vision.service.ts';
import { loadUtkFace, type UtkFaceRow } from '../vision/datasets.ts';
import type { FaceResult } from '../vision/face-analyzer.ts';
import { decodeImage, padImage, type RgbImage } from '../vision/image-decode.ts';
import { inferenceGate } from '../vision/shared-analyzer.ts';

const DAY = 86_400_000;
export const DEMO_VISITOR_STORE = 'FASH1';
export const DEMO_VISITOR_FACES = 150;
/** Events are spread over the WINDOW_DAYS whole UTC days before today. */
export const WINDOW_DAYS = 28;
/** Opening hours (UTC, like every demo time): 9:00-19:00; a visit ends by closing time. */
export const OPEN_HOUR = 9;
export const CLOSE_HOUR = 19;
/** Weight of each opening hour 9, 10, … 18: a midday peak (12-13) and a late-afternoon peak (17). */
export const HOUR_WEIGHTS = [2, 3, 5, 8, 8, 5, 4, 6, 8, 5];
/** Zone weight: the entrance (the kiosk's usual place) 4, every other zone its visibility (0.2-0.9 in the demo). */
export const ENTRANCE_WEIGHT = 4;
export const DWELL_MIN_S = 5;
export const DWELL_MAX_S = 120;
const KIOSK_W = 640;
const KIOSK_H = 480;

/**
 * One stable draw in [0, 1) per file and purpose: FNV-1a of "purpose#file" with murmur3's fmix32 finaliser
 * (plain FNV-1a of file + suffix put 89 of 150 visits at the entrance where the weights say 47 %).
 */
export function draw(file: string, what: string): number {
  const s = `${what}#${file}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** UTKFace rows in the demo's stable order (file-name hash); the first N the detector finds are the visitors. */
export function demoFaceOrder(rows: UtkFaceRow[]): UtkFaceRow[] {
  return [...rows].sort((a, b) => draw(a.file, 'pick') - draw(b.file, 'pick') || (a.file < b.file ? -1 : 1));
}

/** Midnight UTC of the day of `now`. */
export function utcMidnight(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY) * DAY);
}

export interface DemoZone {
  code: string;
  kind: string;
  visibility: number;
}

/** When, where and how long for one file (pure): the rules in docs/demo-data.md. `today` is a UTC midnight. */
export function demoVisit(file: string, today: Date, zones: DemoZone[]): { at: Date; zone: string | null; dwellMs: number } {
  const dayStart = today.getTime() - (WINDOW_DAYS - Math.floor(draw(file, 'day') * WINDOW_DAYS)) * DAY;
  const total = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  let u = draw(file, 'hour') * total;
  let hour = OPEN_HOUR;
  for (const w of HOUR_WEIGHTS) {
    if (u < w) break;
    u -= w;
    hour++;
  }
  hour = Math.min(hour, CLOSE_HOUR - 1);
  // Short visits are common, long ones rare: 5 s + 115 s × u² (median ≈ 34 s), whole seconds.
  const dwellS = Math.round(DWELL_MIN_S + (DWELL_MAX_S - DWELL_MIN_S) * draw(file, 'dwell') ** 2);
  // Start second within the hour, leaving room for the dwell so the visit ends by closing time.
  const second = Math.floor(draw(file, 'second') * (3600 - dwellS));
  const at = new Date(dayStart + hour * 3_600_000 + second * 1000);
  let zone: string | null = null;
  const weights = zones.map((z) => (z.kind === 'entrance' ? ENTRANCE_WEIGHT : Math.max(0.05, Number(z.visibility) || 0.5)));
  const sum = weights.reduce((a, b) => a + b, 0);
  if (zones.length) {
    let v = draw(file, 'zone') * sum;
    zone = zones[zones.length - 1].code;
    for (let i = 0; i < zones.length; i++) {
      if (v < weights[i]) {
        zone = zones[i].code;
        break;
      }
      v -= weights[i];
    }
  }
  return { at, zone, dwellMs: dwellS * 1000 };
}

/**
 * The face as a kiosk camera would show it (in memory): a 640×480 frame, a faint grey check as the wall, the
 * 200×200 UTKFace chip with a 10 % border of its own in the middle (the kiosk tests' and bench's frame).
 */
export function kioskFrame(path: string): RgbImage {
  const data = new Uint8Array(KIOSK_W * KIOSK_H * 3);
  for (let y = 0, i = 0; y < KIOSK_H; y++) {
    for (let x = 0; x < KIOSK_W; x++, i += 3) {
      const v = 110 + (((x >> 4) + (y >> 4)) % 2) * 12;
      data[i] = v;
      data[i + 1] = v + 4;
      data[i + 2] = v + 8;
    }
  }
  const img = padImage(decodeImage(readFileSync(path)), 0.1, 120).image;
  const ox = Math.round((KIOSK_W - img.width) / 2);
  const oy = Math.round((KIOSK_H - img.height) / 2);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const tx = ox + x, ty = oy + y;
      if (tx < 0 || ty < 0 || tx >= KIOSK_W || ty >= KIOSK_H) continue;
      const s = (y * img.width + x) * 3, o = (ty * KIOSK_W + tx) * 3;
      data[o] = img.data[s];
      data[o + 1] = img.data[s + 1];
      data[o + 2] = img.data[s + 2];
    }
  }
  return { width: KIOSK_W, height: KIOSK_H, data };
}

/** The largest face of one file's kiosk frame, from the kiosk's shared analyzer (queued behind kiosk frames). */
export async function analyzeDemoFace(path: string): Promise<FaceResult | null> {
  const faces = await inferenceGate.serial((a) => a.analyzeDetailed(kioskFrame(path)));
  const f = faces[0];
  if (!f) return null;
  const { pMaleRaw: _p, ageRaw: _a, features: _f, ...face } = f;
  return face;
}

/** The kiosk's mapping: the face seen once a second from `startMs` for `dwellMs` through its VisitorTracker. */
export function visitorOf(face: FaceResult, startMs: number, dwellMs: number): Visitor | null {
  const tracker = new VisitorTracker();
  const obs = { pMale: face.pMale, ageYears: face.ageYears, weight: face.detectionScore };
  for (let t = 0; t < dwellMs; t += 1000) tracker.update(obs, startMs + t);
  tracker.update(obs, startMs + dwellMs);
  return tracker.end();
}

export interface DemoVisitorsResult {
  events: number;
  /** Faces analysed (some are not found by the detector and are passed over). */
  analysed: number;
  byGender: Record<'male' | 'female', number>;
  byAgeGroup: Partial<Record<AgeGroup, number>>;
  seconds: number;
  cpuSeconds: number;
}

/**
 * Records the demo visitors for FASH1 (replacing earlier 'demo' events there). Null, with a log line, when the
 * UTKFace folder is missing, or FASH1 is missing or has its camera switched off. `now` fixes "today" (tests).
 */
export async function recordDemoVisitors(services: AppServices, opts: { n?: number; now?: Date } = {}): Promise<DemoVisitorsResult | null> {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const n = opts.n ?? DEMO_VISITOR_FACES;
  const rows = loadUtkFace();
  if (!rows) {
    log.info('demo visitors skipped: no UTKFace folder', { dir: join(dataDir(), 'faces', 'utkface') });
    return null;
  }
  const vision = visionServiceOf(services);
  let loc: { id: number; code: string };
  try {
    loc = await vision.cameraLocation(DEMO_VISITOR_STORE);
  } catch (e) {
    log.info('demo visitors skipped', { reason: String((e as Error)?.message ?? e) });
    return null;
  }
  const { db } = services.database;
  const zones = await db.selectFrom('zones').select(['code', 'kind', 'visibility']).where('location_id', '=', loc.id).orderBy('code').execute();
  const today = utcMidnight(opts.now ?? new Date());
  const events: NewVisionEvent[] = [];
  let analysed = 0;
  for (const row of demoFaceOrder(rows)) {
    if (events.length >= n) break;
    analysed++;
    const face = await analyzeDemoFace(row.path);
    await new Promise((r) => setImmediate(r)); // let requests in between faces
    if (!face) continue;
    const visit = demoVisit(row.file, today, zones);
    const v = visitorOf(face, visit.at.getTime(), visit.dwellMs);
    if (!v) continue;
    events.push({ at: new Date(v.startedAt), location: loc.code, zone: visit.zone, source: 'demo', ageGroup: v.ageGroup, gender: v.gender, confidence: v.confidence, dwellMs: v.dwellMs });
  }
  await db.deleteFrom('vision_events').where('location_id', '=', loc.id).where('source', '=', 'demo').execute();
  const recorded = await vision.recordEvents(events);
  const byGender = { male: 0, female: 0 };
  const byAgeGroup: Partial<Record<AgeGroup, number>> = {};
  for (const e of events) {
    byGender[e.gender]++;
    byAgeGroup[e.ageGroup] = (byAgeGroup[e.ageGroup] ?? 0) + 1;
  }
  const c = process.cpuUsage(cpu0);
  const result = { events: recorded, analysed, byGender, byAgeGroup, seconds: (Date.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  log.info('demo visitors recorded', { location: loc.code, ...result });
  return result;
}
