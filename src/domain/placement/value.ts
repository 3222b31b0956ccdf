import type { PlacementProblem, SolverUnit } from './types.ts';

/**
 * Expected margin of a unit in a zone over the planning horizon:
 *   value = base demand × (1 + w_rec × recommendation frequency) × seasonal boost × zone lift
 *           × demographic factor(zone, unit) × unit margin
 * where base demand is the forecast divided by the lift of the zone the unit sells from now (the forecast
 * already contains today's placement), and the demographic factor compares the share of the unit's audience
 * among visitors in the zone's busy hours with its share over the whole day (1 when there are no counts).
 */
export type Segment = 'male-adult' | 'female-adult' | 'male-kids' | 'female-kids';
export const SEGMENTS: Segment[] = ['male-adult', 'female-adult', 'male-kids', 'female-kids'];

export interface ValueZone {
  code: string;
  kind: string;
  lift: number;
  capacity: number;
  /** Hours of the day (0-23) when the zone is busiest; empty = all day. */
  busyHours: number[];
}

export interface ValueUnit {
  key: string;
  size: number;
  /** Forecast units over the horizon at the current placement. */
  demand: number;
  /** Margin per unit sold (price − cost). */
  margin: number;
  /** 0..1, how often the unit's items are recommended relative to the most recommended unit. */
  recFrequency: number;
  /** Audience from the catalog's gender; null = everyone (unisex / unknown). */
  segment: Segment | null;
  /** Fields seasonal rules can match on. */
  attrs: Record<string, string | null>;
  group?: string | null;
  current: string | null;
  pinned: string | null;
}

export interface SeasonalRule {
  /** Months (1-12) the rule is active in; empty = all year. */
  months: number[];
  field: string;
  value: string;
  /** Zone codes or kinds the matching units may use (others are forbidden); empty = no restriction. */
  zones: string[];
  /** Demand multiplier while active (e.g. 1.3 for the season's lines), default 1. */
  boost?: number;
}

export interface ValueWeights {
  recommend: number;
  demographic: number;
  /** Lift of "no floor space" (sold from the stockroom / on request). */
  offFloorLift: number;
}

/** Visitors per hour (0-23) and segment, from the kiosk's anonymous counts. */
export type VisitorCounts = Record<Segment, number[]>;

export function demographicFactors(zones: ValueZone[], visitors: VisitorCounts | null, weight: number): Map<string, Record<Segment, number>> {
  const out = new Map<string, Record<Segment, number>>();
  const total = (hours: number[] | null) => {
    const by = {} as Record<Segment, number>;
    for (const s of SEGMENTS) by[s] = visitors ? visitors[s].reduce((a, v, h) => a + (hours == null || hours.includes(h) ? v : 0), 0) : 0;
    return by;
  };
  const day = total(null);
  const daySum = SEGMENTS.reduce((a, s) => a + day[s], 0);
  for (const z of zones) {
    const f = {} as Record<Segment, number>;
    const busy = total(z.busyHours.length ? z.busyHours : null);
    const busySum = SEGMENTS.reduce((a, s) => a + busy[s], 0);
    for (const s of SEGMENTS) {
      if (!visitors || daySum === 0 || busySum === 0 || day[s] === 0) f[s] = 1;
      else f[s] = Math.min(3, Math.max(0.25, 1 + weight * (busy[s] / busySum / (day[s] / daySum) - 1)));
    }
    out.set(z.code, f);
  }
  return out;
}

function ruleActive(r: SeasonalRule, month: number) {
  return r.months.length === 0 || r.months.includes(month);
}

/** Builds the solver's problem. `month` (1-12) selects the active seasonal rules. */
export function buildProblem(zones: ValueZone[], units: ValueUnit[], weights: ValueWeights, rules: SeasonalRule[], visitors: VisitorCounts | null, month: number): PlacementProblem {
  const zi = new Map(zones.map((z, i) => [z.code, i]));
  const demo = demographicFactors(zones, visitors, weights.demographic);
  const active = rules.filter((r) => ruleActive(r, month));
  const solverUnits: SolverUnit[] = units.map((u) => {
    let boost = 1;
    let allowed: number[] | null = null;
    for (const r of active) {
      if ((u.attrs[r.field] ?? '').toLowerCase() !== r.value.toLowerCase()) continue;
      boost *= r.boost ?? 1;
      if (r.zones.length) {
        const ok = zones.map((z, i) => (r.zones.includes(z.code) || r.zones.includes(z.kind) ? i : -1)).filter((i) => i >= 0);
        allowed = allowed ? allowed.filter((i) => ok.includes(i)) : ok;
      }
    }
    const currentLift = u.current != null && zi.has(u.current) ? zones[zi.get(u.current)!].lift : 1;
    const base = (u.demand / Math.max(currentLift, 0.05)) * (1 + weights.recommend * u.recFrequency) * boost;
    const values = zones.map((z) => base * z.lift * (u.segment ? demo.get(z.code)![u.segment] : 1) * u.margin);
    return {
      key: u.key,
      size: u.size,
      values,
      offValue: base * weights.offFloorLift * u.margin,
      group: u.group ?? null,
      pinned: u.pinned != null ? (zi.get(u.pinned) ?? null) : null,
      allowed,
      current: u.current != null ? (zi.get(u.current) ?? null) : null,
    };
  });
  return { zones: zones.map((z) => ({ code: z.code, capacity: z.capacity })), units: solverUnits };
}

/** Objective of an assignment (zone index or null per unit), e.g. of today's layout. */
export function objectiveOf(problem: PlacementProblem, assignment: (number | null)[]): number {
  return problem.units.reduce((s, u, i) => s + (assignment[i] == null ? u.offValue : u.values[assignment[i]!]), 0);
}

/** Capacity used per zone by an assignment. */
export function usage(problem: PlacementProblem, assignment: (number | null)[]): number[] {
  const used = problem.zones.map(() => 0);
  problem.units.forEach((u, i) => assignment[i] != null && (used[assignment[i]!] += u.size));
  return used;
}
