/** The one way the dashboard talks to the server: JSON in, JSON out, errors as ApiError {status, message, field}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when any request answers 401 (the session ended): the app shows the login page. */
export function onUnauthorized(fn: Listener) {
  unauthorizedListeners.add(fn);
  return () => void unauthorizedListeners.delete(fn);
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const r = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await r.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text };
  }
  if (!r.ok) {
    const b = (body ?? {}) as { error?: string; field?: string; detail?: unknown };
    if (r.status === 401 && !path.startsWith('/api/auth/login')) unauthorizedListeners.forEach((f) => f());
    throw new ApiError(r.status, b.error ?? r.statusText ?? `HTTP ${r.status}`, b.field, b.detail);
  }
  return body as T;
}

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export type Role = 'admin' | 'manager' | 'staff' | 'kiosk';
export const roleRank: Record<Role, number> = { kiosk: 0, staff: 1, manager: 2, admin: 3 };
export interface Me {
  id: number;
  email: string;
  role: Role;
}

export interface InventoryRow {
  sku: string;
  name: string;
  category: string;
  status: 'active' | 'discontinued';
  location: string;
  onHand: number;
  reserved: number;
  available: number;
  lowThreshold: number | null;
  lastMovementAt: string | null;
  lastSaleAt: string | null;
}
export interface Paged<T> {
  items: T[];
  total: number;
  /** false when total is an estimate (large listings count exactly only up to a bound). */
  totalExact?: boolean;
  page: number;
  pageSize: number;
}
export interface Keyset<T> {
  items: T[];
  next: number | null;
}
export interface Location {
  id: number;
  code: string;
  name: string;
  kind: string;
}
export interface Movement {
  id: number;
  sku: string;
  location: string;
  kind: string;
  qty: number;
  balanceAfter: number;
  unitCost: number | null;
  unitPrice: number | null;
  reason: string | null;
  saleId: number | null;
  reversesId: number | null;
  actor: string;
  occurredAt: string;
}
export interface Alert {
  id: number;
  kind: string;
  severity: string;
  sku: string | null;
  location: string | null;
  message: string;
  createdAt: string;
  acknowledgedAt: string | null;
}
export interface Anchor {
  today: string;
  historical: boolean;
  latestSaleAt: string | null;
}

/** Receiving inspection (issue 12). */
export interface DefectRegion {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}
export interface Inspection {
  id: number;
  batchId: number;
  model: { defective: boolean; pDefective: number; confidence: number; region: DefectRegion | null; version: string; ms: number } | null;
  final: { defective: boolean; by: string; at: string; note: string | null } | null;
  overridden: boolean | null;
  photo: string | null;
  createdAt: string;
}
export interface InspectionBatch {
  id: number;
  supplier: string;
  sku: string;
  productName: string;
  location: string;
  quarantineLocation: string;
  qtyReceived: number;
  plan: 'all' | 'sample';
  sampleSize: number;
  acceptMax: number;
  poId: number | null;
  poLineId: number | null;
  reference: string | null;
  status: 'open' | 'closed';
  inspected: number;
  decided: number;
  defectiveCalls: number;
  lotRejected: boolean | null;
  goodQty: number | null;
  defectiveQty: number | null;
  returnedQty: number;
  writtenOffQty: number;
  inQuarantine: number;
  createdAt: string;
  closedAt: string | null;
  inspections?: Inspection[];
  movements?: { id: number; purpose: string; kind: string; qty: number; location: string; reason: string | null }[];
}
export type SamplingPlan = { mode: 'all' } | { mode: 'sample'; n: number; acceptMax: number };
export interface InspectionSettings {
  sampling: SamplingPlan;
  alertThreshold: number;
  alertWindowDays: number;
  alertMinInspected: number;
  keepPhotos: boolean;
  photoRetentionDays: number;
  quarantineLocation: string | null;
}
export interface DefectRate {
  inspected: number;
  defective: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}
