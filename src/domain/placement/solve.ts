import type { Highs } from 'highs';
import { blockObjective, buildBlocks, capacityAfterPins, type Block } from './blocks.ts';
import { greedyAssign, localSearch } from './local-search.ts';
import type { PlacementProblem, PlacementSolution, SolveOptions } from './types.ts';

/**
 * Solves the placement problem (a generalised assignment problem: blocks → zones under capacity, or off the
 * floor) in two parts:
 * 1. the LP relaxation with HiGHS by column generation: start with each block's best few zones, price the
 *    remaining columns with the LP duals and add those with a positive reduced cost until none is left. Every
 *    round also gives a valid upper bound, the Lagrangian L(λ) = Σ λ_z cap_z + Σ_b max(0, max_z g_bz − s_b λ_z)
 *    with the capacity duals λ; at the LP optimum it equals the LP bound.
 * 2. an integer plan: the LP's integral assignments, the few fractional blocks placed greedily, then local
 *    search (moves and swaps). Small instances (blocks × zones ≤ mipMaxCols) also go through the HiGHS MIP
 *    (warm-started with that plan), which usually proves optimality.
 * The gap reported is (bound − objective) / bound.
 */
export function solvePlacement(highs: Highs, problem: PlacementProblem, opts: SolveOptions = {}): PlacementSolution {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const blocks = buildBlocks(problem);
  const cap = capacityAfterPins(problem, blocks);
  const Z = problem.zones.length;
  const free = blocks.map((b, i) => (b.pinned == null ? i : -1)).filter((i) => i >= 0);
  const fixedValue = blocks.reduce((s, b) => s + (b.pinned != null ? b.values[b.pinned] : 0), 0);
  // gain of putting free block b in zone z instead of off the floor; only positive, allowed, fitting columns
  const elig = free.map((bi) => {
    const b = blocks[bi];
    const zs: number[] = [];
    for (let z = 0; z < Z; z++) if (b.allowed[z] && b.size <= cap[z] + 1e-9 && b.values[z] - b.offValue > 1e-12) zs.push(z);
    return zs.sort((a, c) => b.values[c] - b.values[a]);
  });
  const lp = lpBound(highs, blocks, free, elig, cap, fixedValue, now);
  const at: (number | null)[] = blocks.map((b) => b.pinned);
  const room = Float64Array.from(cap);
  const pending: number[] = [];
  free.forEach((bi, k) => {
    const z = lp.integral[k];
    if (z != null && blocks[bi].size <= room[z] + 1e-9) {
      at[bi] = z;
      room[z] -= blocks[bi].size;
    } else if (lp.touched[k]) pending.push(k);
  });
  pending.sort((a, b) => blocks[free[b]].values[elig[b][0]] - blocks[free[a]].values[elig[a][0]]);
  for (const k of pending) {
    const b = blocks[free[k]];
    const z = elig[k].find((z) => b.size <= room[z] + 1e-9);
    if (z != null) {
      at[free[k]] = z;
      room[z] -= b.size;
    }
  }
  const budget = opts.searchMs ?? 600;
  localSearch(blocks, free, elig, at, room, now() + budget * 0.7, now);
  // the greedy plan, improved the same way, sometimes ends in a better local optimum: keep the better one
  const g = greedyAssign(blocks, cap);
  const gRoom = Float64Array.from(cap);
  g.forEach((z, i) => z != null && blocks[i].pinned == null && (gRoom[z] -= blocks[i].size));
  localSearch(blocks, free, elig, g, gRoom, now() + budget * 0.3, now);
  if (blockObjective(blocks, g) > blockObjective(blocks, at)) g.forEach((z, i) => (at[i] = z));
  let objective = blockObjective(blocks, at);
  let bound = lp.bound;
  let method: PlacementSolution['method'] = 'lp-rounding+local-search';
  const cols = elig.reduce((s, e) => s + e.length, 0);
  if (cols > 0 && cols <= (opts.mipMaxCols ?? 20_000) && (bound - objective) > 1e-9 * Math.max(1, Math.abs(bound))) {
    const mip = solveMip(highs, blocks, free, elig, cap, fixedValue, at, opts.mipTimeLimit ?? 8);
    if (mip) {
      if (mip.objective > objective + 1e-9) {
        mip.at.forEach((z, k) => (at[free[k]] = z));
        objective = blockObjective(blocks, at);
      }
      bound = Math.min(bound, Math.max(mip.bound, objective));
      method = 'mip';
    }
  }
  bound = Math.max(bound, objective);
  const assignment: (number | null)[] = new Array(problem.units.length).fill(null);
  blocks.forEach((b, i) => b.members.forEach((u) => (assignment[u] = at[i])));
  return {
    assignment,
    objective,
    bound,
    gap: Math.abs(bound) > 1e-12 ? (bound - objective) / Math.abs(bound) : 0,
    method,
    blocks: blocks.length,
    ms: now() - t0,
    lpMs: lp.ms,
    lpRounds: lp.rounds,
  };
}

