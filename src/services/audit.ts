import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Actor } from './actor.ts';

/** One row in audit_log, written in the caller's transaction so it exists exactly when the change does. */
export async function audit(
  trx: Transaction<DB>,
  actor: Actor,
  action: string,
  entity: string,
  entityId: string | number | null,
  before: unknown,
  after: unknown,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: actor.id,
      actor: actor.label,
      action,
      entity,
      entity_id: entityId === null ? null : String(entityId),
      before: before === undefined || before === null ? null : JSON.stringify(before),
      after: after === undefined || after === null ? null : JSON.stringify(after),
    })
    .execute();
}