/** Recommendations (issue 7): one recommended product, as every /api/recommendations… list returns it. */
export interface RecommendedItem {
  productId: number;
  sku: string;
  name: string;
  category: string;
  colour: string | null;
  size: string | null;
  gender: string | null;
  price: number;
  available: number;
  score: number;
  reason: string;
  because?: { productId: number; sku: string; name: string };
  source?: string;
}
export interface RecommendModel {
  id: number;
  status: 'running' | 'done' | 'failed';
  phase: string;
  progress: number;
  actor: string;
  error: string | null;
  bytes: number | null;
  startedAt: string;
  trainedAt: string | null;
  metrics: {
    customers: number;
    items: number;
    interactions: number;
    ratings: number;
    collaborative: string;
    seconds: Record<string, number>;
    evaluation?: { cutoff: string; testDays: number; users: number; ndcg10: Record<string, number>; newItemsNdcg10: Record<string, number>; fbtHr10: number; fbtPopularityHr10: number } | { skipped: string };
  } | null;
}

/** Placement (issue 9): /api/placement/layout and /api/placement/optimise. */
export interface PlacementZone {
  code: string;
  name: string;
  kind: string;
  visibility: number;
  capacity: number;
  capacityUnit: 'facings' | 'metres';
  x: number;
  y: number;
  w: number;
  h: number;
  busyHours: number[];
  learnedLift: number | null;
  liftSd: number | null;
  liftEvidence: number;
}
export interface PlacementLayout {
  location: string;
  settings: { granularity: string; splitByGender: boolean; weights: { recommend: number; demographic: number; offFloorLift: number } } & Record<string, unknown>;
  zones: PlacementZone[];
  assignments: { unit: string; zone: string; pinned: boolean; since: string }[];
}
export interface PlacementPlan {
  id: number | null;
  status: 'proposed' | 'applied' | 'superseded';
  objectiveBefore: number;
  objectiveAfter: number;
  bound: number;
  gap: number;
  greedy: number;
  method: string;
  ms: number;
  totalUplift: number;
  zones: { code: string; name: string; kind: string; lift: number; capacity: number; usedBefore: number; usedAfter: number; valueBefore: number; valueAfter: number }[];
  units: { key: string; label: string; size: number; before: string | null; after: string | null; pinned: string | null }[];
  moves: { key: string; label: string; size: number; from: string | null; to: string | null; uplift: number }[];
  summary: { from: string | null; to: string | null; fromName: string; toName: string; units: number; uplift: number }[];
  inputs: { horizonDays: number; visitors: number; demand: { forecast: number; sales: number; prior: number } };
  solver: { method: string; blocks: number; lpMs: number; solveMs: number };
}

// ————— Replenishment (issue 5) —————
export interface Explained {
  value: number;
  why: string;
}
export interface ReplExplain {
  kind: string;
  policySource: string;
  service: string;
  reviewDays: number;
  leadTimeDays: number;
  leadTimeSdDays: number;
  packSize: number;
  moq: number;
  reorderPoint: Explained;
  orderUpTo: Explained;
  eoq: Explained | null;
  safetyStock: Explained;
  orderQty: Explained;
  inventoryPosition: Explained;
  expectedShortage: number;
  daysUntilStockout: number | null;
  stockoutAlert: boolean;
  projection: string;
  note: string | null;
}
export interface Suggestion {
  id: number;
  poId: number;
  po: string;
  sku: string;
  name: string;
  supplier: string;
  location: string;
  qty: number;
  suggested_qty: number | null;
  unit_cost: number;
  decision: 'open' | 'approved' | 'rejected';
  summary: string | null;
  explain: ReplExplain | null;
  expected_shortage: number | null;
  days_until_stockout: number | null;
  stockout_alert: boolean | null;
  currency: string;
}
export type PoStatus = 'draft' | 'approved' | 'sent' | 'partially_received' | 'received' | 'closed' | 'cancelled';
export interface PurchaseOrderRow {
  id: number;
  number: string;
  status: PoStatus;
  currency: string;
  total: number;
  run_id: number | null;
  expected_at: string | null;
  created_at: string;
  approved_by: string | null;
  sent_at: string | null;
  supplier: string;
  supplierName: string;
  location: string;
  lines: number;
  overdue: boolean;
}
export interface PurchaseOrderLine {
  id: number;
  sku: string;
  name: string;
  supplier_sku: string | null;
  qty_ordered: number;
  qty_received: number;
  unit_cost: number;
  suggested_qty: number | null;
  decision: 'open' | 'approved' | 'rejected';
  summary: string | null;
  explain: ReplExplain | null;
  days_until_stockout: number | null;
}
export interface PurchaseOrderDetail extends Omit<PurchaseOrderRow, 'lines' | 'overdue'> {
  supplierEmail: string | null;
  why: string | null;
  approved_at: string | null;
  received_at: string | null;
  cancel_reason: string | null;
  created_by: string;
  approvalLimit: number;
  lines: PurchaseOrderLine[];
  receipts: { id: number; line_id: number; movement_id: number; qty: number; location: string; actor: string; received_at: string }[];
  history: { at: string; actor: string; action: string; before: unknown; after: unknown }[];
}
export interface ItemPlanView {
  sku: string;
  location: string;
  available: boolean;
  reason?: string;
  supplier?: { code: string; name: string; unitCost: number; currency: string };
  onHand?: number;
  openOrders?: { qty: number; expectedDay: number; po: string }[];
  summary?: string;
  explain?: ReplExplain;
  itemPolicy?: { id: number; kind: string; service_level: number; review_days: number; min_qty: number | null; max_qty: number | null } | null;
  curve?: { date: string; stock: number; demand: number; receipts: number }[];
}

