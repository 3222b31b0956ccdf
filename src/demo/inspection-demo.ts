/**
 * Demo receiving inspections (issue 12), run at the end of the demo load when the TILDA fabric photos are in the
 * data folder: eight weekly receipts of clothing from the demo supplier FASHION-EU into FASH1, three sampled units
 * each, photographed with real TILDA fabric photos and classified by the real model; the "human" final call is the
 * photo's true label (so a model mistake shows as an override). Later weeks get more stained photos, so the rate
 * rises past the alert threshold. Derived by rule: the inspection dates are spread over the last eight weeks
 * (the ledger receipts are dated at load time), and one rejected lot is returned to the supplier.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { AppServices } from '../services/index.ts';
import { inspectionServiceOf } from '../services/inspection.service.ts';
import { loadTildaStain } from '../vision/datasets.ts';

const ACTOR = { id: null, label: 'demo loader', role: 'system' as const };
/** Stained photos among the three sampled units, week by week (oldest first). */
const STAINED = [0, 0, 1, 0, 0, 1, 2, 3];

export async function loadInspectionDemo(services: AppServices, onStep: (m: string) => void = () => {}): Promise<string | null> {
  const rows = loadTildaStain()?.filter((r) => r.fair);
  if (!rows) return null;
  const { db } = services.database;
  const products = await db
    .selectFrom('products as p')
    .innerJoin('suppliers as s', 's.id', 'p.default_supplier_id')
    .select('p.sku')
    .where('s.code', '=', 'FASHION-EU')
    .where('p.article_type', 'in', ['Shirts', 'Tshirts', 'Tops', 'Kurtas'])
    .orderBy('p.id')
    .limit(STAINED.length)
    .execute();
  if (products.length < STAINED.length) return null;
  const stains = rows.filter((r) => r.defective);
  const clean = rows.filter((r) => !r.defective);
  const svc = inspectionServiceOf(services);
  let si = 0, ci = 0;
  for (const [w, bad] of STAINED.entries()) {
    onStep(`receiving inspections: week ${w + 1} of ${STAINED.length}`);
    const b = await svc.openBatch(ACTOR, { supplier: 'FASHION-EU', sku: products[w].sku, location: 'FASH1', qty: 24, sampling: { mode: 'sample', n: 3, acceptMax: 0 }, reference: `demo delivery ${w + 1}` });
    for (let k = 0; k < 3; k++) {
      const photo = k < bad ? stains[si++ % stains.length] : clean[ci++ % clean.length];
      const ins = await svc.inspectPhoto(ACTOR, b.id, readFileSync(photo.path));
      await svc.decide(ACTOR, ins.id, { defective: photo.defective, note: `demo: true label of ${photo.file}` });
    }
    await svc.close(ACTOR, b.id);
    const at = new Date(Date.now() - (STAINED.length - 1 - w) * 7 * 86_400_000 - 3 * 3_600_000);
    await sql`update inspection_batches set created_at = ${at}, closed_at = ${at} where id = ${b.id}`.execute(db);
    await sql`update inspections set created_at = ${at}, decided_at = ${at} where batch_id = ${b.id}`.execute(db);
  }
  const rejected = await svc.listBatches({ quarantined: true, limit: 1 });
  if (rejected[0]) await svc.dispose(ACTOR, rejected[0].id, { action: 'return_to_supplier', qty: Math.min(6, rejected[0].inQuarantine), reason: 'stained (demo)' });
  return `${STAINED.length} receiving inspections (${STAINED.length * 3} real fabric photos)`;
}
