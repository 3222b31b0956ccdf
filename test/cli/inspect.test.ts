import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { loadTildaStain } from '../../src/vision/datasets.ts';
import { runCli } from '../helpers/cli.ts';

const rows = loadTildaStain()?.filter((r) => r.fair && r.split === 'test') ?? null;
const skip = rows ? false : 'tilda_stain not found (set SHELFWISE_DATA or provide ../shared/data/defects/tilda_stain)';

describe('shelfwise inspect (CLI, embedded database)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-inspect-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0', SHELFWISE_PHOTO_DIR: join(dir, 'photos') };
  const stain = rows?.filter((r) => r.defective).map((r) => r.path) ?? [];
  const clean = rows?.filter((r) => !r.defective).map((r) => r.path) ?? [];
  const onHand = async (sku: string, loc: string) => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    try {
      const r = await database.db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').innerJoin('locations as l', 'l.id', 's.location_id').select('s.on_hand').where('p.sku', '=', sku).where('l.code', '=', loc).executeTakeFirst();
      return r?.on_hand ?? 0;
    } finally {
      await database.close();
    }
  };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    const s = createServices(database);
    await s.catalog.createLocation(SYSTEM, { code: 'S1', name: 'Store', kind: 'store' });
    await s.catalog.createLocation(SYSTEM, { code: 'QUAR', name: 'Quarantine', kind: 'quarantine' });
    await s.catalog.upsertSupplier(SYSTEM, { code: 'FAB', name: 'Fabric mill' });
    await s.catalog.createProduct(SYSTEM, { sku: 'SHIRT', name: 'Shirt', price: 20, cost: 8 });
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('photo classifies real photos without a database (JSON)', async () => {
    const r = await runCli(['inspect', 'photo', stain[0], clean[0], '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.map((x: { defective: boolean }) => x.defective), [true, false]);
    assert.ok(out[0].region, 'the stain has a region');
  });

  test('receipt: open, classify, override one, close; quarantine gets the defective; dispose; quality', async () => {
    const r = await runCli(['inspect', 'receipt', '--supplier', 'FAB', '--sku', 'SHIRT', '--location', 'S1', '--qty', '4', '--all', '--po', '5', '--photo', stain[0], '--photo', stain[1], '--photo', clean[0], '--photo', clean[1], '--defective', clean[1]], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /→ overridden: DEFECTIVE/);
    assert.match(r.stdout, /closed: 1 into S1, 3 into quarantine QUAR/);
    assert.equal(await onHand('SHIRT', 'QUAR'), 3);
    assert.equal(await onHand('SHIRT', 'S1'), 1);
    const d = await runCli(['inspect', 'dispose', '1', '--return', '--qty', '2'], env);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /return_to_supplier -2 at QUAR; credit-note line #1: 2 × 8 = 16/);
    const q = await runCli(['inspect', 'quality', '--json'], env);
    assert.equal(q.code, 0, q.stderr);
    const qj = JSON.parse(q.stdout);
    assert.deepEqual([qj.suppliers[0].window.inspected, qj.suppliers[0].window.defective], [4, 3]);
    const l = await runCli(['inspect', 'list', '--quarantined'], env);
    assert.match(l.stdout, /#1 closed FAB SHIRT ×4 → S1: 4\/4 inspected, 3 defective; 1 good, 1 in quarantine/);
  });

  test('bad input exits non-zero with the reason', async () => {
    const a = await runCli(['inspect', 'receipt', '--supplier', 'FAB', '--sku', 'SHIRT', '--location', 'S1', '--qty', 'ten'], env);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /qty/);
    const b = await runCli(['inspect', 'receipt', '--supplier', 'NOPE', '--sku', 'SHIRT', '--location', 'S1', '--qty', '3'], env);
    assert.equal(b.code, 4);
    assert.match(b.stderr, /unknown supplier NOPE/);
    const c = await runCli(['inspect', 'dispose', '1', '--write-off', '--qty', '5'], env);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /only 1 unit/);
    const d = await runCli(['inspect', 'photo', join(dir, 'missing.jpg')], env);
    assert.equal(d.code, 4);
    const e = await runCli(['inspect', 'photo', join(import.meta.dirname, 'inspect.test.ts')], env);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /JPEG or PNG/);
  });
});
