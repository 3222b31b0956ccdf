import ExcelJS from 'exceljs';
import type { ForecastVsActualReport, ReplenishmentVsForecastReport, StockoutsReport } from './planning-reports.service.ts';
import { toCsv } from './reports.service.ts';

/**
 * The planning reports as tables for CSV and XLSX: the first sheet is the per-item table (what CSV holds), the
 * second the per-week totals the chart draws (XLSX only).
 */
export interface Sheet {
  name: string;
  columns: string[];
  rows: unknown[][];
}

export function forecastVsActualSheets(r: ForecastVsActualReport): Sheet[] {
  return [
    {
      name: 'items',
      columns: ['sku', 'name', 'location', 'days', 'actual', 'forecast', 'p50', 'abs_error', 'mae', 'bias', 'wmape', 'coverage_p80'],
      rows: r.items.map((i) => [i.sku, i.name, i.location, i.days, i.actual, i.forecast, i.p50, i.absError, i.mae, i.bias, i.wmape, i.coverage80]),
    },
    { name: 'weeks', columns: ['week_start', 'item_days', 'actual', 'forecast', 'p50', 'p80_sum', 'abs_error'], rows: r.weeks.map((w) => [w.weekStart, w.days, w.actual, w.forecast, w.p50, w.p80, w.absError]) },
  ];
}

export function replenishmentVsForecastSheets(r: ReplenishmentVsForecastReport): Sheet[] {
  return [
    {
      name: 'items',
      columns: ['sku', 'name', 'location', 'policy', 'lead_time_days', 'daily_demand', 'lead_time_demand', 'reorder_point', 'rop_margin', 'safety_stock', 'eoq', 'eoq_days', 'order_up_to', 'on_hand', 'inventory_position', 'days_of_cover', 'below_rop', 'forecast_from'],
      rows: r.items.map((i) => [i.sku, i.name, i.location, i.kind, i.leadTimeDays, i.dailyDemand, i.leadTimeDemand, i.reorderPoint, i.ropMargin, i.safetyStock, i.eoq, i.eoqDays, i.orderUpTo, i.onHand, i.inventoryPosition, i.daysOfCover, i.belowReorderPoint, i.forecastFrom]),
    },
  ];
}

export function stockoutsSheets(r: StockoutsReport): Sheet[] {
  return [
    {
      name: 'items',
      columns: ['sku', 'name', 'location', 'price', 'on_hand', 'stockout_days', 'runs', 'daily_demand', 'lost_units', 'lost_value', 'out_at_end'],
      rows: r.items.map((i) => [i.sku, i.name, i.location, i.price, i.onHand, i.stockoutDays, i.runs, i.dailyDemand, i.lostUnits, i.lostValue, i.outAtEnd]),
    },
    { name: 'weeks', columns: ['week_start', 'stockout_days', 'items', 'lost_units', 'lost_value'], rows: r.weeks.map((w) => [w.weekStart, w.stockoutDays, w.items, w.lostUnits, w.lostValue]) },
  ];
}

export function sheetsCsv(sheets: Sheet[]): string {
  return toCsv(sheets[0].columns, sheets[0].rows);
}

/** An XLSX workbook (one worksheet per sheet, bold header row). */
export async function sheetsXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.columns).font = { bold: true };
    for (const row of s.rows) ws.addRow(row.map((v) => (v === null || v === undefined ? '' : v)));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
