import type { Database } from '../../src/db/connection.ts';
import type { Actor } from '../../src/services/actor.ts';
import { createServices } from '../../src/services/index.ts';
import type { LayoutInput } from '../../src/services/placement-layout.ts';

export const ACTOR: Actor = { id: null, label: 'test', role: 'manager' };
export const DAY = 86_400_000;

/** Store S1: Shirts (men) sell 4/day, Dresses (women) 1/day, Socks (men) 0.2/day; prices differ. */
export async function seedPlacementStore(database: Database) {
  const { db } = database;
  await db.insertInto('locations').values([{ code: 'S1', name: 'Store 1', kind: 'store' }]).execute();
  const products = [
    ['SH1', 'Shirt one', 'Apparel', 'Topwear', 'Shirts', 'men', 30, 10],
    ['SH2', 'Shirt two', 'Apparel', 'Topwear', 'Shirts', 'men', 30, 10],
    ['DR1', 'Dress one', 'Apparel', 'Dress', 'Dresses', 'women', 40, 20],
    ['SO1', 'Socks one', 'Accessories', 'Socks', 'Socks', 'men', 6, 3],
  ] as const;
  await db
    .insertInto('products')
    .values(products.map(([sku, name, category, subcategory, article_type, gender, price, cost]) => ({ sku, name, category, subcategory, article_type, gender, price, cost, season: 'Summer' })))
    .execute();
  const services = createServices(database);
  const t0 = new Date(Date.now() - 80 * DAY);
  await services.inventory.postMovements(ACTOR, products.map(([sku]) => ({ sku, location: 'S1', kind: 'opening' as const, qty: 1000 })), t0);
  for (let d = 70; d >= 1; d--) {
    const at = new Date(Date.now() - d * DAY);
    const lines = [{ sku: 'SH1', qty: 2 }, { sku: 'SH2', qty: 2 }, { sku: 'DR1', qty: 1 }];
    if (d % 5 === 0) lines.push({ sku: 'SO1', qty: 1 });
    await services.inventory.recordSale(ACTOR, { location: 'S1', occurredAt: at, lines });
  }
  return services;
}

export const layout: LayoutInput = {
  location: 'S1',
  settings: { granularity: 'article_type', splitByGender: false, skusPerFacing: 1, weights: { recommend: 0, demographic: 0.5, offFloorLift: 0.1 } },
  zones: [
    { code: 'WIN', name: 'Window', kind: 'window', visibility: 2, capacity: 2, x: 0, y: 0, busyHours: [17, 18] },
    { code: 'WALL', name: 'Wall', kind: 'wall', visibility: 1, capacity: 2, x: 2, y: 0 },
    { code: 'BACK', name: 'Back', kind: 'back', visibility: 0.5, capacity: 10, x: 0, y: 1 },
  ],
  assignments: [
    { unit: 'Shirts', zone: 'BACK' },
    { unit: 'Dresses', zone: 'WIN' },
    { unit: 'Socks', zone: 'WALL' },
  ],
};

