import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../schema.ts';

/** Tables of the inspection capability (migration 0012-inspections). */
export interface InspectionTables {
  inspection_batches: InspectionBatchesTable;
  inspections: InspectionsTable;
  inspection_movements: InspectionMovementsTable;
  supplier_credit_lines: SupplierCreditLinesTable;
}

/** A defect region in relative coordinates (0..1 of the photo's width / height). */
export interface DefectRegion {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

export interface InspectionBatchesTable {
  id: Generated<number>;
  supplier_id: number;
  product_id: number;
  location_id: number;
  quarantine_location_id: number;
  qty_received: number;
  plan: 'all' | 'sample';
  sample_size: number;
  accept_max: Generated<number>;
  /** Filled when #5's purchase-order receiving calls the inspection service (no foreign key). */
  po_id: number | null;
  po_line_id: number | null;
  reference: string | null;
  status: Generated<'open' | 'closed'>;
  lot_rejected: boolean | null;
  good_qty: number | null;
  defective_qty: number | null;
  returned_qty: Generated<number>;
  written_off_qty: Generated<number>;
  actor_id: number | null;
  actor: string;
  created_at: Generated<Date>;
  closed_at: Timestamp | null;
}

export interface InspectionsTable {
  id: Generated<number>;
  batch_id: number;
  model_defective: boolean | null;
  model_p: number | null;
  model_confidence: number | null;
  model_region: Json<DefectRegion> | null;
  model_version: string | null;
  model_ms: number | null;
  final_defective: boolean | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  note: string | null;
  photo_path: string | null;
  photo_bytes: number | null;
  photo_expires_at: Timestamp | null;
  actor: string;
  created_at: Generated<Date>;
}

export interface InspectionMovementsTable {
  batch_id: number;
  movement_id: number;
  purpose: 'receive_good' | 'quarantine' | 'return_to_supplier' | 'write_off';
}

export interface SupplierCreditLinesTable {
  id: Generated<number>;
  supplier_id: number;
  batch_id: number;
  product_id: number;
  po_id: number | null;
  po_line_id: number | null;
  movement_id: number;
  qty: number;
  unit_cost: number;
  amount: number;
  reason: string | null;
  actor: string;
  created_at: Generated<Date>;
}
