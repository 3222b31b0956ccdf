import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadInspectionDemo } from '../../src/demo/inspection-demo.ts';
import { SYSTEM } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import { qualityReport, supplierQuality } from '../../src/services/inspection-quality.service.ts';
import { loadTildaStain } from '../../src/vision/datasets.ts';

const skip = loadTildaStain() ? false : 'tilda_stain not found (set SHELFWISE_DATA)';

test('the demo inspections: eight weekly receipts from FASHION-EU, rate rising past the threshold, one return', { skip }, async () => {
  const database = await openDatabase({});
  try {
    await migrateToLatest(database);
    const s = createServices(database);
    await s.catalog.createLocation(SYSTEM, { code: 'FASH1', name: 'Clothing', kind: 'store' });
    await s.catalog.createLocation(SYSTEM, { code: 'QUAR', name: 'Quarantine', kind: 'quarantine' });
    await s.catalog.upsertSupplier(SYSTEM, { code: 'FASHION-EU', name: 'Fashion supplier' });
    for (let i = 0; i < 8; i++) await s.catalog.createProduct(SYSTEM, { sku: `F${i}`, name: `Shirt ${i}`, articleType: 'Shirts', price: 20, cost: 9, defaultSupplier: 'FASHION-EU' });
    const summary = await loadInspectionDemo(s);
    assert.match(summary ?? '', /8 receiving inspections \(24 real fabric photos\)/);
    const q = await supplierQuality(database.db, 'FASHION-EU');
    assert.deepEqual([q.window.inspected, q.window.defective], [24, 7]);
    assert.equal(q.aboveThreshold, true);
    assert.ok(q.openAlert, 'the alert is open');
    const rep = await qualityReport(database.db, { weeks: 8 });
    assert.equal(rep.series[0].points.filter((p) => p !== null).length, 8, 'one point per week');
    const credits = await sql<{ n: number }>`select count(*)::int as n from supplier_credit_lines`.execute(database.db);
    assert.equal(credits.rows[0].n, 1);
    assert.deepEqual(await s.inventory.checkLedger(), []);
  } finally {
    await database.close();
  }
});
