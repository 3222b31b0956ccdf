/** Plain rows the reports aggregate. Dates are 'YYYY-MM-DD' strings or epoch days. */

export interface SalesRow {
  date: string | number;
  sku: string;
  /** Units (negative = return). */
  qty: number;
  /** Money for the line; when absent, qty × price. */
  revenue?: number;
  price?: number;
  category?: string;
  store?: string;
}

/** A stock movement: + receipt (with its unit cost), − issue/sale, ± adjustment. */
export interface StockMovement {
  date: string | number;
  sku: string;
  qty: number;
  /** Cost per unit of a receipt; issues are valued by the method. */
  unitCost?: number;
}

export interface OpeningStock {
  sku: string;
  qty: number;
  unitCost: number;
}
