import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { layout, seedPlacementStore } from '../helpers/placement-data.ts';

describe('shelfwise placement (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-placement-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    await seedPlacementStore(database);
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('layout import → export round trip, plan --json, apply, learn; bad input exits 2', async () => {
    const file = join(dir, 'layout.json');
    writeFileSync(file, JSON.stringify(layout));
    const imp = await runCli(['placement', 'layout', 'import', file], env);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout, /imported 3 zones, 3 assignments/);
    const out = join(dir, 'out.json');
    const exp = await runCli(['placement', 'layout', 'export', '--out', out], env);
    assert.equal(exp.code, 0, exp.stderr);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).zones.map((z: { code: string }) => z.code), ['WIN', 'WALL', 'BACK']);

    const plan = await runCli(['placement', 'plan', '--json'], env);
    assert.equal(plan.code, 0, plan.stderr);
    const p = JSON.parse(plan.stdout);
    assert.ok(p.id > 0 && p.moves.length > 0 && p.gap < 0.02);
    assert.equal(p.units.find((u: { key: string }) => u.key === 'Shirts').after, 'WIN');
    const whatIf = await runCli(['placement', 'optimise', '--preview', '--pin', 'Shirts=BACK', '--lift', 'WALL=1.2'], env);
    assert.equal(whatIf.code, 0, whatIf.stderr);
    assert.match(whatIf.stdout, /^preview for S1: 3 units/m);
    assert.match(whatIf.stdout, /gap to the LP bound/);
    const apply = await runCli(['placement', 'apply', String(p.id)], env);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, new RegExp(`plan ${p.id} applied`));
    const again = await runCli(['placement', 'apply', String(p.id)], env);
    assert.equal(again.code, 5);
    const learn = await runCli(['placement', 'learn'], env);
    assert.equal(learn.code, 0, learn.stderr);
    assert.match(learn.stdout, /WIN\s+lift \d/);

    writeFileSync(file, JSON.stringify({ ...layout, zones: [{ ...layout.zones[0], capacity: 'lots' }] }));
    const bad = await runCli(['placement', 'layout', 'import', file], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /zones\.0\.capacity/);
    const badPin = await runCli(['placement', 'plan', '--pin', 'Shirts'], env);
    assert.equal(badPin.code, 2);
  });
});
