import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

/** One anonymous person seen by a kiosk or camera (migration 0008-vision-events). */
export interface VisionEventsTable {
  id: Generated<string>;
  occurred_at: Timestamp;
  location_id: number;
  zone: string | null;
  /** 'demo': the demo store's events from real faces (migration 0013, src/demo/kiosk-demo.ts). */
  source: 'kiosk' | 'camera' | 'demo';
  age_group: string;
  gender: 'male' | 'female';
  confidence: number;
  dwell_ms: number;
  recommended: ColumnType<number[], number[] | undefined, number[]>;
  recorded_at: Generated<Date>;
}

/** Tables of the vision capability (migration 0008-vision-events). */
export interface VisionTables {
  vision_events: VisionEventsTable;
}
