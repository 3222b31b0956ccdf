import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { seedWasteStore } from '../helpers/waste-data.ts';

describe('shelfwise markdown (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-markdown-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    await seedWasteStore(database);
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('classify, slow, offers, accept, promotions, prices, check; bad input exits 2', async () => {
    const c = await runCli(['markdown', 'classify'], env);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /as of 2025-10-29/);
    assert.match(c.stdout, /^A\s+2\s+3555\s/m);
    const s = await runCli(['markdown', 'slow', '--status', 'dead'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /2 dead, 2 slow of 5 items/);
    assert.match(s.stdout, /dead\s+DEAD\s+S1\s+38\s+144d/);
    assert.match(s.stdout, /dead\s+NEVER\s+S1\s+30\s+never/);
    const o = await runCli(['markdown', 'offers', '--bundles'], env);
    assert.equal(o.code, 0, o.stderr);
    assert.match(o.stdout, /^OVER\s+S1\s+\d+(\.\d)?% off → /m);
    assert.match(o.stdout, /elasticity -\d\.\d+ ± [\d.]+ \(item\)/);
    const a = await runCli(['markdown', 'accept', 'OVER', '--days', '14'], env);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /promotion 1 "Markdown \d+(\.\d)?% OVER": \d+(\.\d)?% off OVER, .* \(running\)/);
    const again = await runCli(['markdown', 'accept', 'OVER'], env);
    assert.equal(again.code, 5);
    assert.match(again.stderr, /already covers/);
    const p = await runCli(['markdown', 'promotions'], env);
    assert.match(p.stdout, /^\s+1 running\s+\d+(\.\d)?% off OVER .* by cli:/m);
    const pr = await runCli(['markdown', 'prices', 'OVER', 'FAST'], env);
    assert.match(pr.stdout, /OVER\s+\d+\.\d\d \(regular 12\.00, promotion 1 to /);
    assert.match(pr.stdout, /FAST\s+10\.00\n/);
    const k = await runCli(['markdown', 'check', '--all'], env);
    assert.match(k.stdout, /2 dead items; 2 new dead-stock alerts: DEAD@S1, NEVER@S1/);
    const bad = await runCli(['markdown', 'classify', '--abc', 'Q'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /abc must be A, B or C/);
    const none = await runCli(['markdown', 'accept', 'NOPE'], env);
    assert.equal(none.code, 4);
  });

  test('report NAME as CSV, JSON and XLSX', async () => {
    const csv = await runCli(['report', 'slow-stock'], env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /^sku,name,category,location,abc,xyz,status,/);
    assert.match(csv.stdout, /\r\nDEAD,Item DEAD,candles,S1,C,Z,dead,38,144,/);
    const top = await runCli(['report', 'top-sellers', '--format', 'json'], env);
    assert.equal(JSON.parse(top.stdout).weeks.at(-1).top[0].sku, 'FAST');
    const file = join(dir, 'abc.xlsx');
    const x = await runCli(['report', 'abc-xyz', '--format', 'xlsx', '-o', file], env);
    assert.equal(x.code, 0, x.stderr);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    assert.equal(ws.getRow(1).getCell(5).value, 'abc');
    assert.equal(ws.rowCount, 6);
    const bad = await runCli(['report', 'nope'], env);
    assert.equal(bad.code, 2);
  });
});
