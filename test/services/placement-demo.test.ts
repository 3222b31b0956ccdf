import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createServices, type AppServices } from '../../src/services/index.ts';
import { exportLayout } from '../../src/services/placement-layout.ts';
import { PlacementService } from '../../src/services/placement.service.ts';
import { describeEachDb } from '../helpers/db.ts';
import { ACTOR } from '../helpers/placement-data.ts';

/** The demo store's shape: FASH1 zones as in src/demo/demo.ts, fashion products, no sales. */
describeEachDb('placement on a demo-like store', (get) => {
  let services: AppServices;
  before(async () => {
    const { db } = get();
    const [loc] = await db.insertInto('locations').values({ code: 'FASH1', name: 'Clothing store', kind: 'store' }).returning('id').execute();
    const zones: [string, string, string, number, number][] = [
      ['ENT', 'Entrance', 'entrance', 1.0, 4], ['WIN', 'Window', 'window', 0.9, 2], ['FT1', 'Front table 1', 'table', 0.8, 3],
      ['WALLA', 'Wall A', 'wall', 0.4, 12], ['FIT', 'Fitting-room route', 'fitting_route', 0.5, 4], ['BACK', 'Back of store', 'back', 0.2, 20],
    ];
    await db.insertInto('zones').values(zones.map(([code, name, kind, visibility, capacity]) => ({ location_id: loc.id, code, name, kind, visibility, capacity }))).execute();
    const types = [['Tshirts', 'men', 'Summer', 25], ['Jackets', 'men', 'Winter', 80], ['Dresses', 'women', 'Summer', 40], ['Heels', 'women', 'Fall', 60], ['Socks', 'unisex', 'Summer', 6]] as const;
    const products = types.flatMap(([t, g, season, price], k) => Array.from({ length: 6 + k * 3 }, (_, i) => ({ sku: `${t}-${i}`, name: `${t} ${i}`, category: 'Apparel', subcategory: t, article_type: t, gender: g, season, price, cost: price * 0.45 })));
    await db.insertInto('products').values(products).execute();
    services = createServices(get());
    await services.inventory.postMovements(ACTOR, products.map((p) => ({ sku: p.sku, location: 'FASH1', kind: 'opening' as const, qty: 5 })));
  });

  test('seedDemo writes settings, grid and a starting layout once; the plan respects capacity and the season rule', async () => {
    const svc = new PlacementService(services);
    assert.equal(await svc.seedDemo('FASH1', ACTOR), true);
    assert.equal(await svc.seedDemo('FASH1', ACTOR), false, 'only once');
    const layout = await exportLayout(get().db, 'FASH1');
    assert.ok(layout.assignments.length > 0);
    assert.ok(layout.zones.every((z) => z.busyHours.length > 0));
    // July: winter lines only on walls or at the back
    const plan = await svc.optimise('FASH1', ACTOR, { whatIf: { month: 7 } });
    assert.equal(plan.inputs.demand.prior, 6 + 9 + 12 + 15 + 18);
    for (const z of plan.zones) assert.ok(z.usedAfter <= z.capacity, `${z.code} over capacity`);
    const jackets = plan.units.find((u) => u.key === 'Jackets · men')!;
    assert.ok(jackets.after == null || ['WALLA', 'BACK'].includes(jackets.after), `jackets in ${jackets.after}`);
    assert.ok(plan.gap < 0.02, `gap ${plan.gap}`);
    assert.ok(plan.objectiveAfter >= plan.objectiveBefore);
  });
});
