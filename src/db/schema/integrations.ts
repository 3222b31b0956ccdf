import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../schema.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Tables of the integrations capability (migration 0011-integrations). */
export interface IntegrationTables {
  jobs: {
    id: Generated<number>;
    type: string;
    payload: Json<unknown>;
    status: Generated<JobStatus>;
    priority: Generated<number>;
    attempts: Generated<number>;
    max_attempts: Generated<number>;
    backoff_ms: Generated<number>;
    run_at: Generated<Date>;
    locked_by: string | null;
    locked_until: Timestamp | null;
    progress_done: Generated<number>;
    progress_total: Generated<number>;
    progress_note: string | null;
    state: Json<unknown> | null;
    result: Json<unknown> | null;
    error: string | null;
    dedupe_key: string | null;
    actor: Generated<string>;
    created_at: Generated<Date>;
    started_at: Timestamp | null;
    updated_at: Generated<Date>;
    finished_at: Timestamp | null;
  };
  outbox_events: {
    id: Generated<number>;
    type: string;
    payload: Json<unknown>;
    created_at: Generated<Date>;
    dispatched_at: Timestamp | null;
  };
  webhook_subscriptions: {
    id: Generated<number>;
    url: string;
    secret: string;
    events: string[];
    description: Generated<string>;
    active: Generated<boolean>;
    created_at: Generated<Date>;
  };
  webhook_deliveries: {
    id: Generated<number>;
    subscription_id: number;
    event_id: number;
    event_type: string;
    status: Generated<'pending' | 'delivered' | 'failed'>;
    attempts: Generated<number>;
    last_status: number | null;
    last_error: string | null;
    last_ms: number | null;
    replay_of: number | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    delivered_at: Timestamp | null;
  };
  incoming_sources: {
    id: Generated<number>;
    code: string;
    kind: 'generic' | 'shopify' | 'woocommerce';
    secret: string;
    location_code: string;
    item_map: Json<Record<string, string>>;
    location_map: Json<Record<string, string>>;
    apply_levels: Generated<boolean>;
    active: Generated<boolean>;
    created_at: Generated<Date>;
  };
  incoming_events: {
    id: Generated<number>;
    source_id: number;
    external_id: string;
    topic: string;
    status: 'applied' | 'ignored' | 'failed';
    error: string | null;
    result: Json<unknown> | null;
    received_at: Generated<Date>;
  };
  external_levels: {
    source_id: number;
    product_id: number;
    location_id: number;
    available: number;
    external_updated_at: Timestamp | null;
    received_at: Generated<Date>;
  };
}
