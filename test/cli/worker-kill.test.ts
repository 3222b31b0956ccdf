import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dropSchema, openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { enqueue, getJob } from '../../src/services/jobs.service.ts';
import { ROOT, startCli } from '../helpers/cli.ts';

const url = process.env.DATABASE_URL;

/** Separate `shelfwise worker` processes share the queue only on PostgreSQL (PGlite is one process's file). */
describe('a worker killed mid-job (kill -9): another worker finishes it, no write is doubled [postgres]', { skip: url ? false : 'needs DATABASE_URL (PostgreSQL)' }, () => {
  const schema = `t_${randomBytes(5).toString('hex')}`;
  let database: Database;
  const env = { DATABASE_URL: url!, DATABASE_SCHEMA: schema, SHELFWISE_JOB_MODULES: resolve(ROOT, 'test/fixtures/slow-ledger-job.ts'), LOG_LEVEL: 'info' };
  before(async () => {
    database = await openDatabase({ url, schema });
    await migrateToLatest(database);
    const s = createServices(database);
    await s.catalog.createLocation(SYSTEM, { code: 'S1', name: 'Store', kind: 'store' });
    await s.catalog.createProduct(SYSTEM, { sku: 'BOX', name: 'Box', price: 1, cost: 1 });
  });
  after(async () => {
    await database?.close();
    if (url) await dropSchema(url, schema);
  });

  test('kill -9 after a few chunks; the lease runs out; a second worker resumes and completes the job', { timeout: 180_000 }, async () => {
    const { db } = database;
    const CHUNKS = 30;
    const id = await enqueue(db, 'test.ledger-batches', { chunks: CHUNKS, qty: 3, sku: 'BOX', location: 'S1', delayMs: 150 });
    const a = startCli(['worker', '--lease', '2', '--poll', '100', '--types', 'test.ledger-batches'], env);
    let aOut = '';
    a.stderr!.on('data', (d) => (aOut += d));
    const aClosed = new Promise((r) => a.on('close', r));
    const deadline = Date.now() + 120_000;
    while ((await getJob(db, id)).progress.done < 5) {
      assert.ok(Date.now() < deadline, `worker A made no progress:\n${aOut}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    a.kill('SIGKILL');
    await aClosed;
    const mid = await getJob(db, id);
    assert.equal(mid.status, 'running', 'killed mid-job: still leased to the dead worker');
    assert.ok(mid.progress.done < CHUNKS);
    const b = startCli(['worker', '--lease', '2', '--poll', '100', '--types', 'test.ledger-batches', '--max-jobs', '1'], env);
    let bOut = '';
    b.stdout!.on('data', (d) => (bOut += d));
    b.stderr!.on('data', (d) => (bOut += d));
    const code = await new Promise((r) => b.on('close', r));
    assert.equal(code, 0, bOut);
    const j = await getJob(db, id);
    assert.equal(j.status, 'done', bOut);
    assert.equal(j.attempts, 2);
    assert.notEqual(j.lockedBy, mid.lockedBy);
    assert.ok((j.result as { from: number }).from >= 5, 'the second worker resumed from the saved state');
    const moves = await db.selectFrom('stock_movements').select(['qty', 'reason']).execute();
    assert.equal(moves.length, CHUNKS, 'one receipt per chunk, none doubled');
    assert.equal(new Set(moves.map((m) => m.reason)).size, CHUNKS);
    const level = await db.selectFrom('stock_levels').select('on_hand').executeTakeFirstOrThrow();
    assert.equal(level.on_hand, CHUNKS * 3);
    assert.deepEqual(await createServices(database).inventory.checkLedger(), []);
  });
});
