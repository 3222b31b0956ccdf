/**
 * Placement optimisation (issue 9): which units (SKUs or category blocks) go to which zone of a store.
 *
 * The solver works on a generic assignment problem: every unit has a value in each zone (expected margin
 * over the planning horizon) and a value off the floor (stockroom / not displayed), a size in capacity units
 * (facings or metres), an optional keep-together group (all members in one zone, or all off the floor), an
 * optional pin and an optional allowed-zone set (seasonal rules). value.ts builds those values from demand,
 * zone lift, unit margin and the recommendation / demographic boosts.
 */
export interface SolverZone {
  /** Zone code (stable key). */
  code: string;
  capacity: number;
}

export interface SolverUnit {
  key: string;
  size: number;
  /** Expected value in each zone, indexed like the problem's zones. */
  values: ArrayLike<number>;
  /** Expected value when the unit gets no floor space. */
  offValue: number;
  /** Units with the same group must share a zone (or all be off the floor). */
  group?: string | null;
  /** Index of the zone the manager pinned the unit to. */
  pinned?: number | null;
  /** Allowed zone indices (seasonal rules); undefined = all zones. */
  allowed?: readonly number[] | null;
  /** Where the unit is now (index), null/undefined = off the floor. Only used to report moves. */
  current?: number | null;
}

export interface PlacementProblem {
  zones: SolverZone[];
  units: SolverUnit[];
}

export interface SolveOptions {
  /** Run the exact MIP when blocks × zones is at most this (default 20,000). */
  mipMaxCols?: number;
  /** Time limit of the MIP in seconds (default 8; small instances with lumpy blocks need it to close the gap). */
  mipTimeLimit?: number;
  /** Local-search time budget in ms (default 600). */
  searchMs?: number;
  now?: () => number;
}

export interface PlacementSolution {
  /** Zone index per unit (same order as problem.units), null = off the floor. */
  assignment: (number | null)[];
  objective: number;
  /** Upper bound on the optimum (LP relaxation, or the MIP dual bound when smaller). */
  bound: number;
  /** (bound − objective) / |bound|, 0 when proven optimal. */
  gap: number;
  method: 'mip' | 'lp-rounding+local-search';
  blocks: number;
  ms: number;
  lpMs: number;
  lpRounds: number;
}
