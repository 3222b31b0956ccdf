/** Tables of the replenishment capability (migration 0005-replenishment). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../schema.ts';

export type PolicyKindColumn = 'rop' | 'rs' | 'eoq' | 'minmax' | 'jit';
export type PoStatus = 'draft' | 'approved' | 'sent' | 'partially_received' | 'received' | 'closed' | 'cancelled';
export type LineDecision = 'open' | 'approved' | 'rejected';

export interface ReplenishmentPoliciesTable {
  id: Generated<number>;
  product_id: number | null;
  location_id: number | null;
  category: string | null;
  kind: PolicyKindColumn;
  service_kind: Generated<'csl' | 'fill'>;
  service_level: Generated<number>;
  review_days: Generated<number>;
  ordering_cost: number | null;
  holding_rate: number | null;
  min_qty: number | null;
  max_qty: number | null;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface ReplenishmentRunsTable {
  id: Generated<number>;
  status: Generated<'running' | 'done' | 'failed'>;
  options: Json;
  items: Generated<number>;
  suggestions: Generated<number>;
  purchase_orders: Generated<number>;
  total_value: Generated<number>;
  skipped: Json<unknown[]>;
  alerts: Generated<number>;
  timings: Json<Record<string, number>> | null;
  error: string | null;
  actor: string;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface ReplenishmentPlansTable {
  product_id: number;
  location_id: number;
  run_id: number;
  supplier_id: number | null;
  kind: string;
  reorder_point: number;
  order_up_to: number;
  eoq: number | null;
  safety_stock: number;
  inventory_position: number;
  suggested_qty: number;
  expected_shortage: number;
  days_until_stockout: number | null;
  stockout_alert: Generated<boolean>;
  summary: string;
  note: string | null;
}

export interface PurchaseOrdersTable {
  id: Generated<number>;
  number: string;
  supplier_id: number;
  location_id: number;
  status: Generated<PoStatus>;
  currency: string;
  total: Generated<number>;
  run_id: number | null;
  why: string | null;
  notes: string | null;
  expected_at: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: Generated<Date>;
  approved_by: string | null;
  approved_at: Timestamp | null;
  sent_at: Timestamp | null;
  received_at: Timestamp | null;
  closed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  updated_at: Generated<Date>;
}

export interface PurchaseOrderLinesTable {
  id: Generated<number>;
  po_id: number;
  product_id: number;
  qty_ordered: number;
  qty_received: Generated<number>;
  unit_cost: number;
  suggested_qty: number | null;
  decision: Generated<LineDecision>;
  summary: string | null;
  /** JSON text (parsed when read): stored as text because a run writes tens of thousands at once. */
  explain: string | null;
  expected_shortage: number | null;
  days_until_stockout: number | null;
}

export interface PurchaseOrderReceiptsTable {
  id: Generated<number>;
  po_id: number;
  line_id: number;
  movement_id: number;
  location_id: number;
  qty: number;
  actor: string;
  received_at: Generated<Date>;
}

export interface ReplenishmentTables {
  replenishment_policies: ReplenishmentPoliciesTable;
  replenishment_runs: ReplenishmentRunsTable;
  replenishment_plans: ReplenishmentPlansTable;
  purchase_orders: PurchaseOrdersTable;
  purchase_order_lines: PurchaseOrderLinesTable;
  purchase_order_receipts: PurchaseOrderReceiptsTable;
}
