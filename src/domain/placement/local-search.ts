import type { Block } from './blocks.ts';

/**
 * Improves a feasible block assignment in place until no move helps or the deadline passes:
 * - move: one block to another zone with room (or off the floor);
 * - swap: two blocks trade places (a zone and a zone, or a zone and off the floor), when both fit.
 * Every accepted step strictly raises the objective and keeps every capacity, so the result is never worse.
 * `free` lists the movable blocks; `elig[k]` the zones block free[k] may go to; `room` the free capacity.
 */
export function localSearch(blocks: Block[], free: number[], elig: number[][], at: (number | null)[], room: Float64Array, deadline: number, now: () => number) {
  const Z = room.length;
  const eligSet = elig.map((e) => {
    const m = new Uint8Array(Z);
    for (const z of e) m[z] = 1;
    return m;
  });
  const val = (k: number, z: number | null) => (z == null ? blocks[free[k]].offValue : blocks[free[k]].values[z]);
  const size = (k: number) => blocks[free[k]].size;
  const eps = 1e-9;
  let improved = true;
  let guard = 0;
  while (improved && guard++ < 50) {
    improved = false;
    // moves
    for (let k = 0; k < free.length; k++) {
      const a = at[free[k]];
      let bestZ: number | null | undefined;
      let bestD = eps * Math.max(1, Math.abs(val(k, a)));
      if (a != null && blocks[free[k]].offValue - val(k, a) > bestD) (bestZ = null), (bestD = blocks[free[k]].offValue - val(k, a));
      for (const z of elig[k]) {
        if (z === a || size(k) > room[z] + 1e-9) continue;
        const d = val(k, z) - val(k, a);
        if (d > bestD) (bestD = d), (bestZ = z);
      }
      if (bestZ !== undefined) {
        if (a != null) room[a] += size(k);
        if (bestZ != null) room[bestZ] -= size(k);
        at[free[k]] = bestZ;
        improved = true;
      }
    }
    if (now() > deadline) return;
    // swaps: members per zone, then for each block try trading with a block in another zone
    const inZone: number[][] = Array.from({ length: Z }, () => []);
    free.forEach((bi, k) => at[bi] != null && inZone[at[bi]!].push(k));
    for (let k = 0; k < free.length; k++) {
      if (now() > deadline) return;
      const a = at[free[k]];
      for (const z of elig[k]) {
        if (z === a) continue;
        const gainK = val(k, z) - val(k, a);
        if (gainK <= eps) continue;
        const list = inZone[z];
        let bestJ = -1;
        let bestD = eps * Math.max(1, Math.abs(gainK));
        for (const j of list) {
          if (at[free[j]] !== z) continue;
          if (a != null && !eligSet[j][a]) continue;
          // k into z needs room after j leaves; j into a needs room after k leaves
          if (size(k) > room[z] + size(j) + 1e-9) continue;
          if (a != null && size(j) > room[a] + size(k) + 1e-9) continue;
          const d = gainK + val(j, a) - val(j, z);
          if (d > bestD) (bestD = d), (bestJ = j);
        }
        if (bestJ >= 0) {
          room[z] += size(bestJ) - size(k);
          if (a != null) room[a] += size(k) - size(bestJ);
          at[free[k]] = z;
          at[free[bestJ]] = a;
          inZone[z].push(k);
          if (a != null) inZone[a].push(bestJ);
          improved = true;
          break;
        }
      }
    }
  }
}

/**
 * The greedy baseline a person would use ("best sellers in the most visible spots"): blocks by their best
 * value per unit of space, each into its best zone that still has room.
 */
export function greedyAssign(blocks: Block[], cap: Float64Array): (number | null)[] {
  const room = Float64Array.from(cap);
  const at: (number | null)[] = blocks.map((b) => b.pinned);
  const order = blocks
    .map((b, i) => ({ i, d: Math.max(0, ...Array.from(b.values, (v) => v - b.offValue)) / Math.max(b.size, 1e-9) }))
    .filter(({ i }) => blocks[i].pinned == null)
    .sort((x, y) => y.d - x.d);
  for (const { i } of order) {
    const b = blocks[i];
    let best: number | null = null;
    for (let z = 0; z < room.length; z++) {
      if (!b.allowed[z] || b.size > room[z] + 1e-9 || b.values[z] <= b.offValue) continue;
      if (best == null || b.values[z] > b.values[best]) best = z;
    }
    if (best != null) {
      at[i] = best;
      room[best] -= b.size;
    }
  }
  return at;
}
