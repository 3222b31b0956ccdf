import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure

/** Runs fn in one transaction; retries a few times when PostgreSQL reports a deadlock. */
export async function inTransaction<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt < 4 && code && RETRYABLE.has(code)) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw e;
    }
  }
}

export interface Idempotent<T> {
  result: T;
  replayed: boolean;
}

/**
 * Runs fn once per (actor, key): a repeated key returns the first result and writes nothing.
 * The key row is inserted first in the same transaction, so a concurrent request with the same key waits
 * on the unique index and then sees the committed result (or takes over if the first one rolled back).
 */
export async function idempotent<T>(
  db: Kysely<DB>,
  actor: Actor,
  key: string | undefined,
  request: unknown,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<Idempotent<T>> {
  if (!key) return { result: jsonSafe(await inTransaction(db, fn)), replayed: false };
  if (key.length > 200) throw new AppError('invalid', 'idempotency key is longer than 200 characters', 'Idempotency-Key');
  const scoped = `${actor.id ?? actor.label}:${key}`;
  const hash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  return inTransaction(db, async (trx) => {
    const mine = await trx
      .insertInto('idempotency_keys')
      .values({ key: scoped, request_hash: hash })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!mine) {
      const prev = await trx.selectFrom('idempotency_keys').select(['request_hash', 'response']).where('key', '=', scoped).executeTakeFirstOrThrow();
      if (prev.request_hash !== hash)
        throw new AppError('conflict', 'this idempotency key was already used with a different request', 'Idempotency-Key');
      return { result: prev.response as T, replayed: true };
    }
    const result = jsonSafe(await fn(trx));
    await trx.updateTable('idempotency_keys').set({ response: JSON.stringify(result) }).where('key', '=', scoped).execute();
    return { result, replayed: false };
  });
}

/** The first answer and a replay must look the same, so both go through JSON. */
function jsonSafe<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
