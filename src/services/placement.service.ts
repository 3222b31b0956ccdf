import { sql } from 'kysely';
import { z } from 'zod';
import { highsSolver } from '../domain/placement/highs.ts';
import { learnLifts, type Spell } from '../domain/placement/lift.ts';
import { diffPlans } from '../domain/placement/moves.ts';
import { greedyPlacement, solvePlacement } from '../domain/placement/solve.ts';
import { buildUnits, unitKeyOf } from '../domain/placement/units.ts';
import { buildProblem, objectiveOf, usage, type ValueZone } from '../domain/placement/value.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { AppServices } from './index.ts';
import { readProducts, recommendationCounts, visitorCounts } from './placement-inputs.ts';
import { locationId, readAssignments, readSettings, readZones, replaceAssignments, SettingsSchema } from './placement-layout.ts';
import { inTransaction } from './transaction.ts';

/** What-if changes for one run (nothing is saved in the layout). */
export const WhatIfSchema = z
  .object({
    weights: z.object({ recommend: z.number().min(0).max(10), demographic: z.number().min(0).max(10), offFloorLift: z.number().min(0).max(5) }).partial().optional(),
    /** Zone lift overrides by zone code. */
    lifts: z.record(z.string(), z.number().min(0).max(100)).optional(),
    capacity: z.record(z.string(), z.number().int().min(0).max(1_000_000)).optional(),
    /** unit key → zone code (pin), or null (unpin). */
    pins: z.record(z.string(), z.string().nullable()).optional(),
    month: z.number().int().min(1).max(12).optional(),
  })
  .strict();
export type WhatIf = z.infer<typeof WhatIfSchema>;

export interface OptimiseOptions {
  whatIf?: WhatIf;
  /** Store the plan (a what-if preview can skip it). Default true. */
  save?: boolean;
  now?: Date;
}

/** Placement optimisation (issue 9): build the problem from the database, solve, store plans, apply them, learn lifts. */
export class PlacementService {
  constructor(readonly services: AppServices) {}

  get db() {
    return this.services.database.db;
  }

  async layout(location: string) {
    const loc = await locationId(this.db, location);
    const [settings, zones, assignments] = await Promise.all([readSettings(this.db, loc), readZones(this.db, loc), readAssignments(this.db, loc)]);
    return { location, settings, zones, assignments };
  }

