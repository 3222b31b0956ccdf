import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';
import { exportColumns, exportRows, type ExportKind } from '../services/export.service.ts';
import { withServices } from './run.ts';

const csvCell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function exportCommand(program: Command) {
  program
    .command('export')
    .description('export products, stock, movements or sales (the import format) as CSV or XLSX')
    .argument('<kind>', 'products | stock | movements | sales')
    .option('-o, --out <file>', 'output file (.csv or .xlsx); default: CSV on standard output')
    .action(async (kind: string, o: { out?: string }) => {
      if (!['products', 'stock', 'movements', 'sales'].includes(kind)) throw new AppError('invalid', `unknown kind "${kind}": use products, stock, movements or sales`, 'kind');
      const cols = exportColumns(kind as ExportKind);
      await withServices(async (s) => {
        let n = 0;
        if (o.out?.toLowerCase().endsWith('.xlsx')) {
          const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: o.out });
          const ws = wb.addWorksheet(kind);
          ws.addRow(cols).commit();
          for await (const r of exportRows(s.database.db, kind as ExportKind)) {
            ws.addRow(cols.map((c) => r[c] ?? null)).commit();
            n++;
          }
          ws.commit();
          await wb.commit();
        } else {
          const out = o.out ? createWriteStream(o.out) : process.stdout;
          out.write(cols.join(',') + '\n');
          for await (const r of exportRows(s.database.db, kind as ExportKind)) {
            if (!out.write(cols.map((c) => csvCell(r[c])).join(',') + '\n')) await once(out, 'drain');
            n++;
          }
          if (o.out) {
            (out as ReturnType<typeof createWriteStream>).end();
            await once(out, 'finish');
          }
        }
        if (o.out) console.error(`exported ${n} ${kind} row(s) to ${o.out}`);
      });
    });
}
