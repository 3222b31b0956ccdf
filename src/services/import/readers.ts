import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import type { Row } from 'exceljs';
import { AppError } from '../../errors.ts';

export interface RawRow {
  /** 1-based line (CSV) or row number (XLSX) in the file, header included, for error reports. */
  line: number;
  values: Record<string, string>;
  /** Set when the row has more or fewer fields than the header. */
  fieldCountError?: string;
}

export type BytesProgress = (read: number, total: number) => void;

/** Streams the rows of a CSV or XLSX file (first row = header; names are trimmed and lower-cased). */
export function readTable(file: string, onBytes?: BytesProgress): AsyncGenerator<RawRow> {
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx') return readXlsx(file, onBytes);
  if (ext === '.csv' || ext === '.txt' || ext === '') return readCsv(file, onBytes);
  throw new AppError('invalid', `cannot read ${ext} files: use .csv or .xlsx`, 'file');
}

const headerName = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, '_');

async function* readCsv(file: string, onBytes?: BytesProgress): AsyncGenerator<RawRow> {
  const total = statSync(file).size;
  let read = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  stream.on('data', (chunk) => {
    read += chunk.length;
    onBytes?.(read, total);
  });
  let header: string[] | null = null;
  const parser = stream.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true, trim: false }));
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = rec.record.map(headerName);
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => {
      const v = rec.record[i];
      if (v !== undefined && v !== '') values[h] = v.trim();
    });
    const n = rec.record.length;
    yield { line: rec.info.lines, values, fieldCountError: n !== header.length ? `has ${n} fields, the header has ${header.length}` : undefined };
  }
  if (!header) throw new AppError('invalid', `${file} is empty: a header row is needed`, 'file');
}

async function* readXlsx(file: string, onBytes?: BytesProgress): AsyncGenerator<RawRow> {
  // Loaded on use (it costs ~0.5 s at start-up), and before the file is opened: the 'data' listener below starts
  // the stream flowing, so a small file opened first could be read to its end while the import was still loading,
  // and the workbook reader would then see an ended stream (unzipper's FILE_ENDED; seen under load in CI).
  const { default: ExcelJS } = await import('exceljs');
  const total = statSync(file).size;
  const stream = createReadStream(file);
  let read = 0;
  stream.on('data', (chunk) => {
    read += chunk.length;
    onBytes?.(read, total);
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  let header: string[] | null = null;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<Row>) {
      const cells = (row.values as unknown[]).slice(1).map(cellText);
      if (!header) {
        header = cells.map((h) => headerName(h ?? ""));
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((h, i) => {
        const v = cells[i];
        if (v !== undefined && v !== '') values[h] = v.trim();
      });
      if (Object.keys(values).length === 0) continue;
      yield { line: row.number, values };
    }
    break; // first sheet only
  }
  if (!header) throw new AppError('invalid', `${file} has no rows: a header row is needed`, 'file');
}

function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { text?: string; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return cellText(o.result);
    return undefined;
  }
  return String(v);
}
