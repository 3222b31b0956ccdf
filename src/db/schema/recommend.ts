import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../schema.ts';

/** Tables of the recommend capability (migration 0007-recommendations). */
export interface RecommendModelsTable {
  id: Generated<number>;
  status: Generated<'running' | 'done' | 'failed'>;
  phase: Generated<string>;
  progress: Generated<number>;
  actor: string;
  options: Json;
  metrics: Json<Record<string, unknown>> | null;
  error: string | null;
  /** The encoded model (model-codec), base64. */
  model: string | null;
  model_bytes: number | null;
  last_sale_id: ColumnType<number | null, number | null | undefined, number | null>;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  trained_at: Timestamp | null;
}
export interface RatingsTable {
  customer_id: number;
  product_id: number;
  rating: number;
  rated_at: Generated<Date>;
}
export interface RecommendTables {
  recommend_models: RecommendModelsTable;
  ratings: RatingsTable;
}
