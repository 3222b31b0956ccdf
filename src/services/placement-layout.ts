import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

/** Zone kinds of the layout editor (free text is allowed too; these get colours and default lifts). */
export const ZONE_KINDS = ['entrance', 'window', 'table', 'aisle_end', 'wall', 'fitting_route', 'back', 'floor'] as const;

const ZoneCode = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

export const SeasonalRuleSchema = z.object({
  months: z.array(z.number().int().min(1).max(12)).max(12).default([]),
  field: z.enum(['season', 'category', 'subcategory', 'article_type', 'gender']),
  value: z.string().min(1).max(100),
  zones: z.array(z.string().min(1).max(40)).max(100).default([]),
  boost: z.number().min(0).max(10).optional(),
});

export const SettingsSchema = z
  .object({
    granularity: z.enum(['sku', 'article_type', 'subcategory', 'category']).default('article_type'),
    splitByGender: z.boolean().default(true),
    keepTogether: z.enum(['none', 'style', 'category', 'subcategory']).default('none'),
    /** SKUs per capacity unit for category blocks; absent = auto (the assortment needs 125 % of the floor). */
    skusPerFacing: z.number().positive().max(10_000).optional(),
    horizonDays: z.number().int().min(1).max(365).default(28),
    /** Demand per SKU over the horizon when neither a forecast nor recent sales exist. */
    priorDemand: z.number().min(0).max(1e6).default(1),
    weights: z
      .object({ recommend: z.number().min(0).max(10).default(0.3), demographic: z.number().min(0).max(10).default(0.5), offFloorLift: z.number().min(0).max(5).default(0.1) })
      .default({ recommend: 0.3, demographic: 0.5, offFloorLift: 0.1 }),
    seasonalRules: z.array(SeasonalRuleSchema).max(200).default([]),
    /** Use learned lifts (when there is evidence) instead of the configured visibility. */
    useLearnedLift: z.boolean().default(true),
  })
  .strict();
export type PlacementSettings = z.infer<typeof SettingsSchema>;

export const LayoutZoneSchema = z
  .object({
    code: ZoneCode,
    name: z.string().trim().min(1).max(100),
    kind: z.string().trim().min(1).max(40).default('floor'),
    visibility: z.number().min(0).max(100),
    capacity: z.number().int().min(0).max(1_000_000),
    capacityUnit: z.enum(['facings', 'metres']).default('facings'),
    x: z.number().int().min(0).max(50).default(0),
    y: z.number().int().min(0).max(50).default(0),
    w: z.number().int().min(1).max(12).default(1),
    h: z.number().int().min(1).max(12).default(1),
    busyHours: z.array(z.number().int().min(0).max(23)).max(24).default([]),
  })
  .strict();

export const LayoutSchema = z
  .object({
    version: z.literal(1).default(1),
    location: ZoneCode,
    settings: SettingsSchema.default(SettingsSchema.parse({})),
    zones: z.array(LayoutZoneSchema).max(500),
    assignments: z.array(z.object({ unit: z.string().min(1).max(300), zone: ZoneCode, pinned: z.boolean().default(false) }).strict()).max(200_000).default([]),
  })
  .strict();
export type Layout = z.infer<typeof LayoutSchema>;
export type LayoutInput = z.input<typeof LayoutSchema>;

export async function locationId(db: Kysely<DB>, code: string): Promise<number> {
  const loc = await db.selectFrom('locations').select('id').where('code', '=', code).executeTakeFirst();
  if (!loc) throw new AppError('not_found', `location ${code} does not exist`, 'location');
  return loc.id;
}

export async function readSettings(db: Kysely<DB>, loc: number): Promise<PlacementSettings> {
  const row = await db.selectFrom('placement_settings').select('settings').where('location_id', '=', loc).executeTakeFirst();
  return SettingsSchema.parse(row?.settings ?? {});
}

export interface LayoutZone extends z.infer<typeof LayoutZoneSchema> {
  id: number;
  learnedLift: number | null;
  liftSd: number | null;
  liftEvidence: number;
  liftUpdatedAt: Date | null;
}

export async function readZones(db: Kysely<DB>, loc: number): Promise<LayoutZone[]> {
  const rows = await db
    .selectFrom('zones as z')
    .leftJoin('placement_zones as p', 'p.zone_id', 'z.id')
    .select([
      'z.id', 'z.code', 'z.name', 'z.kind', sql<number>`z.visibility::float8`.as('visibility'), 'z.capacity',
      'p.capacity_unit', 'p.grid_x', 'p.grid_y', 'p.grid_w', 'p.grid_h', 'p.busy_hours', 'p.lift_learned', 'p.lift_sd', 'p.lift_evidence', 'p.lift_updated_at',
    ])
    .where('z.location_id', '=', loc)
    .orderBy('z.id')
    .execute();
  return rows.map((r, i) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    visibility: Number(r.visibility),
    capacity: r.capacity ?? 0,
    capacityUnit: r.capacity_unit ?? 'facings',
    // zones without a grid position yet are laid out three per row
    x: r.grid_x ?? (i % 3) * 2,
    y: r.grid_y ?? Math.floor(i / 3),
    w: r.grid_w ?? 2,
    h: r.grid_h ?? 1,
    busyHours: r.busy_hours ?? [],
    learnedLift: r.lift_learned,
    liftSd: r.lift_sd,
    liftEvidence: Number(r.lift_evidence ?? 0),
    liftUpdatedAt: r.lift_updated_at,
  }));
}

export async function readAssignments(db: Kysely<DB>, loc: number) {
  return db
    .selectFrom('placement_assignments as a')
    .innerJoin('zones as z', 'z.id', 'a.zone_id')
    .select(['a.unit_key as unit', 'z.code as zone', 'a.pinned', 'a.valid_from as since'])
    .where('a.location_id', '=', loc)
    .where('a.valid_to', 'is', null)
    .orderBy('a.unit_key')
    .execute();
}

