import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { ImportService, type ImportKind, type ImportOptions, type ImportReport } from './import.service.ts';
import { enqueue } from './jobs.service.ts';
import { inTransaction } from './transaction.ts';

/**
 * Imports from the dashboard: the upload is stored with its job in one transaction (the job exists exactly when
 * the file does), and the `import.run` job (src/jobs/handlers.ts) imports it with the same ImportService as the
 * CLI — all or nothing, every bad row with its line — reporting progress on the job. The bytes live in the
 * database (import_uploads) so a worker on another machine can read them; they are deleted when the job ends.
 */

/** Largest upload accepted (the whole Online Retail CSV is 45 MB). */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** Bad rows kept in a job's result (the count is always whole). */
export const BAD_ROWS_IN_RESULT = 1000;

export interface UploadInput {
  kind: ImportKind;
  fileName: string;
  content: Uint8Array;
  options: Pick<ImportOptions, 'location' | 'skipBad' | 'allowNegative' | 'dryRun'>;
}

export interface ImportJobResult {
  kind: ImportKind;
  file: string;
  rows: number;
  written: number;
  committed: boolean;
  dryRun: boolean;
  badCount: number;
  bad: ImportReport['bad'];
  ms: number;
  /** True when a retried job found its import already committed by an earlier attempt. */
  resumed?: boolean;
}

export async function enqueueImport(db: Kysely<DB>, actor: Actor, u: UploadInput): Promise<{ jobId: number; uploadId: number }> {
  const name = u.fileName.replace(/[\\/]/g, '_').trim().slice(0, 200);
  const ext = extname(name).toLowerCase();
  if (!['.csv', '.txt', '.xlsx'].includes(ext)) throw new AppError('invalid', `the file must be .csv or .xlsx (got "${name || '(no name)'}")`, 'file');
  if (u.content.byteLength === 0) throw new AppError('invalid', 'the file is empty', 'file');
  if (u.content.byteLength > MAX_IMPORT_BYTES) throw new AppError('invalid', `the file is larger than ${MAX_IMPORT_BYTES / 1048576} MB: import it with the CLI`, 'file');
  return inTransaction(db, async (trx) => {
    const up = await trx
      .insertInto('import_uploads')
      .values({ kind: u.kind, file_name: name, options: JSON.stringify(u.options), content: u.content, size: u.content.byteLength, actor: actor.label })
      .returning('id')
      .executeTakeFirstOrThrow();
    // One attempt per failure cause that retrying cannot fix is handled by the handler (AppError 'invalid' fails at
    // once); a worker that dies mid-import is retried, and the import's job_id makes the retry a no-op.
    const jobId = await enqueue(trx, 'import.run', { uploadId: Number(up.id), actor: actor.label, kind: u.kind, file: name }, { actor: actor.label, maxAttempts: 3, priority: 50 });
    return { jobId, uploadId: Number(up.id) };
  });
}

/** The job's work: import the upload (once, even when retried), then delete it. */
export async function runImportJob(
  db: Kysely<DB>,
  jobId: number,
  payload: { uploadId?: number; actor?: string },
  progress: (done: number, total: number, note: string, force?: boolean) => Promise<void>,
): Promise<ImportJobResult> {
  const done = await db.selectFrom('imports').select(['kind', 'file', 'rows', 'skipped']).where('job_id', '=', jobId).executeTakeFirst();
  if (done) {
    await db.deleteFrom('import_uploads').where('id', '=', payload.uploadId ?? -1).execute();
    return { kind: done.kind as ImportKind, file: done.file, rows: done.rows + done.skipped, written: done.rows, committed: true, dryRun: false, badCount: done.skipped, bad: [], ms: 0, resumed: true };
  }
  const up = await db.selectFrom('import_uploads').selectAll().where('id', '=', payload.uploadId ?? -1).executeTakeFirst();
  if (!up) throw new AppError('not_found', `upload ${payload.uploadId} is gone (the import already ran or was cleaned up)`, 'uploadId');
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-import-'));
  try {
    const file = join(dir, up.file_name);
    writeFileSync(file, up.content);
    const opts = (up.options ?? {}) as UploadInput['options'];
    const actor: Actor = { id: null, label: payload.actor ?? up.actor, role: 'system' };
    const r = await new ImportService(db).importFile(actor, up.kind, file, { ...opts, jobId }, (p) =>
      void progress(p.done, p.total, p.phase === 'read' ? `reading ${up.file_name}` : `writing ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} rows`).catch(() => {}),
    );
    await db.deleteFrom('import_uploads').where('id', '=', up.id).execute();
    await progress(r.rows, r.rows, r.committed ? `${r.written.toLocaleString('en')} rows written` : opts.dryRun ? 'checked (dry run)' : `nothing written: ${r.bad.length.toLocaleString('en')} bad rows`, true);
    return { kind: r.kind, file: up.file_name, rows: r.rows, written: r.written, committed: r.committed, dryRun: !!opts.dryRun, badCount: r.bad.length, bad: r.bad.slice(0, BAD_ROWS_IN_RESULT), ms: r.ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Recent imports (CLI and dashboard), newest first. */
export async function listImports(db: Kysely<DB>, limit = 20) {
  const rows = await db.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, file: r.file, rows: r.rows, skipped: r.skipped, actor: r.actor, startedAt: r.started_at, finishedAt: r.finished_at, jobId: r.job_id }));
}
