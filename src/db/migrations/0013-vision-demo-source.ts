import { sql, type Kysely } from 'kysely';

/**
 * vision_events.source may also be 'demo': the demo store's visitor events, made by the real face analyzer
 * from real UTKFace faces (src/demo/kiosk-demo.ts, docs/demo-data.md), so they stay distinguishable from
 * events of a real kiosk or camera. Nothing else changes (still no image, crop or embedding).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table vision_events drop constraint if exists vision_events_source_check;
alter table vision_events add constraint vision_events_source_check check (source in ('kiosk','camera','demo'));
`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
delete from vision_events where source = 'demo';
alter table vision_events drop constraint if exists vision_events_source_check;
alter table vision_events add constraint vision_events_source_check check (source in ('kiosk','camera'));
`.execute(db);
}
