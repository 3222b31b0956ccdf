import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { ImportService, type ImportKind } from '../services/import.service.ts';
import { progressBar } from './progress.ts';
import { cliActor, withServices } from './run.ts';

export function importCommand(program: Command) {
  program
    .command('import')
    .description('import products, stock counts or sales history from CSV or XLSX (all rows or none)')
    .argument('<kind>', 'products | stock | sales')
    .argument('<file>', 'a .csv or .xlsx file with a header row (README: File formats)')
    .option('-l, --location <code>', 'location for rows without a location/store column')
    .option('--skip-bad', 'write the good rows and report the bad ones (default: any bad row → nothing is written)')
    .option('--allow-negative', 'sales: post history even where stock would go below zero (then import a stock count)')
    .option('--dry-run', 'validate only; write nothing')
    .option('--report <file>', 'write every bad row to this CSV file')
    .action(async (kind: string, file: string, o: { location?: string; skipBad?: boolean; allowNegative?: boolean; dryRun?: boolean; report?: string }) => {
      if (!['products', 'stock', 'sales'].includes(kind)) throw new AppError('invalid', `unknown kind "${kind}": use products, stock or sales`, 'kind');
      await withServices(async (s) => {
        const bar = progressBar(`import ${kind}`);
        const r = await new ImportService(s.database.db).importFile(cliActor(), kind as ImportKind, file, o, (p) => bar.update(p));
        bar.stop();
        for (const b of r.bad.slice(0, 50)) console.error(`line ${b.line}: ${b.reason}`);
        if (r.bad.length > 50) console.error(`… and ${r.bad.length - 50} more bad rows${o.report ? '' : ' (use --report FILE to get them all)'}`);
        if (o.report) writeFileSync(o.report, 'line,field,reason\n' + r.bad.map((b) => `${b.line},${b.field ?? ''},"${b.reason.replace(/"/g, '""')}"`).join('\n') + '\n');
        const secs = (r.ms / 1000).toFixed(1);
        if (o.dryRun) {
          console.log(`dry run: ${r.rows} rows read, ${r.bad.length} bad; nothing written (${secs} s)`);
          if (r.bad.length) process.exitCode = 1;
        } else if (r.bad.length && !o.skipBad) {
          console.error(`${r.bad.length} bad row(s) in ${file}: nothing was written. Fix them, or pass --skip-bad to import the good rows.`);
          process.exitCode = 1;
        } else console.log(`imported ${r.written} ${kind} row(s) from ${file} in ${secs} s${r.bad.length ? `; skipped ${r.bad.length} bad row(s)` : ''}`);
      });
    });
}
