import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { ROOT } from '../helpers/cli.ts';

// The XLSX reader loads exceljs on first use. This runs it in a fresh process, where that load is cold (as in the CLI
// and a server's first import), on a file small enough to be read whole while a careless reader is still loading.
test('an XLSX is read whole by a process that has not loaded exceljs yet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfwise-xlsx-'));
  try {
    const file = join(dir, 'counts.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('stock');
    ws.addRow(['SKU', 'Qty']);
    ws.addRow(['P1', 12]);
    ws.addRow(['P2', 5]);
    await wb.xlsx.writeFile(file);
    const script = `
      const { readTable } = await import(${JSON.stringify(resolve(ROOT, 'src/services/import/readers.ts'))});
      const rows = [];
      for await (const r of readTable(${JSON.stringify(file)})) rows.push(r);
      process.stdout.write(JSON.stringify(rows));`;
    const p = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    assert.deepEqual(JSON.parse(p.stdout), [
      { line: 2, values: { sku: 'P1', qty: '12' } },
      { line: 3, values: { sku: 'P2', qty: '5' } },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
