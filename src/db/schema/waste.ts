import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../schema.ts';

type DateText = ColumnType<string, string, string>;

/** A price rule (migration 0006-promotions): one product or one category, percent off or a fixed price. */
export interface PromotionsTable {
  id: Generated<number>;
  name: string;
  product_id: number | null;
  category: string | null;
  kind: 'percent' | 'fixed_price';
  value: number;
  starts_on: DateText;
  ends_on: DateText;
  status: Generated<'active' | 'cancelled'>;
  source: Generated<'manual' | 'markdown'>;
  offer: Json<unknown> | null;
  created_by: number | null;
  created_by_label: string;
  created_at: Generated<Date>;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
}

/** View: today's selling price of every product (lowest running promotion, else the regular price). */
export interface ProductPricesNowView {
  product_id: number;
  sku: string;
  regular_price: number;
  price: number;
  promotion_id: number | null;
  promotion_ends_on: string | null;
}

/** Per product × location × UTC day: on-hand change, and sales' net units, units sold, revenue; kept by a trigger (migration 0014). */
export interface LedgerDailyTable {
  product_id: number;
  location_id: number;
  day: DateText;
  delta: number;
  sale_rows: number;
  net: number;
  sold: number;
  revenue: number;
}

/** Tables of the waste capability (migrations 0006-promotions, 0014-ledger-daily). */
export interface WasteTables {
  promotions: PromotionsTable;
  ledger_daily: LedgerDailyTable;
  product_prices_now: ProductPricesNowView;
}
