/**
 * Database rows → the replenishment domain's inputs: which policy applies (item > category at the location >
 * category anywhere > store defaults), the forecast aligned to today, the supplier with its per-product terms,
 * the stock position with open POs. Then one item's plan: policy numbers + projected stock curve.
 */
import { computePolicy, projectStock, serviceLabel, type ItemForecast, type PolicyParams, type PolicyResult, type StockPosition, type StockProjection, type Supplier } from '../domain/replenishment/index.ts';
import type { ItemRow, OpenLineRow, PolicyRow, SupplierProductRow, SupplierRow } from '../db/repositories/replenishment.repository.ts';

export interface ReplenishmentSettings {
  kind: PolicyRow['kind'];
  serviceKind: 'csl' | 'fill';
  serviceLevel: number;
  reviewDays: number;
  orderingCost: number;
  holdingRate: number;
  /** Managers approve POs up to this value; above it an admin must approve. */
  managerApprovalLimit: number;
  /** Optional spend cap of one run (null = none). */
  budget: number | null;
}

export const DEFAULT_SETTINGS: ReplenishmentSettings = {
  kind: 'rs',
  serviceKind: 'csl',
  serviceLevel: 0.95,
  reviewDays: 7,
  orderingCost: 20,
  holdingRate: 0.25,
  managerApprovalLimit: 5000,
  budget: null,
};

const DAY = 86_400_000;
export const todayDay = (now = new Date()) => Math.floor(now.getTime() / DAY);
export const isoDay = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);
export const dayIso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);

export interface PolicyChoice {
  params: PolicyParams;
  source: string;
}

export class PolicyResolver {
  private item = new Map<string, PolicyRow>();
  private cls = new Map<string, PolicyRow>();
  constructor(
    rows: PolicyRow[],
    private readonly defaults: ReplenishmentSettings,
  ) {
    for (const r of rows) {
      if (r.product_id !== null) this.item.set(`${r.product_id}:${r.location_id}`, r);
      else this.cls.set(`${r.category}:${r.location_id ?? 0}`, r);
    }
  }

  choose(productId: number, locationId: number, category: string, unitCost: number): PolicyChoice {
    const it = this.item.get(`${productId}:${locationId}`);
    const c = it ?? this.cls.get(`${category}:${locationId}`) ?? this.cls.get(`${category}:0`);
    const source = it ? 'item policy' : c ? `category "${category}" policy` : 'store default';
    const d = this.defaults;
    const orderingCost = c?.ordering_cost ?? d.orderingCost;
    const holdingRate = c?.holding_rate ?? d.holdingRate;
    const params: PolicyParams = {
      kind: c?.kind ?? d.kind,
      service: { kind: c?.service_kind ?? d.serviceKind, level: c ? Number(c.service_level) : d.serviceLevel },
      reviewDays: c ? Number(c.review_days) : d.reviewDays,
      costs: unitCost > 0 && holdingRate > 0 ? { unitCost, orderingCost, holdingRate } : undefined,
      min: c?.min_qty ?? undefined,
      max: c?.max_qty ?? undefined,
    };
    return { params, source };
  }
}

export interface SupplierChoice {
  supplier: SupplierRow;
  unitCost: number;
  /** The domain supplier for this item (per-product MOQ / pack when the supplier has them). */
  terms: Supplier;
}

export class SupplierResolver {
  private byId: Map<number, SupplierRow>;
  private offers = new Map<number, SupplierProductRow[]>();
  constructor(suppliers: SupplierRow[], offers: SupplierProductRow[]) {
    this.byId = new Map(suppliers.map((s) => [s.id, s]));
    for (const o of offers) {
      const a = this.offers.get(o.product_id);
      if (a) a.push(o);
      else this.offers.set(o.product_id, [o]);
    }
  }

