import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { dropSchema, openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface DbTarget {
  kind: 'pglite' | 'postgres';
  open(): Promise<{ database: Database; cleanup(): Promise<void> }>;
}

/** PGlite always; PostgreSQL too when DATABASE_URL is set (each test file gets its own schema there). */
export function dbTargets(): DbTarget[] {
  const targets: DbTarget[] = [
    {
      kind: 'pglite',
      async open() {
        const database = await openDatabase({});
        await migrateToLatest(database);
        return { database, cleanup: () => database.close() };
      },
    },
  ];
  const url = process.env.DATABASE_URL;
  if (url) {
    targets.push({
      kind: 'postgres',
      async open() {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const database = await openDatabase({ url, schema, poolSize: 24 });
        await migrateToLatest(database);
        return {
          database,
          async cleanup() {
            await database.close();
            await dropSchema(url, schema);
          },
        };
      },
    });
  }
  return targets;
}

/** describe() once per database, with a migrated database shared by the tests inside. */
export function describeEachDb(title: string, body: (get: () => Database, kind: DbTarget['kind']) => void): void {
  for (const target of dbTargets()) {
    describe(`${title} [${target.kind}]`, () => {
      let database: Database;
      let cleanup: () => Promise<void>;
      before(async () => {
        ({ database, cleanup } = await target.open());
      });
      after(async () => {
        await cleanup?.();
      });
      body(() => database, target.kind);
    });
  }
}
