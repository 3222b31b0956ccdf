import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

/** Inspection settings (one row 'inspection' in the settings table; docs/inspection.md "Configuration"). */
export const InspectionSettingsSchema = z
  .object({
    /** Default sampling plan of a new receipt: inspect every unit, or n of N with acceptance number acceptMax. */
    sampling: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('all') }).strict(),
      z.object({ mode: z.literal('sample'), n: z.number().int().min(1).max(10_000), acceptMax: z.number().int().min(0).max(10_000) }).strict(),
    ]),
    /** Supplier alert when its defect rate over the window is above this (0..1). */
    alertThreshold: z.number().min(0).max(1),
    alertWindowDays: z.number().int().min(1).max(3650),
    /** No alert before this many units of the supplier were inspected in the window. */
    alertMinInspected: z.number().int().min(1).max(1_000_000),
    /** Keep photos as evidence for supplier claims (off: a photo is classified in memory and never written). */
    keepPhotos: z.boolean(),
    photoRetentionDays: z.number().int().min(1).max(3650),
    /** Location that receives defective units (default: the first location of kind quarantine). */
    quarantineLocation: z.string().trim().min(1).max(32).nullable(),
  })
  .strict();
export type InspectionSettings = z.infer<typeof InspectionSettingsSchema>;

export const DEFAULT_INSPECTION_SETTINGS: InspectionSettings = {
  sampling: { mode: 'all' },
  alertThreshold: 0.05,
  alertWindowDays: 90,
  alertMinInspected: 20,
  keepPhotos: false,
  photoRetentionDays: 90,
  quarantineLocation: null,
};

export async function readInspectionSettings(db: Kysely<DB> | Transaction<DB>): Promise<InspectionSettings> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', 'inspection').executeTakeFirst();
  return { ...DEFAULT_INSPECTION_SETTINGS, ...((r?.value as Partial<InspectionSettings> | undefined) ?? {}) };
}

/** Merges a patch into the settings (validated as a whole), audited. */
export async function writeInspectionSettings(db: Kysely<DB>, actor: Actor, patch: Partial<InspectionSettings>): Promise<InspectionSettings> {
  return inTransaction(db, async (trx) => {
    const before = await readInspectionSettings(trx);
    const next = InspectionSettingsSchema.parse({ ...before, ...patch });
    await trx
      .insertInto('settings')
      .values({ key: 'inspection', value: JSON.stringify(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: new Date() }))
      .execute();
    await audit(trx, actor, 'settings.update', 'settings', 'inspection', before, next);
    return next;
  });
}
