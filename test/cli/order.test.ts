import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { createStorefront } from '../../src/services/storefront.service.ts';
import { runCli } from '../helpers/cli.ts';

describe('shelfwise order (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-order-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  let ref = '';
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    const s = createServices(database);
    await s.catalog.createLocation(SYSTEM, { code: 'WEB', name: 'Web', kind: 'warehouse' });
    await s.catalog.createProduct(SYSTEM, { sku: 'SOCK', name: 'Wool socks', price: 6, cost: 2 });
    await s.inventory.postMovements(SYSTEM, [{ sku: 'SOCK', location: 'WEB', kind: 'receipt', qty: 10 }]);
    const r = await createStorefront(s, { location: 'WEB' }).checkout.checkout({ email: 'c@example.com', name: 'Cy', provider: 'in_store', lines: [{ sku: 'SOCK', qty: 3 }] });
    ref = r.ref;
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('list, show, refund part of an order, bad input exits 2', async () => {
    const l = await runCli(['order', 'list'], env);
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, new RegExp(`${ref}\\s+confirmed\\s+due\\s+18\\.00\\s+3`));
    const s = await runCli(['order', 'show', ref], env);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /movement #\d+ sale SOCK -3 → 7/);
    const r = await runCli(['order', 'refund', ref, '--line', 'SOCK=1', '--reason', 'hole'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /refunded 6\.00, now partially_refunded; SOCK \+1 → 8/);
    const bad = await runCli(['order', 'refund', ref, '--line', 'SOCK=9'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /only 2 of SOCK/);
    assert.equal((await runCli(['order', 'list', '--status', 'lost'], env)).code, 2);
    assert.equal((await runCli(['order', 'show', 'SW-NOPE'], env)).code, 4);
    const x = await runCli(['order', 'release-expired'], env);
    assert.match(x.stdout, /released 0 expired/);
  });
});
