/**
 * Anonymous demographic events → counts per time window × age group × gender, with small-count
 * suppression (pure; no clock: windows are derived from the events' own timestamps).
 *
 * Privacy rules applied here (see docs/vision.md):
 * - a window whose total is below `minCount` shows no breakdown and no total (only "suppressed");
 * - a cell with 0 < count < `minCount` is suppressed (null), never shown as its value;
 * - if a window has exactly one suppressed cell, the smallest other non-zero cell is suppressed too,
 *   so the hidden value cannot be recovered as total − shown cells (complementary suppression).
 */
import { AGE_GROUPS, type AgeGroup } from './age-groups.ts';

export type Gender = 'male' | 'female';

export interface DemographicEvent {
  /** Epoch ms. */
  at: number;
  ageGroup: AgeGroup;
  gender: Gender;
  zone?: string;
}

export interface AggregateOptions {
  /** Window length in ms (e.g. 3_600_000 for hours). */
  windowMs: number;
  /** Added to timestamps before bucketing (e.g. the store's UTC offset) so windows align locally. */
  offsetMs?: number;
  /** Smallest count that may be shown (k). Default 5. */
  minCount?: number;
  /** Only events in this zone (all zones when omitted). */
  zone?: string;
}

export interface CountCell {
  ageGroup: AgeGroup;
  gender: Gender;
  /** null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

export interface WindowCounts {
  /** Epoch ms of the window start (in UTC, i.e. with the offset removed again). */
  windowStart: number;
  /** null when the whole window is suppressed. */
  total: number | null;
  suppressed: boolean;
  cells: CountCell[];
}

const GENDERS: Gender[] = ['female', 'male'];

export function windowStartOf(at: number, windowMs: number, offsetMs = 0): number {
  return Math.floor((at + offsetMs) / windowMs) * windowMs - offsetMs;
}

export function aggregateEvents(events: readonly DemographicEvent[], opts: AggregateOptions): WindowCounts[] {
  if (!(opts.windowMs > 0)) throw new Error('windowMs must be > 0');
  const k = opts.minCount ?? 5;
  const offset = opts.offsetMs ?? 0;
  const byWindow = new Map<number, Map<string, number>>();
  for (const e of events) {
    if (opts.zone !== undefined && e.zone !== opts.zone) continue;
    const w = windowStartOf(e.at, opts.windowMs, offset);
    let m = byWindow.get(w);
    if (!m) byWindow.set(w, (m = new Map()));
    const key = `${e.ageGroup}|${e.gender}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  const out: WindowCounts[] = [];
  for (const w of [...byWindow.keys()].sort((a, b) => a - b)) {
    const m = byWindow.get(w)!;
    const raw = AGE_GROUPS.flatMap((ageGroup) => GENDERS.map((gender) => ({ ageGroup, gender, n: m.get(`${ageGroup}|${gender}`) ?? 0 })));
    const total = raw.reduce((a, c) => a + c.n, 0);
    if (total < k) {
      out.push({ windowStart: w, total: null, suppressed: true, cells: raw.map((c) => ({ ageGroup: c.ageGroup, gender: c.gender, count: null, suppressed: true })) });
      continue;
    }
    const hide = raw.map((c) => c.n > 0 && c.n < k);
    if (hide.filter(Boolean).length === 1) {
      let best = -1;
      raw.forEach((c, i) => {
        if (!hide[i] && c.n > 0 && (best < 0 || c.n < raw[best].n)) best = i;
      });
      if (best >= 0) hide[best] = true;
    }
    out.push({
      windowStart: w,
      total,
      suppressed: false,
      cells: raw.map((c, i) => ({ ageGroup: c.ageGroup, gender: c.gender, count: hide[i] ? null : c.n, suppressed: hide[i] })),
    });
  }
  return out;
}
