/**
 * Several people in one camera view (the doorway watcher): each face is matched to a track by box overlap with
 * the track's last box (greedy, best overlap first; a face that overlaps no track starts a new one), and each
 * track runs its own VisitorTracker (smoothing, one-frame sightings ignored, one event when the person leaves).
 * So a group of three walking in is three visitors, not one. Pure: boxes and time are passed in. Nothing
 * identifies a person: tracks live only while the faces are in view (the smoother's reset time), in memory.
 */
import type { FrameObservation, SmootherOptions } from './temporal-smoother.ts';
import { VisitorTracker, type Visitor } from './visitor-tracker.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface TrackedFace extends FrameObservation {
  box: Box;
}

/** Overlap a face must have with a track's last box (intersection over union) to be the same person. */
export const MIN_IOU = 0.2;

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

interface Track {
  tracker: VisitorTracker;
  box: Box;
  /** The smoother still holds this person (false once they have left and were reported). */
  alive: boolean;
}

export class MultiVisitorTracker {
  private tracks: Track[] = [];
  constructor(private readonly opts: SmootherOptions = {}) {}

  /** People currently tracked. */
  get size(): number {
    return this.tracks.length;
  }

  /** One frame's faces. Returns the visitors who left (at most one per track). */
  update(faces: TrackedFace[], now: number): Visitor[] {
    const pairs: { t: number; f: number; o: number }[] = [];
    this.tracks.forEach((t, ti) => faces.forEach((f, fi) => {
      const o = iou(t.box, f.box);
      if (o >= MIN_IOU) pairs.push({ t: ti, f: fi, o });
    }));
    pairs.sort((a, b) => b.o - a.o);
    const faceOf = new Map<number, number>();
    const usedFaces = new Set<number>();
    for (const p of pairs) {
      if (faceOf.has(p.t) || usedFaces.has(p.f)) continue;
      faceOf.set(p.t, p.f);
      usedFaces.add(p.f);
    }
    const left: Visitor[] = [];
    this.tracks.forEach((t, ti) => {
      const fi = faceOf.get(ti);
      const f = fi === undefined ? null : faces[fi];
      const r = t.tracker.update(f ? { pMale: f.pMale, ageYears: f.ageYears, weight: f.weight } : null, now);
      if (r.left) left.push(r.left);
      if (f) t.box = f.box;
      t.alive = r.estimate.present;
    });
    faces.forEach((f, fi) => {
      if (usedFaces.has(fi)) return;
      const tracker = new VisitorTracker(this.opts);
      tracker.update({ pMale: f.pMale, ageYears: f.ageYears, weight: f.weight }, now);
      this.tracks.push({ tracker, box: f.box, alive: true });
    });
    this.tracks = this.tracks.filter((t) => t.alive);
    return left;
  }

  /** The stream ended: everyone in view leaves now. */
  end(): Visitor[] {
    const out = this.tracks.map((t) => t.tracker.end()).filter((v): v is Visitor => v !== null);
    this.tracks = [];
    return out;
  }
}
