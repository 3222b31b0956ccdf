import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { seedReplenishment } from '../helpers/replenishment-data.ts';

describe('shelfwise replenish (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-replenish-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    await seedReplenishment(database);
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('run → plan → po list/show/approve/send/export/receive; bad input exits non-zero', async () => {
    const r = await runCli(['replenish', 'run'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /replenishment run 1: 3 items planned, 2 suggestions in 1 draft POs worth/);
    const plan = await runCli(['replenish', 'plan', 'FAST', '--location', 'S1'], env);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /FAST at S1: S \d+ = P95 of 14-day demand/);
    assert.match(plan.stdout, /projected stockout on day 2/);
    const list = await runCli(['replenish', 'po', 'list', '--status', 'draft'], env);
    assert.match(list.stdout, /PO-000001\s+draft\s+SUP\s+S1\s+2/);
    const show = await runCli(['replenish', 'po', 'show', 'PO-000001'], env);
    assert.match(show.stdout, /FAST\s+\d+ ordered\s+0 received\s+open/);
    assert.equal((await runCli(['replenish', 'po', 'approve', 'PO-000001'], env)).stdout.trim(), 'PO-000001: approved');
    assert.equal((await runCli(['replenish', 'po', 'send', '1'], env)).stdout.trim(), 'PO-000001: sent');
    const out = join(dir, 'po.pdf');
    const ex = await runCli(['replenish', 'po', 'export', 'PO-000001', '--format', 'pdf', '-o', out], env);
    assert.equal(ex.code, 0, ex.stderr);
    assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
    const rc = await runCli(['replenish', 'po', 'receive', 'PO-000001', '--line', 'SLOW=12'], env);
    assert.equal(rc.code, 0, rc.stderr);
    assert.match(rc.stdout, /received 12 × SLOW at S1 \(movement \d+, on hand now 15\)/);
    assert.match(rc.stdout, /PO-000001: partially_received/);
    const all = await runCli(['replenish', 'po', 'receive', 'PO-000001', '--all'], env);
    assert.match(all.stdout, /PO-000001: received/);
    const again = await runCli(['replenish', 'po', 'receive', 'PO-000001', '--all'], env);
    assert.equal(again.code, 5);
    assert.match(again.stderr, /nothing left to receive/);
    const bad = await runCli(['replenish', 'po', 'list', '--status', 'lost'], env);
    assert.equal(bad.code, 2);
    const missing = await runCli(['replenish', 'po', 'show', 'PO-999999'], env);
    assert.equal(missing.code, 4);
  });

  test('simulate --json prints the contract object, --plot writes an SVG', async () => {
    const rows = ['date,sku,qty,price'];
    for (let d = 0; d < 200; d++) {
      const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      rows.push(`${day},A,${5 + ((d * 7) % 5)},2`);
      if (d % 3 === 0) rows.push(`${day},B,${1 + (d % 4)},3`);
    }
    const file = join(dir, 'sales.csv');
    writeFileSync(file, rows.join('\n'));
    const plot = join(dir, 'sweep.svg');
    const r = await runCli(['replenish', 'simulate', '--sales', file, '--freq', 'day', '--lead-time', '3', '--service', '0.95', '--json', '--plot', plot], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.series, 2);
    assert.equal(out.periods, 100);
    for (const p of ['auto', 'minmax']) for (const k of ['fill_rate', 'cycle_service', 'avg_on_hand', 'stockout_periods', 'orders', 'holding_cost', 'ordering_cost']) assert.ok(Number.isFinite(out.policies[p][k]), `${p}.${k}`);
    assert.ok(Math.abs(out.policies.auto.fill_rate - out.policies.minmax.fill_rate) <= 0.005, 'min/max tuned to the same fill rate');
    assert.ok(existsSync(plot) && readFileSync(plot, 'utf8').startsWith('<svg'));
    const bad = await runCli(['replenish', 'simulate', '--sales', file, '--lead-time', '-1'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /lead-time/);
  });
});
