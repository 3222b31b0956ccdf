/**
 * Parsers for the public data sets used to evaluate the models (pure: text in, arrays out; the caller reads
 * the file). Online Retail (UCI, Chen et al.) and MovieLens-100k (GroupLens).
 */
import type { Interaction } from './types.ts';

/** Split one CSV line honouring double quotes ("" inside quotes is a literal quote). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Stock codes of Online Retail that are fees, postage, manual adjustments or vouchers, not products. */
export const NON_PRODUCT_CODE = /^(POST|DOT|M|m|C2|D|S|B|BANK CHARGES|AMAZONFEE|CRUK|PADS|gift_.*)$/;

export interface RetailDataset {
  /** One row per product line of a completed invoice with a customer (weight 1, basket = invoice). */
  interactions: Interaction[];
  /** item id -> stock code and description (first seen). */
  items: Map<number, { code: string; description: string }>;
  /** Lines skipped, by reason. */
  skipped: { cancelled: number; noCustomer: number; nonPositive: number; nonProduct: number };
}

/**
 * Online Retail CSV (InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country).
 * Drops cancellations (invoice starting with C), lines without a customer, non-positive quantity or price,
 * and non-product codes. Item ids are dense integers in order of first appearance.
 */
export function parseOnlineRetail(text: string): RetailDataset {
  const interactions: Interaction[] = [];
  const items = new Map<number, { code: string; description: string }>();
  const codeId = new Map<string, number>();
  const invoiceId = new Map<string, number>();
  const skipped = { cancelled: 0, noCustomer: 0, nonPositive: 0, nonProduct: 0 };
  let start = text.indexOf('\n') + 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (!line) continue;
    const f = splitCsvLine(line);
    const [invoice, code, description, qty, date, price, customer] = f;
    if (invoice.startsWith('C')) {
      skipped.cancelled++;
      continue;
    }
    if (!customer) {
      skipped.noCustomer++;
      continue;
    }
    if (!(Number(qty) > 0) || !(Number(price) > 0)) {
      skipped.nonPositive++;
      continue;
    }
    if (NON_PRODUCT_CODE.test(code)) {
      skipped.nonProduct++;
      continue;
    }
    let item = codeId.get(code);
    if (item === undefined) {
      item = codeId.size;
      codeId.set(code, item);
      items.set(item, { code, description: description.trim() });
    }
    let basket = invoiceId.get(invoice);
    if (basket === undefined) {
      basket = invoiceId.size;
      invoiceId.set(invoice, basket);
    }
    // "2010-12-01 08:26:00" (UK local time; treated as UTC, only differences matter)
    const time = Date.parse(date.replace(' ', 'T') + 'Z');
    interactions.push({ user: Math.round(Number(customer)), item, weight: 1, time, basket });
  }
  return { interactions, items, skipped };
}

export interface Ratings {
  user: Int32Array;
  item: Int32Array;
  rating: Float64Array;
  time: Float64Array;
}

/** MovieLens u.data: "user \t item \t rating \t timestamp" per line. */
export function parseMovieLens(text: string): Ratings {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const n = lines.length;
  const r: Ratings = {
    user: new Int32Array(n),
    item: new Int32Array(n),
    rating: new Float64Array(n),
    time: new Float64Array(n),
  };
  for (let k = 0; k < n; k++) {
    const f = lines[k].split('\t');
    r.user[k] = Number(f[0]);
    r.item[k] = Number(f[1]);
    r.rating[k] = Number(f[2]);
    r.time[k] = Number(f[3]) * 1000;
  }
  return r;
}