  /** The product's default supplier (its offer if there is one), else its cheapest offer; null when none. */
  choose(productId: number, defaultSupplierId: number | null, productCost: number): SupplierChoice | null {
    const offers = this.offers.get(productId) ?? [];
    const offer = offers.find((o) => o.supplier_id === defaultSupplierId) ?? (defaultSupplierId === null ? [...offers].sort((a, b) => a.unit_cost - b.unit_cost)[0] : undefined);
    const s = this.byId.get(offer?.supplier_id ?? defaultSupplierId ?? -1);
    if (!s) return null;
    const terms: Supplier = {
      id: String(s.id),
      leadTimeDays: Number(s.lead_time_days),
      leadTimeSdDays: Number(s.lead_time_sd_days),
      moq: offer?.moq ?? s.moq,
      packSize: offer?.pack_size ?? s.pack_size,
      minOrderValue: Number(s.min_order_value),
      currency: s.currency,
    };
    return { supplier: s, unitCost: Number(offer?.unit_cost ?? productCost), terms };
  }
}

/** Open PO lines per item key `${productId}:${locationId}`, with their expected day relative to today. */
export function openOrdersByItem(rows: OpenLineRow[], today: number): Map<string, { qty: number; expectedDay: number; po: string }[]> {
  const m = new Map<string, { qty: number; expectedDay: number; po: string }[]>();
  for (const r of rows) {
    const k = `${r.product_id}:${r.location_id}`;
    const o = { qty: r.open_qty, expectedDay: r.expected_at ? isoDay(r.expected_at) - today : 0, po: r.number };
    const a = m.get(k);
    if (a) a.push(o);
    else m.set(k, [o]);
  }
  return m;
}

/**
 * The stored forecast as seen from today: its days from today on. A forecast that starts in the future or is
 * older than its horizon (e.g. a store whose history ended long ago) is used from its first day, with a note.
 */
export function alignForecast(row: Pick<ItemRow, 'start_date' | 'mean' | 'p80' | 'p95' | 'rmse'>, today: number): { forecast: ItemForecast; note: string | null } {
  if (!row.mean || !row.start_date) return { forecast: { mean: new Float64Array(28) }, note: 'no forecast: demand taken as 0' };
  const shift = today - isoDay(row.start_date);
  const H = row.mean.length;
  const ok = shift >= 0 && shift < H - 7;
  const from = ok ? shift : 0;
  const cut = (a: number[] | null) => Float64Array.from((a ?? []).slice(from));
  const forecast: ItemForecast = {
    mean: cut(row.mean),
    quantiles: row.p80 && row.p95 ? { '0.8': cut(row.p80), '0.95': cut(row.p95) } : undefined,
    dispersion: row.rmse && row.rmse > 0 ? { sdPerDay: row.rmse } : undefined,
  };
  const note = ok ? null : `forecast from ${row.start_date} (${shift > 0 ? `${shift} days old` : 'starts later'}): its days are read as from today`;
  return { forecast, note };
}

export interface ItemPlan {
  policy: PolicyResult;
  projection: StockProjection;
  params: PolicyParams;
  policySource: string;
  serviceLabel: string;
  note: string | null;
}

export function planItem(x: { forecast: ItemForecast; stock: StockPosition; terms: Supplier; choice: PolicyChoice; note: string | null }): ItemPlan {
  const policy = computePolicy({ forecast: x.forecast, supplier: x.terms, stock: x.stock, params: x.choice.params });
  const projection = projectStock({ stock: x.stock, forecast: x.forecast, leadTimeDays: x.terms.leadTimeDays });
  return { policy, projection, params: x.choice.params, policySource: x.choice.source, serviceLabel: serviceLabel(x.choice.params), note: x.note };
}

/** The numbers of a plan with their sentences, as stored on a suggestion (PO line) and shown on screen. */
export function explainOf(p: ItemPlan, terms: Supplier) {
  const pol = p.policy;
  return {
    kind: pol.kind,
    policySource: p.policySource,
    service: p.serviceLabel,
    reviewDays: p.params.reviewDays,
    leadTimeDays: terms.leadTimeDays,
    leadTimeSdDays: terms.leadTimeSdDays,
    packSize: terms.packSize,
    moq: terms.moq,
    reorderPoint: pol.reorderPoint,
    orderUpTo: pol.orderUpTo,
    eoq: pol.eoq,
    safetyStock: pol.safetyStock,
    orderQty: pol.orderQty,
    inventoryPosition: pol.inventoryPosition,
    expectedShortage: round2(pol.expectedShortage),
    daysUntilStockout: p.projection.daysUntilStockout === null ? null : round2(p.projection.daysUntilStockout),
    stockoutAlert: p.projection.alert,
    projection: p.projection.why,
    note: p.note,
  };
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
