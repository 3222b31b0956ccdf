/**
 * Placement optimiser at the size: 5,000 SKUs across 40 zones (floors: ≤ 5 s, within 2 % of the LP
 * bound), with keep-together styles, pinned items and seasonal rules, against the greedy baseline
 * ("best sellers per facing into the most visible zone with room") in the same process.
 *   npx tsx bench/placement.bench.ts [skus] [zones]
 */
import { highsSolver } from '../src/domain/placement/highs.ts';
import { greedyPlacement, solvePlacement } from '../src/domain/placement/solve.ts';
import type { PlacementProblem, SolverUnit } from '../src/domain/placement/types.ts';

const N = Number(process.argv[2] ?? 5000);
const Z = Number(process.argv[3] ?? 40);

function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function instance(seed: number): PlacementProblem {
  const r = rng(seed);
  const kinds = ['entrance', 'window', 'table', 'aisle_end', 'wall', 'fitting_route', 'back'];
  const zones = Array.from({ length: Z }, (_, z) => ({ code: `Z${z}`, kind: kinds[z % kinds.length], capacity: 0 }));
  const lift = zones.map((z) => ({ entrance: 1.6, window: 1.5, table: 1.3, aisle_end: 1.2, wall: 0.9, fitting_route: 1.1, back: 0.6 })[z.kind]! * (0.85 + 0.3 * r()));
  // demographic mix per zone: share of women among visitors in the zone's busy hours
  const womenShare = zones.map(() => 0.35 + 0.3 * r());
  const units: SolverUnit[] = [];
  let sizeSum = 0;
  for (let i = 0; i < N; i++) {
    const demand = 0.2 + 20 * r() ** 3; // units / 4 weeks, long tail
    const margin = 5 + 40 * r();
    const rec = 1 + 0.3 * r(); // recommendation boost
    const women = r() < 0.5;
    const size = 1 + Math.floor(r() * 3);
    sizeSum += size;
    const values = lift.map((l, z) => demand * rec * margin * l * (women ? womenShare[z] / 0.5 : (1 - womenShare[z]) / 0.5));
    const u: SolverUnit = { key: `SKU${i}`, size, values, offValue: demand * margin * 0.1 };
    if (r() < 0.4) u.group = `STYLE${Math.floor(i / 3)}`; // colour/size variants of a style stay together
    if (r() < 0.1) u.allowed = zones.map((_, z) => z).filter((z) => zones[z].kind !== 'window' && zones[z].kind !== 'entrance'); // off-season
    units.push(u);
  }
  // the floor holds about 70 % of the assortment
  zones.forEach((z, k) => (z.capacity = Math.round((sizeSum * 0.7 * (0.5 + r())) / Z) + (k < 2 ? 10 : 0)));
  for (let k = 0; k < 50; k++) {
    const i = Math.floor(r() * N);
    if (units[i].group == null) units[i].pinned = Math.floor(r() * Z), (units[i].allowed = null);
  }
  return { zones: zones.map(({ code, capacity }) => ({ code, capacity })), units };
}

const highs = await highsSolver();
console.log(`placement: ${N.toLocaleString()} SKUs × ${Z} zones (keep-together styles, 10 % seasonal rules, pins)`);
const rows: string[] = [];
for (const seed of [1, 2, 3]) {
  const p = instance(seed);
  const tg = performance.now();
  const greedy = greedyPlacement(p);
  const gMs = performance.now() - tg;
  const cpu0 = process.cpuUsage();
  const s = solvePlacement(highs, p);
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const ratio = s.objective / greedy.objective;
  rows.push(
    `seed ${seed}: ${s.blocks} blocks, optimiser ${(s.ms / 1000).toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU (LP ${(s.lpMs / 1000).toFixed(2)} s, ${s.lpRounds} pricing rounds, ${s.method}), ` +
      `gap to LP bound ${(s.gap * 100).toFixed(3)} %, objective ${s.objective.toFixed(0)} vs greedy ${greedy.objective.toFixed(0)} (${gMs.toFixed(0)} ms): ×${ratio.toFixed(4)}` +
      `${s.ms <= 5000 && s.gap <= 0.02 ? '' : '  ← misses a floor (≤ 5 s, ≤ 2 %)'}`,
  );
  console.log(rows.at(-1));
}
