import type { MarkdownItem } from './types.ts';

/** Item × period panels for the elasticity model (one row per item-period with sales). */

export interface ElasticityPanel {
  skus: string[];
  categories: string[];
  /** Per item: index into `categories`. */
  itemCategory: Int32Array;
  nPeriods: number;
  /** One observation per item-period with Q > 0 and P > 0. */
  item: Int32Array;
  period: Int32Array;
  logQ: Float64Array;
  logP: Float64Array;
}

export interface PanelRow {
  sku: string;
  category: string;
  period: number;
  qty: number;
  price: number;
}

/** Build a panel from item-period rows (rows with qty ≤ 0 or price ≤ 0 are dropped). */
export function buildPanel(rows: PanelRow[]): ElasticityPanel {
  const skuIdx = new Map<string, number>();
  const catIdx = new Map<string, number>();
  const itemCat: number[] = [];
  const keep = rows.filter((r) => r.qty > 0 && r.price > 0 && Number.isInteger(r.period) && r.period >= 0);
  let nPeriods = 0;
  for (const r of keep) {
    if (!skuIdx.has(r.sku)) {
      if (!catIdx.has(r.category)) catIdx.set(r.category, catIdx.size);
      skuIdx.set(r.sku, skuIdx.size);
      itemCat.push(catIdx.get(r.category)!);
    }
    nPeriods = Math.max(nPeriods, r.period + 1);
  }
  return {
    skus: [...skuIdx.keys()],
    categories: [...catIdx.keys()],
    itemCategory: Int32Array.from(itemCat),
    nPeriods,
    item: Int32Array.from(keep, (r) => skuIdx.get(r.sku)!),
    period: Int32Array.from(keep, (r) => r.period),
    logQ: Float64Array.from(keep, (r) => Math.log(r.qty)),
    logP: Float64Array.from(keep, (r) => Math.log(r.price)),
  };
}

/** Panel from items' daily series: Q = units per period, P = sales-weighted mean of the known daily prices. */
export function panelFromItems(items: MarkdownItem[], periodDays = 7): ElasticityPanel {
  const rows: PanelRow[] = [];
  for (const it of items) {
    if (!it.dailyPrice) continue;
    const n = it.dailySales.length;
    const nb = Math.floor(n / periodDays);
    for (let b = 0; b < nb; b++) {
      let q = 0;
      let pq = 0;
      for (let d = b * periodDays; d < (b + 1) * periodDays; d++) {
        const p = it.dailyPrice[d];
        if (it.dailySales[d] > 0 && p > 0) {
          q += it.dailySales[d];
          pq += p * it.dailySales[d];
        }
      }
      if (q > 0) rows.push({ sku: it.sku, category: it.category, period: b, qty: q, price: pq / q });
    }
  }
  return buildPanel(rows);
}