interface LpResult {
  bound: number;
  /** Zone per free block where the LP put it wholly, else null. */
  integral: (number | null)[];
  /** Free blocks with some LP weight on a zone. */
  touched: boolean[];
  rounds: number;
  ms: number;
}

function lpBound(highs: Highs, blocks: Block[], free: number[], elig: number[][], cap: Float64Array, fixedValue: number, now: () => number): LpResult {
  const t0 = now();
  const F = free.length;
  const Z = cap.length;
  const integral: (number | null)[] = new Array(F).fill(null);
  const touched: boolean[] = new Array(F).fill(false);
  const total = elig.reduce((s, e) => s + e.length, 0);
  if (total === 0) return { bound: fixedValue + free.reduce((s, bi) => s + blocks[bi].offValue, 0), integral, touched, rounds: 0, ms: now() - t0 };
  const offSum = free.reduce((s, bi) => s + blocks[bi].offValue, 0);
  // active columns per block: start with the best few zones; one persistent model, so each pricing round
  // adds columns and the simplex restarts from the previous basis
  const active = elig.map((e) => new Set(e.slice(0, Math.min(e.length, 4))));
  const colB: number[] = [];
  const colZ: number[] = [];
  const columns = (pairs: [number, number][]) => {
    const n = pairs.length;
    const cost = new Float64Array(n);
    const starts = new Int32Array(n + 1);
    const idx = new Int32Array(2 * n);
    const val = new Float64Array(2 * n);
    pairs.forEach(([k, z], j) => {
      const b = blocks[free[k]];
      colB.push(k);
      colZ.push(z);
      cost[j] = b.values[z] - b.offValue;
      starts[j] = 2 * j;
      idx[2 * j] = k;
      val[2 * j] = 1;
      idx[2 * j + 1] = F + z;
      val[2 * j + 1] = b.size;
    });
    starts[n] = 2 * n;
    return { n, cost, starts, idx, val };
  };
  const first = columns(active.flatMap((set, k) => [...set].map((z) => [k, z] as [number, number])));
  const rowUpper = new Float64Array(F + Z);
  rowUpper.fill(1, 0, F);
  rowUpper.set(cap, F);
  const model = highs.createModel({
    numCols: first.n,
    numRows: F + Z,
    sense: highs.constants.objectiveSense.maximize,
    colCost: first.cost,
    colLower: new Float64Array(first.n),
    colUpper: new Float64Array(first.n).fill(1),
    rowLower: new Float64Array(F + Z).fill(-highs.infinity),
    rowUpper,
    matrix: { format: 'csc', numRows: F + Z, numCols: first.n, starts: first.starts, indices: first.idx, values: first.val },
  });
  let best = Infinity;
  let rounds = 0;
  try {
    model.options.set({ output_flag: false, solver: 'simplex', presolve: 'off' });
    for (;;) {
      rounds++;
      model.run();
      const sol = model.getSolution();
      const lam = new Float64Array(Z);
      for (let z = 0; z < Z; z++) lam[z] = Math.abs(sol.rowDual[F + z]);
      const lpObj = model.getObjectiveValue();
      // Lagrangian bound over all eligible columns (valid for any λ ≥ 0)
      let L = 0;
      for (let z = 0; z < Z; z++) L += lam[z] * cap[z];
      const added: [number, number][] = [];
      for (let k = 0; k < F; k++) {
        const b = blocks[free[k]];
        let m = 0;
        for (const z of elig[k]) m = Math.max(m, b.values[z] - b.offValue - b.size * lam[z]);
        L += m;
        const mu = Math.abs(sol.rowDual[k]);
        for (const z of elig[k]) if (!active[k].has(z) && b.values[z] - b.offValue - b.size * lam[z] - mu > 1e-9 * Math.max(1, Math.abs(b.values[z]))) added.push([k, z]);
      }
      best = Math.min(best, L + offSum + fixedValue);
      const converged = L - lpObj <= 1e-7 * Math.max(1, Math.abs(L));
      if (converged || added.length === 0 || rounds >= 12) {
        for (let j = 0; j < colB.length; j++) {
          if (sol.colValue[j] > 1e-7) touched[colB[j]] = true;
          if (sol.colValue[j] > 1 - 1e-6) integral[colB[j]] = colZ[j];
        }
        // the restricted LP's value is the LP bound too once pricing finds no column to add
        if (added.length === 0) best = Math.min(best, Math.max(lpObj, 0) + offSum + fixedValue);
        return { bound: best, integral, touched, rounds, ms: now() - t0 };
      }
      for (const [k, z] of added) active[k].add(z);
      const c = columns(added);
      model.addCols({ cost: c.cost, lower: new Float64Array(c.n), upper: new Float64Array(c.n).fill(1), matrix: { format: 'csc', numRows: F + Z, numCols: c.n, starts: c.starts, indices: c.idx, values: c.val } });
    }
  } finally {
    model.dispose();
  }
}