/* Waste reduction and promotions (issue 6: /api/waste/…, /api/promotions) */
export type AbcClass = 'A' | 'B' | 'C';
export type XyzClass = 'X' | 'Y' | 'Z';
export interface MatrixCell { abc: AbcClass; xyz: XyzClass; count: number; stockValue: number; revenue: number }
export interface WasteItem {
  productId: number; sku: string; name: string; category: string; location: string; price: number; cost: number; onHand: number;
  abc: AbcClass; xyz: XyzClass; cv: number | null; revenue: number; daysSinceLastSale: number | null; idleDays: number;
  dailyDemand: number; demandSource: 'forecast' | 'history'; daysOfCover: number | null; sellThrough: number;
  avgAgeDays: number | null; oldestAgeDays: number | null; excessUnits: number; tiedUpValue: number; stockValue: number;
  status: 'dead' | 'slow' | 'ok'; elasticity: number; elasticitySd: number; elasticitySource: 'item' | 'category' | 'pooled' | 'default';
}
export interface Classification { anchor: Anchor; location: string | null; matrix: MatrixCell[]; total: number; items: WasteItem[] }
export interface SlowStock {
  anchor: Anchor; total: number; items: WasteItem[];
  totals: { items: number; dead: number; slow: number; excessUnits: number; tiedUpValue: number; stockValue: number };
}
export interface MarkdownOffer {
  productId: number; sku: string; name: string; category: string; location: string; abc: AbcClass; xyz: XyzClass;
  price: number; cost: number; onHand: number; excessUnits: number; tiedUpValue: number; dailyDemand: number; clearUnits: number;
  days: number; targetDate: string; depth: number; offerPrice: number; uplift: number; clearedUnits: number; leftover: number;
  revenue: number; margin: number; cannotClear: boolean; baseline: { clearedUnits: number; revenue: number; leftover: number };
  candidates: { depth: number; price: number; clearedUnits: number; revenue: number; clears: boolean }[];
  elasticity: number; elasticitySd: number; elasticitySource: WasteItem['elasticitySource']; promotionId: number | null;
}
export interface Offers { anchor: Anchor; days: number; targetDate: string; total: number; offers: MarkdownOffer[]; noDemand: { count: number; tiedUpValue: number } }
export interface Elasticities {
  items: number; withOwnEstimate: number; pooled: number | null; mean: number | null; tau: number;
  quantiles: { p5: number; p25: number; p50: number; p75: number; p95: number } | null;
  histogram: { from: number; to: number; count: number }[];
  categories: { category: string; pooled: number | null; mean: number; items: number; withOwn: number }[];
}
export interface Bundle { partner: string; name: string; score: number; partnerDailyDemand: number; reach: number }
export interface Promotion {
  id: number; name: string; productId: number | null; sku: string | null; productName?: string | null; category: string | null;
  kind: 'percent' | 'fixed_price'; value: number; startsOn: string; endsOn: string;
  status: 'scheduled' | 'running' | 'ended' | 'cancelled'; source: 'manual' | 'markdown'; acceptedBy: string; createdAt: string;
  cancelledAt: string | null; cancelledBy: string | null;
  results?: { daysElapsed: number; units: number; unitsPerDay: number | null; baselinePerDay: number; baselineSource: string; uplift: number | null; expectedUplift: number | null };
}

