import type { PlacementProblem } from './types.ts';

export interface Move {
  key: string;
  label: string;
  size: number;
  from: string | null;
  to: string | null;
  /** Expected margin over the horizon before and after, and the difference. */
  before: number;
  after: number;
  uplift: number;
}

export interface MoveSummary {
  from: string | null;
  to: string | null;
  units: number;
  uplift: number;
}

/**
 * The moves between two assignments, each with its own expected uplift (value in the new zone − value in
 * the old one, keep-together groups move as one but are listed per unit), largest first, and grouped by
 * (from, to) for the "move 12 items from wall B to front table 1" lines.
 */
export function diffPlans(problem: PlacementProblem, labels: string[], before: (number | null)[], after: (number | null)[]) {
  const code = (z: number | null) => (z == null ? null : problem.zones[z].code);
  const moves: Move[] = [];
  problem.units.forEach((u, i) => {
    if (before[i] === after[i]) return;
    const b = before[i] == null ? u.offValue : u.values[before[i]!];
    const a = after[i] == null ? u.offValue : u.values[after[i]!];
    moves.push({ key: u.key, label: labels[i], size: u.size, from: code(before[i]), to: code(after[i]), before: b, after: a, uplift: a - b });
  });
  moves.sort((x, y) => y.uplift - x.uplift || x.key.localeCompare(y.key));
  const groups = new Map<string, MoveSummary>();
  for (const m of moves) {
    const k = `${m.from}→${m.to}`;
    const g = groups.get(k) ?? { from: m.from, to: m.to, units: 0, uplift: 0 };
    g.units++;
    g.uplift += m.uplift;
    groups.set(k, g);
  }
  const summary = [...groups.values()].sort((x, y) => y.uplift - x.uplift);
  return { moves, summary, totalUplift: moves.reduce((s, m) => s + m.uplift, 0) };
}
