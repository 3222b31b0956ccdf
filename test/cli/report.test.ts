import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { seedWasteStore } from '../helpers/waste-data.ts';

describe('shelfwise report: the planning reports (CLI, embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-report-cli-'));
  const env = { SHELFWISE_DB_DIR: join(dir, 'db'), DATABASE_URL: '', SHELFWISE_DEMO: '0' };
  before(async () => {
    const database = await openDatabase({ dir: env.SHELFWISE_DB_DIR });
    await migrateToLatest(database);
    await seedWasteStore(database);
    await database.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('stockouts as JSON, forecast-vs-actual as XLSX (items and weeks sheets), category trend by store as CSV; a bad date exits 2', async () => {
    const so = await runCli(['report', 'stockouts', '--weeks', '4', '--format', 'json'], env);
    assert.equal(so.code, 0, so.stderr);
    const j = JSON.parse(so.stdout);
    assert.equal(j.to, '2025-10-29');
    assert.equal(j.from, '2025-10-06'); // Monday of the week 3 weeks before the week of Wed 29 Oct
    assert.equal(typeof j.totals.lostValue, 'number');
    const file = join(dir, 'fva.xlsx');
    const x = await runCli(['report', 'forecast-vs-actual', '--from', '2025-09-01', '--to', '2025-10-29', '--format', 'xlsx', '-o', file], env);
    assert.equal(x.code, 0, x.stderr);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['items', 'weeks']);
    assert.equal(wb.getWorksheet('weeks')!.getRow(1).getCell(1).value, 'week_start');
    assert.equal(wb.getWorksheet('weeks')!.getRow(2).getCell(1).value, '2025-09-01');
    const by = await runCli(['report', 'category-trend', '--by', 'store', '--weeks', '4'], env);
    assert.equal(by.code, 0, by.stderr);
    assert.match(by.stdout, /^week_start,store,qty,revenue\r\n/);
    assert.match(by.stdout, /\r\n2025-10-27,S1,/);
    const bad = await runCli(['report', 'stockouts', '--from', '2025-10-40'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /from must be a date/);
  });
});