// ——— Storefront orders (issue 10) ———
export type OrderStatus = 'pending' | 'confirmed' | 'failed' | 'expired' | 'cancelled' | 'refunded' | 'partially_refunded';
export interface OrderRow {
  id: number;
  ref: string;
  name: string;
  email: string;
  status: OrderStatus;
  paymentProvider: string;
  paymentStatus: string;
  currency: string;
  total: number;
  refundedTotal: number;
  createdAt: string;
  expiresAt: string;
  saleId: number | null;
  units: number;
}
export interface OrderLineView { line: number; sku: string; name: string; qty: number; listPrice: number; unitPrice: number; refundedQty: number }
export interface OrderDetail {
  id: number;
  ref: string;
  name: string;
  email: string;
  address: string | null;
  customer: string | null;
  location: string;
  status: OrderStatus;
  paymentProvider: string;
  paymentStatus: string;
  paymentRef: string | null;
  currency: string;
  subtotal: number;
  total: number;
  refundedTotal: number;
  saleId: number | null;
  note: string | null;
  createdAt: string;
  expiresAt: string;
  confirmedAt: string | null;
  lines: OrderLineView[];
  reservations: { id: number; sku: string; qty: number; state: string; expiresAt: string; closedAt: string | null }[];
  movements: { id: number; sku: string; kind: string; qty: number; balanceAfter: number; unitPrice: number | null; actor: string; occurredAt: string; reason: string | null }[];
  history: { at: string; actor: string; action: string; after: unknown }[];
}

// Kiosk and demographics (issue 8)
export interface KioskConfig {
  location: string | null;
  locationName: string | null;
  enabled: boolean;
  reason: string | null;
  storeName: string;
  currency: string;
  socket: string;
}
export interface KioskItem {
  productId: number;
  sku: string;
  name: string;
  colour: string | null;
  size: string | null;
  price: number;
  available: number;
  where: string;
  reason: string;
}
export interface KioskPerson {
  gender: 'male' | 'female';
  ageGroup: string;
  confidence: number;
  ageConfidence: number;
  dwellMs: number;
}
export type KioskMessage =
  | { type: 'hello'; location: string; zone: string | null; mode: 'attract'; items: KioskItem[] }
  | { type: 'estimate'; seq: number; ms: number; faces: number; mode: 'person' | 'attract'; person: KioskPerson | null; items?: KioskItem[] }
  | { type: 'dropped'; seq: number }
  | { type: 'error'; seq?: number; error: string };
export interface DemographicCell {
  ageGroup: string;
  gender: 'male' | 'female';
  count: number | null;
  suppressed: boolean;
}
export interface DemographicsReport {
  period: { from: string; to: string };
  previous: { from: string; to: string; visitors: number; cells: DemographicCell[] };
  visitors: number;
  change: number | null;
  dwell: { medianMs: number | null; meanMs: number | null; buckets: { label: string; count: number }[] };
  cells: DemographicCell[];
  byDay: { day: string; total: number | null; cells: DemographicCell[] }[];
  byWeekdayHour: number[][];
  byHour: { hour: number; female: number; male: number }[];
  byPlace: { location: string; zone: string | null; visitors: number; medianDwellMs: number }[];
  attach: { shown: number; converted: number; rate: number | null; items: { sku: string; name: string; sold: number }[] };
  minCount: number;
}
export interface VisionSettings {
  retentionDays: number;
  disabledLocations: string[];
}

// ————— integrations and jobs (issue 11) —————
export interface WebhookSub {
  id: number;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  createdAt: string;
  secretHint?: string;
  secret?: string;
  deliveries: Record<string, number>;
}
export interface WebhookDelivery {
  id: number;
  subscriptionId: number;
  url: string;
  eventId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastMs: number | null;
  replayOf: number | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: unknown;
}
export interface IncomingSource {
  code: string;
  kind: 'generic' | 'shopify' | 'woocommerce';
  location: string;
  applyLevels: boolean;
  active: boolean;
  url: string;
  secret?: string;
  events: Record<string, number>;
}
export interface IncomingEvent {
  id: number;
  source: string;
  externalId: string;
  topic: string;
  status: 'applied' | 'ignored' | 'failed';
  error: string | null;
  receivedAt: string;
}
export interface Job {
  id: number;
  type: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  progress: { done: number; total: number; note: string | null };
  lockedBy: string | null;
  runAt: string;
  result: unknown;
  error: string | null;
  actor: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
