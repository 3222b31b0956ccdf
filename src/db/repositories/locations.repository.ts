import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import type { DB } from '../schema.ts';

/** The id of a location code for a report's optional `location` filter: null when no code, 404 when unknown. */
export async function optionalLocationId(db: Kysely<DB>, code: string | undefined): Promise<number | null> {
  if (!code) return null;
  const l = await db.selectFrom('locations').select('id').where('code', '=', code).executeTakeFirst();
  if (!l) throw new AppError('not_found', `unknown location ${code}`, 'location');
  return l.id;
}
