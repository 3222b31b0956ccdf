import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AGE_GROUPS, type AgeGroup } from '../domain/vision/age-groups.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { AppServices } from './index.ts';
import { inTransaction } from './transaction.ts';

/**
 * Camera features of a store (issue 8): the settings (retention, per-store switch), the anonymous events
 * (time, location/zone, age band, gender, confidence, dwell) and their automatic deletion. Frames never reach
 * this service: the kiosk socket and the CLI watcher hand it finished events only (docs/vision.md).
 */
export interface VisionSettings {
  /** Events older than this many days are deleted (scheduler, daily). */
  retentionDays: number;
  /** Location codes where the camera features are switched off (kiosk refuses, watcher refuses, nothing is recorded). */
  disabledLocations: string[];
}
export const DEFAULT_VISION_SETTINGS: VisionSettings = { retentionDays: 90, disabledLocations: [] };
const SETTINGS_KEY = 'vision';

export interface NewVisionEvent {
  at: Date;
  location: string;
  zone?: string | null;
  /** 'demo' = the demo store's events (src/demo/kiosk-demo.ts). */
  source: 'kiosk' | 'camera' | 'demo';
  ageGroup: AgeGroup;
  gender: 'male' | 'female';
  confidence: number;
  dwellMs: number;
  /** Product ids the kiosk showed this person (catalog ids only). */
  recommended?: number[];
}

export async function readVisionSettings(db: Kysely<DB>): Promise<VisionSettings> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
  return { ...DEFAULT_VISION_SETTINGS, ...((r?.value as Partial<VisionSettings> | undefined) ?? {}) };
}

export class VisionService {
  constructor(readonly db: Kysely<DB>) {}

  settings(): Promise<VisionSettings> {
    return readVisionSettings(this.db);
  }

  /** Changes retention and/or the per-store switch (audited). Unknown location codes are refused. */
  async updateSettings(actor: Actor, patch: Partial<VisionSettings>): Promise<VisionSettings> {
    if (patch.retentionDays !== undefined && !(Number.isInteger(patch.retentionDays) && patch.retentionDays >= 1 && patch.retentionDays <= 3650)) {
      throw new AppError('invalid', 'retentionDays must be a whole number of days from 1 to 3650', 'retentionDays');
    }
    return inTransaction(this.db, async (trx) => {
      if (patch.disabledLocations?.length) {
        const codes = [...new Set(patch.disabledLocations)];
        const found = await trx.selectFrom('locations').select('code').where('code', 'in', codes).execute();
        const missing = codes.filter((c) => !found.some((f) => f.code === c));
        if (missing.length) throw new AppError('not_found', `no location ${missing.join(', ')}`, 'disabledLocations');
        patch = { ...patch, disabledLocations: codes.sort() };
      }
      const before = await readVisionSettings(trx);
      const next = { ...before, ...patch };
      await trx
        .insertInto('settings')
        .values({ key: SETTINGS_KEY, value: JSON.stringify(next) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: new Date() }))
        .execute();
      await audit(trx, actor, 'vision.settings.update', 'settings', SETTINGS_KEY, before, next);
      return next;
    });
  }

  /** The location row for a code, refusing unknown codes and stores where the camera is switched off. */
  async cameraLocation(code: string | undefined): Promise<{ id: number; code: string; name: string }> {
    const loc = code
      ? await this.db.selectFrom('locations').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst()
      : await this.db.selectFrom('locations').select(['id', 'code', 'name']).where('kind', '=', 'store').orderBy('id').limit(1).executeTakeFirst();
    if (!loc) throw new AppError('not_found', code ? `no location ${code}` : 'no store location yet: create one first', 'location');
    const s = await this.settings();
    if (s.disabledLocations.includes(loc.code)) throw new AppError('forbidden', `camera features are switched off for ${loc.code} (vision settings)`, 'location');
    return loc;
  }

  /** Stores finished anonymous events in one transaction; refuses stores where the camera is off. */
  async recordEvents(events: NewVisionEvent[]): Promise<number> {
    if (!events.length) return 0;
    for (const e of events) {
      if (!AGE_GROUPS.includes(e.ageGroup)) throw new AppError('invalid', `unknown age group ${e.ageGroup}`, 'ageGroup');
      if (!(e.confidence >= 0 && e.confidence <= 1)) throw new AppError('invalid', 'confidence must be within 0..1', 'confidence');
    }
    return inTransaction(this.db, async (trx) => {
      const s = await readVisionSettings(trx);
      const codes = [...new Set(events.map((e) => e.location))];
      const locs = await trx.selectFrom('locations').select(['id', 'code']).where('code', 'in', codes).execute();
      const idOf = new Map(locs.map((l) => [l.code, l.id]));
      for (const c of codes) {
        if (!idOf.has(c)) throw new AppError('not_found', `no location ${c}`, 'location');
        if (s.disabledLocations.includes(c)) throw new AppError('forbidden', `camera features are switched off for ${c} (vision settings)`, 'location');
      }
      await trx
        .insertInto('vision_events')
        .values(
          events.map((e) => ({
            occurred_at: e.at,
            location_id: idOf.get(e.location)!,
            zone: e.zone ?? null,
            source: e.source,
            age_group: e.ageGroup,
            gender: e.gender,
            confidence: Math.round(e.confidence * 1000) / 1000,
            dwell_ms: Math.max(0, Math.round(e.dwellMs)),
            recommended: [...new Set(e.recommended ?? [])].filter((x) => Number.isInteger(x)),
          })),
        )
        .execute();
      return events.length;
    });
  }

  /**
   * Deletes events older than the retention setting (what the scheduler calls daily). The purge itself is
   * audited with the cutoff and the count; the deleted rows are anonymous, so nothing else is kept.
   */
  async purgeExpired(actor: Actor, now = new Date()): Promise<{ deleted: number; cutoff: Date; retentionDays: number }> {
    return inTransaction(this.db, async (trx) => {
      const { retentionDays } = await readVisionSettings(trx);
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
      const r = await trx.deleteFrom('vision_events').where('occurred_at', '<', cutoff).executeTakeFirst();
      const deleted = Number(r.numDeletedRows);
      if (deleted > 0) await audit(trx, actor, 'vision.purge', 'vision_events', null, null, { deleted, cutoff: cutoff.toISOString(), retentionDays });
      return { deleted, cutoff, retentionDays };
    });
  }

  async countEvents(location?: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from vision_events e
      ${location ? sql`join locations l on l.id = e.location_id where l.code = ${location}` : sql``}`.execute(this.db);
    return r.rows[0].n;
  }
}

const cache = new WeakMap<AppServices, VisionService>();
export function visionServiceOf(services: AppServices): VisionService {
  let s = cache.get(services);
  if (!s) cache.set(services, (s = new VisionService(services.database.db)));
  return s;
}