export async function exportLayout(db: Kysely<DB>, location: string): Promise<Layout> {
  const loc = await locationId(db, location);
  const [settings, zones, assignments] = await Promise.all([readSettings(db, loc), readZones(db, loc), readAssignments(db, loc)]);
  return {
    version: 1,
    location,
    settings,
    zones: zones.map(({ code, name, kind, visibility, capacity, capacityUnit, x, y, w, h, busyHours }) => ({ code, name, kind, visibility, capacity, capacityUnit, x, y, w, h, busyHours })),
    assignments: assignments.map((a) => ({ unit: a.unit, zone: a.zone, pinned: a.pinned })),
  };
}

/**
 * Replaces a location's layout in one transaction: zones are upserted by code (zones missing from the file
 * are kept, so their history stays), settings replaced, and the current assignments replaced (rows that
 * change are closed and reopened, so the history used for lift learning stays right). Audited with a summary.
 */
export async function importLayout(db: Kysely<DB>, input: unknown, actor: Actor, location?: string) {
  const layout = LayoutSchema.parse(input);
  const code = location ?? layout.location;
  const codes = new Set<string>();
  for (const z of layout.zones) {
    if (codes.has(z.code)) throw new AppError('invalid', `zone ${z.code} appears twice`, 'zones');
    codes.add(z.code);
  }
  return inTransaction(db, async (trx) => {
    const loc = await locationId(trx, code);
    // one writer per location at a time (concurrent imports / applies serialise here)
    await sql`select id from locations where id = ${loc} for update`.execute(trx);
    const before = await exportLayoutIn(trx, code, loc);
    for (const z of layout.zones) {
      const row = await trx
        .insertInto('zones')
        .values({ location_id: loc, code: z.code, name: z.name, kind: z.kind, visibility: z.visibility, capacity: z.capacity })
        .onConflict((oc) => oc.columns(['location_id', 'code']).doUpdateSet({ name: z.name, kind: z.kind, visibility: z.visibility, capacity: z.capacity }))
        .returning('id')
        .executeTakeFirstOrThrow();
      const grid = { grid_x: z.x, grid_y: z.y, grid_w: z.w, grid_h: z.h, busy_hours: z.busyHours, capacity_unit: z.capacityUnit };
      await trx.insertInto('placement_zones').values({ zone_id: row.id, ...grid }).onConflict((oc) => oc.column('zone_id').doUpdateSet(grid)).execute();
    }
    const zoneIds = new Map((await trx.selectFrom('zones').select(['id', 'code']).where('location_id', '=', loc).execute()).map((r) => [r.code, r.id]));
    const wanted = new Map<string, { zone: number; pinned: boolean }>();
    for (const a of layout.assignments) {
      const zone = zoneIds.get(a.zone);
      if (zone == null) throw new AppError('invalid', `assignment of ${a.unit}: zone ${a.zone} does not exist at ${code}`, 'assignments');
      if (wanted.has(a.unit)) throw new AppError('invalid', `unit ${a.unit} is assigned twice`, 'assignments');
      wanted.set(a.unit, { zone, pinned: a.pinned });
    }
    const changed = await replaceAssignments(trx, loc, wanted, null);
    await trx
      .insertInto('placement_settings')
      .values({ location_id: loc, settings: JSON.stringify(layout.settings) })
      .onConflict((oc) => oc.column('location_id').doUpdateSet({ settings: JSON.stringify(layout.settings), updated_at: new Date() }))
      .execute();
    const summary = { zones: layout.zones.length, assignments: wanted.size, assignmentsChanged: changed };
    await audit(trx, actor, 'placement.layout.import', 'location', code, { zones: before.zones.length, assignments: before.assignments.length }, summary);
    return summary;
  });
}

async function exportLayoutIn(trx: Transaction<DB>, code: string, _loc: number) {
  return exportLayout(trx, code);
}

/**
 * Makes the current assignments equal `wanted` (unit → zone, pinned): closes rows that differ or disappear,
 * opens rows for new or changed units. Returns how many units changed zone or pin.
 */
export async function replaceAssignments(trx: Transaction<DB>, loc: number, wanted: Map<string, { zone: number; pinned: boolean }>, planId: number | null, only?: Set<string>) {
  const now = new Date();
  const current = await trx.selectFrom('placement_assignments').select(['id', 'unit_key', 'zone_id', 'pinned']).where('location_id', '=', loc).where('valid_to', 'is', null).execute();
  const close: string[] = [];
  const keep = new Set<string>();
  for (const r of current) {
    if (only && !only.has(r.unit_key)) {
      keep.add(r.unit_key);
      continue;
    }
    const w = wanted.get(r.unit_key);
    if (w && w.zone === r.zone_id && w.pinned === r.pinned) keep.add(r.unit_key);
    else close.push(String(r.id));
  }
  for (let i = 0; i < close.length; i += 1000) await trx.updateTable('placement_assignments').set({ valid_to: now }).where('id', 'in', close.slice(i, i + 1000)).execute();
  const open = [...wanted].filter(([k]) => !keep.has(k) && (!only || only.has(k)));
  for (let i = 0; i < open.length; i += 1000) {
    await trx
      .insertInto('placement_assignments')
      .values(open.slice(i, i + 1000).map(([unit_key, w]) => ({ location_id: loc, unit_key, zone_id: w.zone, pinned: w.pinned, valid_from: now, plan_id: planId })))
      .execute();
  }
  return open.length + close.length - Math.min(open.length, close.length);
}
