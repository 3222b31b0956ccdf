import { readTable } from './readers.ts';
import { canonicalColumns, salesRow, type SalesRow } from './row-schemas.ts';

/**
 * The valid rows of a sales file in the import format (CSV or XLSX, aliases applied), for commands that read a
 * file without importing it (forecast backtest --sales, recommend eval). `skipped()` counts the invalid rows.
 */
export function validSalesRows(file: string): { rows: AsyncGenerator<SalesRow>; skipped: () => number } {
  let bad = 0;
  async function* rows() {
    for await (const row of readTable(file)) {
      const p = salesRow.safeParse(canonicalColumns(row.values));
      if (p.success) yield p.data;
      else bad++;
    }
  }
  return { rows: rows(), skipped: () => bad };
}
