import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { dayIso, DAYS, seedForecastHistory } from '../helpers/forecast-data.ts';

describe('shelfwise forecast (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-forecast-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    await seedForecastHistory(database);
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('run, then show prints the forecast table', async () => {
    const r = await runCli(['forecast', 'run', '--horizon', '7', '--location', 'S1'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /forecast run \d+: 4 series, D × 7, history to 2026-03-15/);
    const s = await runCli(['forecast', 'show', 'OUT', '--location', 'S1'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /OUT at S1, D, run \d+/);
    assert.match(s.stdout, /14 out-of-stock periods ignored/);
    assert.match(s.stdout, new RegExp(`${dayIso(DAYS)}\\s+\\d`));
    const bad = await runCli(['forecast', 'run', '--freq', 'X'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /freq/);
  });

  test('backtest --sales FILE --json prints the contract object', async () => {
    const rows = ['date,sku,qty'];
    for (let d = 0; d < 90; d++) {
      rows.push(`${dayIso(d)},A,${3 + (d % 7 === 5 ? 4 : d % 3)}`);
      if (d % 4 === 0) rows.push(`${dayIso(d)},B,1`);
    }
    const file = join(dir, 'sales.csv');
    writeFileSync(file, rows.join('\n'));
    const r = await runCli(['forecast', 'backtest', '--sales', file, '--freq', 'day', '--horizon', '14', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.series, 2);
    assert.equal(out.horizon, 14);
    assert.equal(out.folds, 1);
    for (const m of ['auto', 'snaive', 'naive']) {
      assert.ok(Number.isFinite(out.models[m].rmsse), m);
      assert.ok(out.models[m].coverage80 >= 0 && out.models[m].coverage80 <= 1);
    }
    assert.ok(out.models.auto.rmsse < out.models.naive.rmsse, `auto ${out.models.auto.rmsse} vs naive ${out.models.naive.rmsse}`);
  });
});
