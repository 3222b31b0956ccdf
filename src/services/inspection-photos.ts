/**
 * Evidence photos of inspections, kept only when the store turns keepPhotos on (docs/inspection.md "Photos").
 * Files live under SHELFWISE_PHOTO_DIR (default ./data/inspection-photos), one per inspection, named by its id;
 * the database keeps the relative path and the expiry; purgeExpiredPhotos deletes them after the retention period.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { isPng } from '../vision/image-decode.ts';

export function photoDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SHELFWISE_PHOTO_DIR || './data/inspection-photos');
}

/** Writes the photo atomically (temp file + rename); returns the path relative to photoDir(). */
export function savePhoto(inspectionId: number, batchId: number, bytes: Uint8Array, dir = photoDir()): string {
  const rel = join(`batch-${batchId}`, `inspection-${inspectionId}.${isPng(bytes) ? 'png' : 'jpg'}`);
  const abs = join(dir, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(`${abs}.tmp`, bytes);
  renameSync(`${abs}.tmp`, abs);
  return rel;
}

export function readPhoto(rel: string, dir = photoDir()): Buffer {
  const abs = resolve(dir, rel);
  if (!abs.startsWith(dir)) throw new Error('photo path outside the photo folder');
  return readFileSync(abs);
}

export function deletePhoto(rel: string, dir = photoDir()): void {
  const abs = resolve(dir, rel);
  if (abs.startsWith(dir)) rmSync(abs, { force: true });
}

/** Deletes photos past their expiry (files first, then the paths); returns how many. */
export async function purgeExpiredPhotos(db: Kysely<DB>, now = new Date(), dir = photoDir()): Promise<number> {
  const rows = await db.selectFrom('inspections').select(['id', 'photo_path']).where('photo_path', 'is not', null).where('photo_expires_at', '<=', now).limit(10_000).execute();
  for (const r of rows) deletePhoto(r.photo_path!, dir);
  if (rows.length)
    await db
      .updateTable('inspections')
      .set({ photo_path: null, photo_bytes: null, photo_expires_at: null })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
  return rows.length;
}

/** How many photos are kept and their bytes (settings page). */
export async function photoStats(db: Kysely<DB>) {
  const r = await sql<{ n: number; bytes: number | null }>`select count(*)::int as n, sum(photo_bytes)::int8 as bytes from inspections where photo_path is not null`.execute(db);
  return { photos: r.rows[0].n, bytes: r.rows[0].bytes ?? 0 };
}
