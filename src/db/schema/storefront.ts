import type { Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

/** Tables of the storefront capability (migration 0010-storefront). customers.password_hash is added there too. */
export type OrderStatus = 'pending' | 'confirmed' | 'failed' | 'expired' | 'cancelled' | 'refunded' | 'partially_refunded';
export type PaymentStatus = 'pending' | 'due' | 'paid' | 'failed' | 'refunded';

export interface CustomerSessionsTable {
  token_hash: string;
  customer_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}
export interface OrdersTable {
  id: Generated<number>;
  ref: string;
  customer_id: number | null;
  email: string;
  name: string;
  address: string | null;
  location_id: number;
  status: Generated<OrderStatus>;
  payment_provider: string;
  payment_status: Generated<PaymentStatus>;
  payment_ref: string | null;
  /** SHA-256 of the key in the confirmation link, so a guest can see their order. */
  access_hash: string;
  currency: Generated<string>;
  subtotal: number;
  total: number;
  refunded_total: Generated<number>;
  sale_id: number | null;
  note: string | null;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  confirmed_at: Timestamp | null;
  updated_at: Generated<Date>;
}
export interface OrderLinesTable {
  order_id: number;
  line: number;
  product_id: number;
  sku: string;
  name: string;
  qty: number;
  list_price: number;
  unit_price: number;
  refunded_qty: Generated<number>;
}
export interface ReservationsTable {
  id: Generated<number>;
  order_id: number;
  product_id: number;
  location_id: number;
  qty: number;
  state: Generated<'held' | 'converted' | 'released' | 'expired'>;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  closed_at: Timestamp | null;
}
export interface PaymentEventsTable {
  provider: string;
  event_id: string;
  type: string;
  order_id: number | null;
  received_at: Generated<Date>;
}

export interface StorefrontTables {
  customer_sessions: CustomerSessionsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  reservations: ReservationsTable;
  payment_events: PaymentEventsTable;
}
