/**
 * Temporal smoothing of per-frame face estimates for the kiosk screen (pure; time is passed in).
 *
 * - p(male) and age are smoothed by time-aware exponential smoothing (alpha = 1 − exp(−dt/tau)), age in
 *   log space (errors grow with age). Each observation is weighted by its detection score.
 * - What the screen shows only changes with hysteresis: gender switches when the smoothed p(male)
 *   crosses 0.5 by a margin, the age group when the smoothed age is past the band boundary by a margin,
 *   and in both cases only after the new answer has held for `minDwellMs`. One outlier frame therefore
 *   never flips the screen.
 * - No face for `resetAfterMs` → the state is dropped (the kiosk returns to its attract loop). No
 *   identity is kept: a new person starts from scratch.
 */
import { AGE_GROUPS, AGE_GROUP_LOWER, ageGroupOf, type AgeGroup } from './age-groups.ts';

export interface FrameObservation {
  pMale: number;
  ageYears: number;
  /** Detector score 0..1 (defaults to 1). */
  weight?: number;
}

export interface SmootherOptions {
  /** Time constant of the exponential smoothing (ms). */
  tauMs?: number;
  /** Gender switches only when |smoothed p − 0.5| exceeds this on the other side. */
  genderMargin?: number;
  /** Age group switches only when the smoothed age is this fraction past the boundary (log space). */
  ageMarginLog?: number;
  /** A candidate answer must hold this long before it is shown (ms). */
  minDwellMs?: number;
  /** Drop the state after this long without a face (ms). */
  resetAfterMs?: number;
}

export interface SmoothedEstimate {
  present: boolean;
  /** null until the first observation has been shown. */
  gender: 'male' | 'female' | null;
  ageGroup: AgeGroup | null;
  pMale: number;
  ageYears: number;
  genderConfidence: number;
  /** Frames observed since the state started (for dwell-time analytics). */
  frames: number;
  /** ms since this person's estimate started. */
  dwellMs: number;
}

interface State {
  startedAt: number;
  lastSeen: number;
  frames: number;
  pMale: number;
  logAge: number;
  gender: 'male' | 'female';
  ageGroup: AgeGroup;
  pendingGender: { value: 'male' | 'female'; since: number } | null;
  pendingAge: { value: AgeGroup; since: number } | null;
}

export class TemporalSmoother {
  private state: State | null = null;
  private readonly o: Required<SmootherOptions>;

  constructor(opts: SmootherOptions = {}) {
    this.o = {
      tauMs: opts.tauMs ?? 1000,
      genderMargin: opts.genderMargin ?? 0.1,
      ageMarginLog: opts.ageMarginLog ?? 0.05,
      minDwellMs: opts.minDwellMs ?? 600,
      resetAfterMs: opts.resetAfterMs ?? 2000,
    };
  }

  /** Feed one frame's result for the tracked (largest) face, or null when no face was found. */
  update(obs: FrameObservation | null, nowMs: number): SmoothedEstimate {
    const s = this.state;
    if (s && nowMs - s.lastSeen > this.o.resetAfterMs) this.state = null;
    if (!obs) return this.current(nowMs);
    const w = Math.min(1, Math.max(0, obs.weight ?? 1));
    const logAge = Math.log(Math.max(0, obs.ageYears) + 1);
    if (!this.state) {
      this.state = {
        startedAt: nowMs,
        lastSeen: nowMs,
        frames: 1,
        pMale: obs.pMale,
        logAge,
        gender: obs.pMale >= 0.5 ? 'male' : 'female',
        ageGroup: ageGroupOf(obs.ageYears),
        pendingGender: null,
        pendingAge: null,
      };
      return this.current(nowMs);
    }
    const st = this.state;
    const dt = Math.max(0, nowMs - st.lastSeen);
    const alpha = (1 - Math.exp(-Math.max(dt, 1) / this.o.tauMs)) * w;
    st.pMale += alpha * (obs.pMale - st.pMale);
    st.logAge += alpha * (logAge - st.logAge);
    st.lastSeen = nowMs;
    st.frames++;

    // Gender with hysteresis + dwell.
    const candGender: 'male' | 'female' | null =
      st.gender === 'female' && st.pMale > 0.5 + this.o.genderMargin ? 'male'
      : st.gender === 'male' && st.pMale < 0.5 - this.o.genderMargin ? 'female'
      : null;
    st.pendingGender = this.dwell(st.pendingGender, candGender, nowMs);
    if (st.pendingGender && nowMs - st.pendingGender.since >= this.o.minDwellMs) {
      st.gender = st.pendingGender.value;
      st.pendingGender = null;
    }

    // Age group with hysteresis (margin past the boundary in log space) + dwell.
    const candAge = this.ageCandidate(st);
    st.pendingAge = this.dwell(st.pendingAge, candAge, nowMs);
    if (st.pendingAge && nowMs - st.pendingAge.since >= this.o.minDwellMs) {
      st.ageGroup = st.pendingAge.value;
      st.pendingAge = null;
    }
    return this.current(nowMs);
  }

  reset(): void {
    this.state = null;
  }

  private dwell<T>(pending: { value: T; since: number } | null, cand: T | null, now: number) {
    if (cand === null) return null;
    if (pending && pending.value === cand) return pending;
    return { value: cand, since: now };
  }

  private ageCandidate(st: State): AgeGroup | null {
    const raw = ageGroupOf(Math.exp(st.logAge) - 1);
    if (raw === st.ageGroup) return null;
    const cur = AGE_GROUPS.indexOf(st.ageGroup);
    const nxt = AGE_GROUPS.indexOf(raw);
    // Boundary crossed: the lower bound of the upper of the two neighbouring bands on the way.
    const boundary = nxt > cur ? AGE_GROUP_LOWER[AGE_GROUPS[cur + 1]] : AGE_GROUP_LOWER[AGE_GROUPS[cur]];
    const dist = Math.abs(st.logAge - Math.log(boundary + 1));
    return dist >= this.o.ageMarginLog ? raw : null;
  }

  private current(nowMs: number): SmoothedEstimate {
    const st = this.state;
    if (!st) {
      return { present: false, gender: null, ageGroup: null, pMale: 0.5, ageYears: 0, genderConfidence: 0, frames: 0, dwellMs: 0 };
    }
    return {
      present: nowMs - st.lastSeen <= this.o.resetAfterMs,
      gender: st.gender,
      ageGroup: st.ageGroup,
      pMale: st.pMale,
      ageYears: Math.exp(st.logAge) - 1,
      genderConfidence: Math.max(st.pMale, 1 - st.pMale),
      frames: st.frames,
      dwellMs: st.lastSeen - st.startedAt,
    };
  }
}
