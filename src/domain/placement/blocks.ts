import { PlacementError } from './errors.ts';
import type { PlacementProblem } from './types.ts';

/**
 * Keep-together groups become one block each: the block's value in a zone is the sum of its members', its
 * size the sum of their sizes, its pin the members' common pin, its allowed zones the intersection. The
 * solver then only has "one block, at most one zone" constraints, so a group can never be split.
 */
export interface Block {
  members: number[];
  size: number;
  values: Float64Array;
  offValue: number;
  pinned: number | null;
  /** Zone allowed for this block (after seasonal rules and capacity), as a mask. */
  allowed: Uint8Array;
}

export function buildBlocks(problem: PlacementProblem): Block[] {
  const Z = problem.zones.length;
  const byGroup = new Map<string, number[]>();
  const blocks: number[][] = [];
  problem.units.forEach((u, i) => {
    if (u.group == null || u.group === '') return void blocks.push([i]);
    let g = byGroup.get(u.group);
    if (!g) byGroup.set(u.group, (g = []));
    g.push(i);
  });
  blocks.push(...byGroup.values());
  return blocks.map((members) => {
    const values = new Float64Array(Z);
    const allowed = new Uint8Array(Z).fill(1);
    let size = 0;
    let offValue = 0;
    let pinned: number | null = null;
    for (const i of members) {
      const u = problem.units[i];
      if (!(u.size >= 0) || !Number.isFinite(u.size)) throw new PlacementError(`unit ${u.key}: size must be a finite number ≥ 0`, 'size');
      size += u.size;
      offValue += u.offValue;
      for (let z = 0; z < Z; z++) values[z] += u.values[z];
      if (u.allowed) {
        const a = new Set(u.allowed);
        for (let z = 0; z < Z; z++) if (!a.has(z)) allowed[z] = 0;
      }
      if (u.pinned != null) {
        if (u.pinned < 0 || u.pinned >= Z) throw new PlacementError(`unit ${u.key}: pinned to an unknown zone`, 'pinned');
        if (pinned != null && pinned !== u.pinned) {
          throw new PlacementError(`group ${u.group}: members are pinned to different zones (${problem.zones[pinned].code}, ${problem.zones[u.pinned].code})`, 'pinned');
        }
        pinned = u.pinned;
      }
    }
    for (let z = 0; z < Z; z++) if (size > problem.zones[z].capacity) allowed[z] = 0;
    if (pinned != null && size > problem.zones[pinned].capacity) {
      throw new PlacementError(`${describe(problem, members)} is pinned to ${problem.zones[pinned].code} but needs ${size} of its ${problem.zones[pinned].capacity} capacity`, 'pinned');
    }
    return { members, size, values, offValue, pinned, allowed };
  });
}

function describe(problem: PlacementProblem, members: number[]) {
  const u = problem.units[members[0]];
  return u.group ? `group ${u.group}` : `unit ${u.key}`;
}

/** Remaining capacity per zone after the pinned blocks; throws when the pins alone overfill a zone. */
export function capacityAfterPins(problem: PlacementProblem, blocks: Block[]): Float64Array {
  const cap = Float64Array.from(problem.zones.map((z) => z.capacity));
  for (const b of blocks) if (b.pinned != null) cap[b.pinned] -= b.size;
  cap.forEach((c, z) => {
    if (c < -1e-9) throw new PlacementError(`the items pinned to ${problem.zones[z].code} need ${(problem.zones[z].capacity - c).toFixed(1)} of its ${problem.zones[z].capacity} capacity`, 'pinned');
  });
  return cap;
}

/** Objective of a block assignment (zone index or null per block). */
export function blockObjective(blocks: Block[], at: (number | null)[]): number {
  let s = 0;
  blocks.forEach((b, i) => (s += at[i] == null ? b.offValue : b.values[at[i]!]));
  return s;
}
