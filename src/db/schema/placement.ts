import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../schema.ts';

/** Tables of the placement capability (migration 0009-placement). */
export interface PlacementTables {
  placement_zones: {
    zone_id: number;
    grid_x: Generated<number>;
    grid_y: Generated<number>;
    grid_w: Generated<number>;
    grid_h: Generated<number>;
    busy_hours: Generated<number[]>;
    capacity_unit: Generated<'facings' | 'metres'>;
    lift_learned: number | null;
    lift_sd: number | null;
    lift_evidence: Generated<number>;
    lift_updated_at: Timestamp | null;
  };
  placement_settings: {
    location_id: number;
    settings: Json;
    updated_at: Timestamp;
  };
  placement_plans: {
    id: Generated<number>;
    location_id: number;
    status: Generated<'proposed' | 'applied' | 'superseded'>;
    params: Json;
    result: Json;
    objective_before: number;
    objective_after: number;
    bound: number;
    gap: number;
    greedy: number | null;
    method: string;
    ms: number;
    created_by: string;
    created_at: Timestamp;
    applied_at: Timestamp | null;
    applied_by: string | null;
  };
  placement_assignments: {
    id: Generated<string>;
    location_id: number;
    unit_key: string;
    zone_id: number;
    pinned: Generated<boolean>;
    valid_from: Timestamp;
    valid_to: Timestamp | null;
    plan_id: number | null;
  };
}
