import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ReplenishmentTables } from './schema/replenishment.ts';
import type { WasteTables } from './schema/waste.ts';
import type { RecommendTables } from './schema/recommend.ts';
import type { VisionTables } from './schema/vision.ts';
import type { PlacementTables } from './schema/placement.ts';
import type { StorefrontTables } from './schema/storefront.ts';
import type { IntegrationTables } from './schema/integrations.ts';
import type { InspectionTables } from './schema/inspection.ts';

/** Kysely types of the tables created in migrations/. Keep in step with the SQL. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = Record<string, unknown>> = ColumnType<T, string | T | undefined, string | T>;

export type Role = 'admin' | 'manager' | 'staff' | 'kiosk';
export type Gender = 'men' | 'women' | 'unisex' | 'boys' | 'girls';
export type MovementKind =
  | 'receipt'
  | 'sale'
  | 'return'
  | 'adjustment'
  | 'transfer_out'
  | 'transfer_in'
  | 'write_off'
  | 'stocktake'
  | 'opening'
  | 'return_to_supplier';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: Generated<string>;
  role: Role;
  password_hash: string | null;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
}
export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
export interface SuppliersTable {
  id: Generated<number>;
  code: string;
  name: string;
  email: string | null;
  currency: Generated<string>;
  lead_time_days: Generated<number>;
  lead_time_sd_days: Generated<number>;
  moq: Generated<number>;
  pack_size: Generated<number>;
  min_order_value: Generated<number>;
  created_at: Generated<Date>;
}
export interface ProductsTable {
  id: Generated<number>;
  sku: string;
  barcode: string | null;
  name: string;
  category: Generated<string>;
  subcategory: string | null;
  article_type: string | null;
  brand: string | null;
  style_code: string | null;
  gender: Gender | null;
  age_group: string | null;
  season: string | null;
  colour: string | null;
  size: string | null;
  usage: string | null;
  price: Generated<number>;
  cost: Generated<number>;
  status: Generated<'active' | 'discontinued'>;
  default_supplier_id: number | null;
  attributes: Json;
  source: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface SupplierProductsTable {
  supplier_id: number;
  product_id: number;
  supplier_sku: string | null;
  unit_cost: number;
  moq: number | null;
  pack_size: number | null;
}
export interface LocationsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: 'store' | 'warehouse' | 'quarantine';
  allow_negative: Generated<boolean>;
  created_at: Generated<Date>;
}
export interface ZonesTable {
  id: Generated<number>;
  location_id: number;
  code: string;
  name: string;
  kind: Generated<string>;
  visibility: Generated<number>;
  capacity: number | null;
}
export interface CustomersTable {
  id: Generated<number>;
  code: string;
  name: string | null;
  email: string | null;
  country: string | null;
  gender: string | null;
  age_group: string | null;
  /** Shop account password (argon2id), migration 0010-storefront; null for customers without an account. */
  password_hash: Generated<string | null>;
  created_at: Generated<Date>;
}
export interface SalesTable {
  id: Generated<number>;
  location_id: number;
  customer_id: number | null;
  order_ref: string | null;
  channel: Generated<string>;
  occurred_at: Timestamp;
  total: Generated<number>;
  created_by: number | null;
  created_at: Generated<Date>;
  /** The camera kiosk's estimate of the shopper (migration 0007; male|female, child|teen|adult|senior). */
  shopper_gender: ColumnType<string | null, string | null | undefined, string | null>;
  shopper_age_group: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface StockLevelsTable {
  product_id: number;
  location_id: number;
  on_hand: Generated<number>;
  reserved: Generated<number>;
  low_threshold: number | null;
  last_movement_at: Timestamp | null;
  last_sale_at: Timestamp | null;
  /** Copies kept by triggers for the inventory listing (migration 0002). */
  sku: Generated<string>;
  name: Generated<string>;
  category: Generated<string>;
  status: Generated<string>;
  location_code: Generated<string>;
}
export interface StockMovementsTable {
  id: Generated<number>;
  product_id: number;
  location_id: number;
  kind: MovementKind;
  qty: number;
  balance_after: number;
  unit_cost: number | null;
  unit_price: number | null;
  reason: string | null;
  sale_id: number | null;
  reverses_id: number | null;
  transfer_ref: string | null;
  actor_id: number | null;
  actor: string;
  occurred_at: Timestamp;
  recorded_at: Generated<Date>;
}
export interface IdempotencyKeysTable {
  key: string;
  request_hash: string;
  response: Json<unknown> | null;
  created_at: Generated<Date>;
}
export interface AlertsTable {
  id: Generated<number>;
  kind: string;
  severity: Generated<string>;
  product_id: number | null;
  location_id: number | null;
  message: string;
  data: Json;
  created_at: Generated<Date>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: number | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
}
export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}
export interface ImportsTable {
  id: Generated<number>;
  kind: string;
  file: string;
  rows: Generated<number>;
  skipped: Generated<number>;
  actor: string;
  started_at: Timestamp;
  finished_at: Generated<Date>;
  /** The job that ran it (dashboard uploads, migration 0016); null for the CLI. */
  job_id: number | null;
}

/** An uploaded file waiting for its import job (migration 0016); deleted when the job is done. */
export interface ImportUploadsTable {
  id: Generated<number>;
  kind: 'products' | 'stock' | 'sales';
  file_name: string;
  options: ColumnType<unknown, string, string>;
  content: Uint8Array;
  size: number;
  actor: string;
  created_at: Generated<Date>;
}

/** Forecast runs and their results (migration 0003; docs/forecasting.md "Integration"). */
export interface ForecastRunsTable {
  id: Generated<number>;
  status: Generated<'running' | 'done' | 'failed'>;
  freq: 'D' | 'W' | 'M';
  horizon: number;
  scope: Json;
  as_of: ColumnType<string | null, string | null | undefined, string | null>;
  phase: Generated<string>;
  series: Generated<number>;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  error: string | null;
  actor: string;
  timings: Json<Record<string, number>> | null;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  finished_at: Timestamp | null;
}
export interface ForecastsTable {
  run_id: number;
  product_id: number;
  location_id: number;
  freq: 'D' | 'W' | 'M';
  start_date: ColumnType<string, string, string>;
  model: string;
  reason: string;
  demand_class: string;
  distribution: string;
  history_periods: number;
  out_of_stock_periods: number;
  backtest: Json<unknown> | null;
  mean: number[];
  p50: number[];
  p80: number[];
  p95: number[];
}

/** Every table: the foundation's here, each capability's in src/db/schema/<area>.ts. */
export interface DB
  extends ReplenishmentTables,
    WasteTables,
    RecommendTables,
    VisionTables,
    PlacementTables,
    StorefrontTables,
    IntegrationTables,
    InspectionTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  suppliers: SuppliersTable;
  products: ProductsTable;
  supplier_products: SupplierProductsTable;
  locations: LocationsTable;
  zones: ZonesTable;
  customers: CustomersTable;
  sales: SalesTable;
  stock_levels: StockLevelsTable;
  stock_movements: StockMovementsTable;
  idempotency_keys: IdempotencyKeysTable;
  alerts: AlertsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  imports: ImportsTable;
  import_uploads: ImportUploadsTable;
  forecast_runs: ForecastRunsTable;
  forecasts: ForecastsTable;
  forecasts_latest: ForecastsTable;
}

export type Product = Selectable<ProductsTable>;
export type NewProduct = Insertable<ProductsTable>;
export type ProductUpdate = Updateable<ProductsTable>;
export type Location = Selectable<LocationsTable>;
export type Movement = Selectable<StockMovementsTable>;
export type User = Selectable<UsersTable>;