  async optimise(location: string, actor: Actor, opts: OptimiseOptions = {}) {
    const t0 = performance.now();
    const loc = await locationId(this.db, location);
    const whatIf = WhatIfSchema.parse(opts.whatIf ?? {});
    const settings = SettingsSchema.parse(await readSettings(this.db, loc));
    const weights = { ...settings.weights, ...whatIf.weights };
    const zones = await readZones(this.db, loc);
    if (!zones.length) throw new AppError('invalid', `location ${location} has no zones: add them in the layout first`, 'zones');
    const assignments = await readAssignments(this.db, loc);
    const { products, sources } = await readProducts(this.db, loc, settings);
    const recs = await recommendationCounts(this.services, location);
    for (const p of products) p.recommended = recs.get(p.id) ?? 0;
    const visitors = await visitorCounts(this.db, loc);
    const totalCapacity = zones.reduce((a, z) => a + (whatIf.capacity?.[z.code] ?? z.capacity), 0);
    const skusPerFacing = settings.skusPerFacing ?? autoSkusPerFacing(products.length, totalCapacity, settings.granularity);
    const units = buildUnits(products, { ...settings, skusPerFacing });
    const current = new Map(assignments.map((a) => [a.unit, a]));
    const zoneCodes = new Set(zones.map((z) => z.code));
    for (const [unit, zone] of Object.entries(whatIf.pins ?? {})) {
      if (zone != null && !zoneCodes.has(zone)) throw new AppError('invalid', `pin ${unit}: zone ${zone} does not exist`, 'pins');
      if (!units.some((u) => u.key === unit)) throw new AppError('invalid', `pin: unit ${unit} is not placeable at ${location} (not in stock or not a ${settings.granularity} key)`, 'pins');
    }
    const liftOf = (z: (typeof zones)[number]) => whatIf.lifts?.[z.code] ?? (settings.useLearnedLift && z.learnedLift != null && z.liftEvidence > 0 ? z.learnedLift : z.visibility);
    const valueZones: ValueZone[] = zones.map((z) => ({ code: z.code, kind: z.kind, lift: liftOf(z), capacity: whatIf.capacity?.[z.code] ?? z.capacity, busyHours: z.busyHours }));
    const valueUnits = units.map((u) => {
      const a = current.get(u.key);
      const pin = whatIf.pins && u.key in whatIf.pins ? whatIf.pins[u.key] : a?.pinned ? a.zone : null;
      return { ...u, current: a?.zone ?? null, pinned: pin };
    });
    const month = whatIf.month ?? (opts.now ?? new Date()).getUTCMonth() + 1;
    const problem = buildProblem(valueZones, valueUnits, weights, settings.seasonalRules, visitors.counts, month);
    const highs = await highsSolver();
    const solution = solvePlacement(highs, problem);
    const greedy = greedyPlacement(problem);
    const before = problem.units.map((u) => u.current ?? null);
    const objectiveBefore = objectiveOf(problem, before);
    const diff = diffPlans(problem, units.map((u) => u.label), before, solution.assignment);
    const usedBefore = usage(problem, before);
    const usedAfter = usage(problem, solution.assignment);
    const zoneValue = (a: (number | null)[]) => {
      const v = problem.zones.map(() => 0);
      problem.units.forEach((u, i) => a[i] != null && (v[a[i]!] += u.values[a[i]!]));
      return v;
    };
    const vb = zoneValue(before);
    const va = zoneValue(solution.assignment);
    const result = {
      zones: zones.map((z, i) => ({ code: z.code, name: z.name, kind: z.kind, x: z.x, y: z.y, w: z.w, h: z.h, lift: valueZones[i].lift, capacity: valueZones[i].capacity, capacityUnit: z.capacityUnit, usedBefore: usedBefore[i], usedAfter: usedAfter[i], valueBefore: vb[i], valueAfter: va[i] })),
      units: units.map((u, i) => ({
        key: u.key, label: u.label, size: u.size, skus: u.productIds.length, demand: u.demand, margin: u.margin, recFrequency: u.recFrequency,
        before: before[i] == null ? null : problem.zones[before[i]!].code,
        after: solution.assignment[i] == null ? null : problem.zones[solution.assignment[i]!].code,
        pinned: valueUnits[i].pinned,
        valueAfter: solution.assignment[i] == null ? problem.units[i].offValue : problem.units[i].values[solution.assignment[i]!],
      })),
      moves: diff.moves,
      summary: diff.summary.map((s) => ({ ...s, fromName: zones.find((z) => z.code === s.from)?.name ?? 'off the floor', toName: zones.find((z) => z.code === s.to)?.name ?? 'off the floor' })),
      totalUplift: solution.objective - objectiveBefore,
      inputs: { skusPerFacing, demand: sources, recommended: recs.size, visitors: visitors.events, month, weights, horizonDays: settings.horizonDays, granularity: settings.granularity },
      solver: { method: solution.method, blocks: solution.blocks, lpRounds: solution.lpRounds, lpMs: Math.round(solution.lpMs), solveMs: Math.round(solution.ms) },
    };
    const ms = Math.round(performance.now() - t0);
    const row = { objectiveBefore, objectiveAfter: solution.objective, bound: solution.bound, gap: solution.gap, greedy: greedy.objective, method: solution.method, ms };
    let id: number | null = null;
    if (opts.save !== false) {
      id = await inTransaction(this.db, async (trx) => {
        const r = await trx
          .insertInto('placement_plans')
          .values({ location_id: loc, params: JSON.stringify({ whatIf, settings }), result: JSON.stringify(result), objective_before: objectiveBefore, objective_after: solution.objective, bound: solution.bound, gap: solution.gap, greedy: greedy.objective, method: solution.method, ms, created_by: actor.label })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, actor, 'placement.optimise', 'placement_plan', r.id, null, { location, moves: diff.moves.length, uplift: result.totalUplift, gap: solution.gap, whatIf });
        return r.id;
      });
    }
    return { id, location, status: 'proposed' as const, createdAt: new Date(), ...row, ...result };
  }

  async plans(location: string, limit = 20) {
    const loc = await locationId(this.db, location);
    return this.db
      .selectFrom('placement_plans')
      .select(['id', 'status', 'objective_before as objectiveBefore', 'objective_after as objectiveAfter', 'bound', 'gap', 'greedy', 'method', 'ms', 'created_by as createdBy', 'created_at as createdAt', 'applied_at as appliedAt', 'applied_by as appliedBy'])
      .where('location_id', '=', loc)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async plan(id: number) {
    const r = await this.db.selectFrom('placement_plans as p').innerJoin('locations as l', 'l.id', 'p.location_id').selectAll('p').select('l.code as location').where('p.id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('not_found', `plan ${id} does not exist`, 'id');
    const result = r.result as Record<string, unknown>;
    return { id: r.id, location: r.location, status: r.status, objectiveBefore: r.objective_before, objectiveAfter: r.objective_after, bound: r.bound, gap: r.gap, greedy: r.greedy, method: r.method, ms: r.ms, createdBy: r.created_by, createdAt: r.created_at, appliedAt: r.applied_at, appliedBy: r.applied_by, params: r.params, ...result };
  }

  /**
   * Applies a proposed plan: the moved units get new assignment rows (history kept), in one transaction with
   * the location locked, so two applies (or an apply and a layout import) cannot interleave. A plan whose
   * "before" no longer matches the current assignments is refused (409): re-run the optimiser.
   */
  async apply(id: number, actor: Actor) {
    return inTransaction(this.db, async (trx) => {
      const p = await trx.selectFrom('placement_plans').select(['id', 'location_id', 'status', 'result']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!p) throw new AppError('not_found', `plan ${id} does not exist`, 'id');
      if (p.status !== 'proposed') throw new AppError('conflict', `plan ${id} is ${p.status}; only a proposed plan can be applied`, 'id');
      await sql`select id from locations where id = ${p.location_id} for update`.execute(trx);
      const result = p.result as unknown as { units: { key: string; before: string | null; after: string | null; pinned: string | null }[] };
      const zoneIds = new Map((await trx.selectFrom('zones').select(['id', 'code']).where('location_id', '=', p.location_id).execute()).map((z) => [z.code, z.id]));
      const current = await trx.selectFrom('placement_assignments as a').innerJoin('zones as z', 'z.id', 'a.zone_id').select(['a.unit_key', 'z.code', 'a.pinned']).where('a.location_id', '=', p.location_id).where('a.valid_to', 'is', null).execute();
      const now = new Map(current.map((c) => [c.unit_key, c]));
      const stale = result.units.filter((u) => (now.get(u.key)?.code ?? null) !== u.before);
      if (stale.length) throw new AppError('conflict', `the layout changed since plan ${id} was made (${stale.length} unit(s), e.g. ${stale[0].key}); run the optimiser again`, 'id');
      const wanted = new Map<string, { zone: number; pinned: boolean }>();
      const touched = new Set<string>();
      for (const u of result.units) {
        if (u.before === u.after) continue;
        touched.add(u.key);
        if (u.after != null) {
          const zone = zoneIds.get(u.after);
          if (zone == null) throw new AppError('conflict', `zone ${u.after} of plan ${id} no longer exists`, 'id');
          wanted.set(u.key, { zone, pinned: now.get(u.key)?.pinned ?? false });
        }
      }
      await replaceAssignments(trx, p.location_id, wanted, id, touched);
      await trx.updateTable('placement_plans').set({ status: 'applied', applied_at: new Date(), applied_by: actor.label }).where('id', '=', id).execute();
      await trx.updateTable('placement_plans').set({ status: 'superseded' }).where('location_id', '=', p.location_id).where('status', '=', 'proposed').execute();
      await audit(trx, actor, 'placement.apply', 'placement_plan', id, null, { moved: touched.size });
      return { id, status: 'applied' as const, moved: touched.size };
    });
  }

  /**
   * Demo only (FASH1 of the demo loader): when a location has zones but no placement settings, write the
   * defaults, grid positions by zone kind, busy hours, and a starting layout "as found" (category blocks in
   * alphabetical order filling the zones in their order), so the page has a before to compare with.
   */
  async seedDemo(location: string, actor: Actor) {
    const loc = await locationId(this.db, location);
    if (await this.db.selectFrom('placement_settings').select('location_id').where('location_id', '=', loc).executeTakeFirst()) return false;
    const zones = await readZones(this.db, loc);
    if (!zones.length) return false;
    const settings = SettingsSchema.parse({ seasonalRules: [{ months: [6, 7, 8], field: 'season', value: 'Winter', zones: ['back', 'wall'] }, { months: [12, 1, 2], field: 'season', value: 'Summer', zones: ['back', 'wall'] }] });
    const { products } = await readProducts(this.db, loc, settings);
    const spf = autoSkusPerFacing(products.length, zones.reduce((a, z) => a + z.capacity, 0), settings.granularity);
    const units = buildUnits(products, { ...settings, skusPerFacing: spf });
    const room = zones.map((z) => z.capacity);
    const wanted = new Map<string, { zone: number; pinned: boolean }>();
    for (const u of units) {
      const i = room.findIndex((r) => r >= u.size);
      if (i < 0) continue;
      room[i] -= u.size;
      wanted.set(u.key, { zone: zones[i].id, pinned: false });
    }
    const GRID: Record<string, [number, number, number, number[]]> = {
      entrance: [2, 4, 2, [11, 12, 13, 17, 18]], window: [0, 4, 2, [12, 13, 17, 18]], table: [2, 3, 2, [12, 13, 14, 17]], aisle_end: [4, 2, 1, [12, 13, 17]],
      wall: [0, 1, 1, [14, 15, 16]], fitting_route: [4, 0, 2, [15, 16, 17]], back: [0, 0, 4, [10, 11, 15, 16]],
    };
    const seen = new Map<string, number>();
    await inTransaction(this.db, async (trx) => {
      for (const z of zones) {
        const [x, y, w, busy] = GRID[z.kind] ?? [0, 5, 1, []];
        const n = seen.get(z.kind) ?? 0;
        seen.set(z.kind, n + 1);
        const pos = { grid_x: z.kind === 'wall' ? (n ? 5 : 0) : x + n * w, grid_y: z.kind === 'wall' ? 1 : y, grid_w: w, grid_h: z.kind === 'wall' ? 2 : 1, busy_hours: busy };
        await trx.insertInto('placement_zones').values({ zone_id: z.id, ...pos }).onConflict((oc) => oc.column('zone_id').doUpdateSet(pos)).execute();
      }
      await replaceAssignments(trx, loc, wanted, null);
      await trx.insertInto('placement_settings').values({ location_id: loc, settings: JSON.stringify(settings) }).execute();
      await audit(trx, actor, 'placement.layout.seed', 'location', location, null, { zones: zones.length, assignments: wanted.size });
    });
    return true;
  }

  /**
   * Learns zone lifts from the assignment history and the sales at the location (lift.ts): every sale is
   * attributed to the zone its product's unit was assigned to at the time of the sale. Writes the posterior
   * mean and sd to placement_zones (audited) and returns the estimates.
   */
  async learn(location: string, actor: Actor, days = 365) {
    const loc = await locationId(this.db, location);
    const settings = await readSettings(this.db, loc);
    const zones = await readZones(this.db, loc);
    const end = new Date();
    const start = new Date(end.getTime() - days * 86_400_000);
    const history = await this.db
      .selectFrom('placement_assignments as a')
      .innerJoin('zones as z', 'z.id', 'a.zone_id')
      .select(['a.unit_key', 'z.code', 'a.valid_from', 'a.valid_to'])
      .where('a.location_id', '=', loc)
      .where((eb) => eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>', start)]))
      .execute();
    const sales = await sql<{ sku: string; category: string; subcategory: string | null; article_type: string | null; gender: string | null; t: Date; n: number }>`
      select p.sku, p.category, p.subcategory, p.article_type, p.gender, m.occurred_at as t, (-m.qty)::float8 as n
      from stock_movements m join products p on p.id = m.product_id
      where m.location_id = ${loc} and m.kind = 'sale' and m.occurred_at > ${start}`.execute(this.db);
    const spells: Spell[] = history.map((h) => {
      const from = Math.max(new Date(h.valid_from).getTime(), start.getTime());
      const to = h.valid_to ? new Date(h.valid_to).getTime() : end.getTime();
      return { unit: h.unit_key, zone: h.code, days: Math.max(0, (to - from) / 86_400_000), sold: 0, from, to } as Spell & { from: number; to: number };
    });
    const byUnit = new Map<string, (Spell & { from: number; to: number })[]>();
    for (const s of spells as (Spell & { from: number; to: number })[]) byUnit.set(s.unit, [...(byUnit.get(s.unit) ?? []), s]);
    let attributed = 0;
    for (const r of sales.rows) {
      const key = unitKeyOf({ sku: r.sku, category: r.category, subcategory: r.subcategory, articleType: r.article_type, gender: r.gender }, settings);
      const t = new Date(r.t).getTime();
      const s = byUnit.get(key)?.find((x) => x.from <= t && t < x.to);
      if (s) (s.sold += Number(r.n)), (attributed += Number(r.n));
    }
    const estimates = learnLifts(spells, new Map(zones.map((z) => [z.code, z.visibility])));
    await inTransaction(this.db, async (trx) => {
      for (const e of estimates) {
        const z = zones.find((x) => x.code === e.zone)!;
        const v = { lift_learned: e.lift, lift_sd: e.sd, lift_evidence: e.evidence, lift_updated_at: new Date() };
        await trx.insertInto('placement_zones').values({ zone_id: z.id, grid_x: z.x, grid_y: z.y, grid_w: z.w, grid_h: z.h, ...v }).onConflict((oc) => oc.column('zone_id').doUpdateSet(v)).execute();
      }
      await audit(trx, actor, 'placement.learn', 'location', location, null, { spells: spells.length, attributed, estimates });
    });
    return { location, spells: spells.length, salesAttributed: attributed, salesTotal: sales.rows.reduce((a, r) => a + Number(r.n), 0), estimates };
  }
}

/** Category blocks sized so the whole assortment needs 125 % of the floor: the plan also decides what stays off it. */
export function autoSkusPerFacing(skus: number, capacity: number, granularity: string): number {
  if (granularity === 'sku' || capacity <= 0) return 1;
  return Math.max(1, Math.ceil(skus / (1.25 * capacity)));
}

const cache = new WeakMap<AppServices, PlacementService>();
export function placementServiceOf(services: AppServices): PlacementService {
  let s = cache.get(services);
  if (!s) cache.set(services, (s = new PlacementService(services)));
  return s;
}