function solveMip(highs: Highs, blocks: Block[], free: number[], elig: number[][], cap: Float64Array, fixedValue: number, start: (number | null)[], timeLimit: number) {
  const F = free.length;
  const Z = cap.length;
  const colB: number[] = [];
  const colZ: number[] = [];
  elig.forEach((e, k) => e.forEach((z) => (colB.push(k), colZ.push(z))));
  const n = colB.length;
  const offSum = free.reduce((s, bi) => s + blocks[bi].offValue, 0);
  const cost = new Float64Array(n);
  const starts = new Int32Array(n + 1);
  const idx = new Int32Array(2 * n);
  const val = new Float64Array(2 * n);
  const x0 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const b = blocks[free[colB[j]]];
    cost[j] = b.values[colZ[j]] - b.offValue;
    starts[j] = 2 * j;
    idx[2 * j] = colB[j];
    val[2 * j] = 1;
    idx[2 * j + 1] = F + colZ[j];
    val[2 * j + 1] = b.size;
    if (start[free[colB[j]]] === colZ[j]) x0[j] = 1;
  }
  starts[n] = 2 * n;
  const rowUpper = new Float64Array(F + Z);
  rowUpper.fill(1, 0, F);
  rowUpper.set(cap, F);
  const model = highs.createModel({
    numCols: n,
    numRows: F + Z,
    sense: highs.constants.objectiveSense.maximize,
    offset: offSum + fixedValue,
    colCost: cost,
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rowLower: new Float64Array(F + Z).fill(-highs.infinity),
    rowUpper,
    matrix: { format: 'csc', numRows: F + Z, numCols: n, starts, indices: idx, values: val },
    integrality: new Int32Array(n).fill(1),
  });
  try {
    model.options.set({ output_flag: false, time_limit: timeLimit, mip_rel_gap: 1e-6 });
    model.setSolution({ colValue: x0 });
    model.run();
    const x = model.getSolution().colValue;
    const at: (number | null)[] = new Array(F).fill(null);
    for (let j = 0; j < n; j++) if (x[j] > 0.5) at[colB[j]] = colZ[j];
    // verify feasibility ourselves (tolerances) before trusting the MIP's plan
    const used = new Float64Array(Z);
    at.forEach((z, k) => z != null && (used[z] += blocks[free[k]].size));
    const feasible = [...used].every((u, z) => u <= cap[z] + 1e-7);
    let objective = fixedValue;
    at.forEach((z, k) => (objective += z == null ? blocks[free[k]].offValue : blocks[free[k]].values[z]));
    const dual = Number(model.info.get('mip_dual_bound'));
    return { at: feasible ? at : start.filter((_, i) => blocks[i].pinned == null), objective: feasible ? objective : -Infinity, bound: Number.isFinite(dual) ? dual : Infinity };
  } finally {
    model.dispose();
  }
}

/** The greedy baseline on a whole problem (for the benchmark's ratio and the page's comparison). */
export function greedyPlacement(problem: PlacementProblem): { assignment: (number | null)[]; objective: number } {
  const blocks = buildBlocks(problem);
  const at = greedyAssign(blocks, capacityAfterPins(problem, blocks));
  const assignment: (number | null)[] = new Array(problem.units.length).fill(null);
  blocks.forEach((b, i) => b.members.forEach((u) => (assignment[u] = at[i])));
  return { assignment, objective: blockObjective(blocks, at) };
}
