/**
 * Visitors from per-frame face results (pure; time is passed in): the temporal smoother decides what is shown,
 * and this decides when one person has left (no face for the smoother's reset time, or a fresh estimate
 * started) so that one anonymous event can be written for them. One-frame sightings are not visitors (false
 * detections, someone walking past). Nothing identifies a person: a returning shopper is a new visitor.
 */
import type { AgeGroup } from './age-groups.ts';
import { TemporalSmoother, type FrameObservation, type SmoothedEstimate, type SmootherOptions } from './temporal-smoother.ts';

export interface Visitor {
  /** Epoch ms of the first frame with this person. */
  startedAt: number;
  dwellMs: number;
  frames: number;
  gender: 'male' | 'female';
  ageGroup: AgeGroup;
  /** Smoothed gender confidence (0.5..1). */
  confidence: number;
}

export const MIN_VISITOR_FRAMES = 2;

export class VisitorTracker {
  private smoother: TemporalSmoother;
  private prev: SmoothedEstimate | null = null;
  private startedAt = 0;

  constructor(opts: SmootherOptions = {}) {
    this.smoother = new TemporalSmoother(opts);
  }

  /** One frame: the largest face's observation or null. Returns the shown estimate and whoever just left. */
  update(obs: FrameObservation | null, now: number): { estimate: SmoothedEstimate; left: Visitor | null; started: boolean } {
    const est = this.smoother.update(obs, now);
    let left: Visitor | null = null;
    if (this.prev?.present && (!est.present || (obs && est.frames === 1))) left = this.visitor(this.prev);
    const started = est.present && est.frames === 1 && !!obs;
    if (started) this.startedAt = now;
    this.prev = est.present ? est : null;
    return { estimate: est, left, started };
  }

  /** The stream ended: whoever is in front of the camera leaves now. */
  end(): Visitor | null {
    const v = this.prev?.present ? this.visitor(this.prev) : null;
    this.prev = null;
    this.smoother.reset();
    return v;
  }

  private visitor(est: SmoothedEstimate): Visitor | null {
    if (est.frames < MIN_VISITOR_FRAMES || !est.gender || !est.ageGroup) return null;
    return { startedAt: this.startedAt, dwellMs: est.dwellMs, frames: est.frames, gender: est.gender, ageGroup: est.ageGroup, confidence: est.genderConfidence };
  }
}
