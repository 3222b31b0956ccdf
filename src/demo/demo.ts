import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Transaction } from 'kysely';
import { appendMovements, BATCH, cleanPendingSearchIndex, ensureCustomers, insertSales, reserveIds, type BulkMovement } from '../db/repositories/bulk.repository.ts';
import type { DB } from '../db/schema.ts';
import type { AppServices } from '../services/index.ts';
import { inTransaction } from '../services/transaction.ts';
import { placementServiceOf } from '../services/placement.service.ts';
import { log } from '../log.ts';
import { readFashionCatalog } from './fashion-catalog.ts';
import { loadInspectionDemo } from './inspection-demo.ts';
import { demoIntegrations } from './integrations-demo.ts';
import { planOnlineRetail, readOnlineRetail } from './online-retail.ts';

export const OR_FILE = ['retail', 'online_retail_2010_2011.csv'];
export const FASHION_FILE = ['catalog', 'fashion_styles.csv'];
const ACTOR = { id: null, label: 'demo loader' };

export function demoAvailable(dataDir: string): boolean {
  return existsSync(join(dataDir, ...OR_FILE)) && existsSync(join(dataDir, ...FASHION_FILE));
}

export interface DemoProgress {
  message: string;
}

/**
 * Loads the demo store in one transaction (a kill leaves an empty store, and the next start tries again):
 * UKR = the UCI Online Retail gift shop (real sales history), FASH1 = a clothing store stocked with the real
 * Myntra catalog (no sales: the catalog has none). docs/demo-data.md says how each table was built.
 */
export async function loadDemo(services: AppServices, dataDir: string, onProgress: (p: DemoProgress) => void = () => {}) {
  const t0 = Date.now();
  const step = (message: string) => onProgress({ message });
  step('reading Online Retail');
  const or = await readOnlineRetail(join(dataDir, ...OR_FILE), (n) => step(`reading Online Retail: ${n.toLocaleString()} lines`));
  const plan = planOnlineRetail(or.lines);
  step('reading the fashion catalog');
  const fashion = await readFashionCatalog(join(dataDir, ...FASHION_FILE));
  const { db } = services.database;
  const summary = await inTransaction(db, async (trx) => {
    await clearStore(trx);
    step('locations, zones, suppliers');
    const [ukr, fash] = await setupLocations(trx);
    const suppliers = await trx
      .insertInto('suppliers')
      .values([
        { code: 'GIFTS-UK', name: 'Gift wholesale supplier (demo)', currency: 'GBP', lead_time_days: 7, lead_time_sd_days: 2, moq: 12, pack_size: 12, min_order_value: 250 },
        { code: 'FASHION-EU', name: 'Fashion supplier (demo)', currency: 'GBP', lead_time_days: 14, lead_time_sd_days: 4, moq: 6, pack_size: 6, min_order_value: 500 },
      ])
      .returning(['id', 'code'])
      .execute();
    const sid = new Map(suppliers.map((s) => [s.code, s.id]));
    step(`products: ${plan.products.length.toLocaleString()} gift SKUs, ${fashion.length.toLocaleString()} clothing SKUs`);
    const pid = new Map<string, number>();
    const costOf = new Map<string, number>();
    const orSrc = 'UCI Online Retail 2010-11 (CC BY 4.0)';
    const fpSrc = 'Myntra Fashion Product Images catalog (Kaggle)';
    const allProducts = [
      ...plan.products.map((p) => ({ ...p, subcategory: null, articleType: null, gender: null, ageGroup: null, colour: null, season: null, usage: null, supplier: sid.get('GIFTS-UK')!, source: orSrc, attributes: '{}' })),
      ...fashion.map((p) => ({ ...p, supplier: sid.get('FASHION-EU')!, source: fpSrc, attributes: JSON.stringify({ year: p.year }) })),
    ];
    for (let i = 0; i < allProducts.length; i += BATCH) {
      const b = allProducts.slice(i, i + BATCH);
      const col = <K extends keyof (typeof b)[number]>(k: K) => b.map((p) => p[k]);
      const r = await sql<{ id: number; sku: string }>`insert into products (sku, name, category, subcategory, article_type, gender, age_group, colour, season, usage, price, cost, default_supplier_id, source, attributes)
        select * from unnest(${col('sku')}::text[], ${col('name')}::text[], ${col('category')}::text[], ${col('subcategory')}::text[], ${col('articleType')}::text[],
          ${col('gender')}::text[], ${col('ageGroup')}::text[], ${col('colour')}::text[], ${col('season')}::text[], ${col('usage')}::text[], ${col('price')}::numeric[],
          ${col('cost')}::numeric[], ${col('supplier')}::int[], ${col('source')}::text[], ${col('attributes')}::jsonb[])
        returning id, sku`.execute(trx);
      for (const x of r.rows) pid.set(x.sku, x.id);
      for (const p of b) costOf.set(p.sku, p.cost);
    }
    step(`customers: ${plan.customers.length.toLocaleString()}`);
    const cust = await ensureCustomers(trx, plan.customers);
    step(`sales: ${plan.invoices.length.toLocaleString()} invoices`);
    const saleIds = await reserveIds(trx, 'sales_id_seq', plan.invoices.length);
    const saleOf = new Map(plan.invoices.map((inv, i) => [inv.invoice, saleIds[i]]));
    const totals = new Map<string, number>();
    for (const m of plan.movements) if (m.invoice) totals.set(m.invoice, (totals.get(m.invoice) ?? 0) + -m.qty * (m.price ?? 0));
    await insertSales(
      trx,
      plan.invoices.map((inv, i) => ({
        id: saleIds[i],
        locationId: ukr,
        customerId: inv.customer ? cust.get(inv.customer)! : null,
        orderRef: inv.invoice,
        channel: 'online',
        occurredAt: inv.at,
        total: Math.round((totals.get(inv.invoice) ?? 0) * 100) / 100,
      })),
      null,
    );
    const moves: BulkMovement[] = plan.movements.map((m) => ({
      productId: pid.get(m.sku)!,
      locationId: ukr,
      kind: m.kind,
      qty: m.qty,
      unitCost: costOf.get(m.sku) ?? null,
      unitPrice: m.price,
      reason: m.reason,
      saleId: m.invoice ? saleOf.get(m.invoice)! : null,
      occurredAt: m.at,
    }));
    let done = 0;
    await appendMovements(trx, moves, ACTOR, (n) => {
      done += n;
      step(`ledger: ${done.toLocaleString()} / ${moves.length.toLocaleString()} movements`);
    });
    step('clothing store opening stock');
    const opening = new Date(Date.UTC(2011, 11, 1));
    const fashionMoves: BulkMovement[] = fashion
      .filter((p) => p.openingQty > 0)
      .map((p) => ({ productId: pid.get(p.sku)!, locationId: fash, kind: 'opening', qty: p.openingQty, unitCost: p.cost, unitPrice: null, reason: 'opening count (demo: the catalog has no stock)', saleId: null, occurredAt: opening }));
    await appendMovements(trx, fashionMoves, ACTOR);
    // Thresholds: 3 units for stocked clothing; for gifts, a week of the item's median weekly sales is left to the replenishment issue.
    await sql`update stock_levels set low_threshold = 3 where location_id = ${fash}`.execute(trx);
    const provenance = {
      loadedAt: new Date().toISOString(),
      stores: {
        UKR: { source: orSrc, lines: or.lines.length, excludedNonStockLines: or.excluded, ...plan.counts, invoices: plan.invoices.length, customers: plan.customers.length, products: plan.products.length },
        FASH1: { source: fpSrc, products: fashion.length, stocked: fashionMoves.length },
      },
      derived: [
        'gift categories: keyword rule on the description',
        'gift cost: 60 % of the most common unit price',
        'gift receipts: a weekly delivery covering the real outflow of that week, in packs of 12',
        'clothing prices: placeholder list price by sub-category; cost 45 %',
        'clothing stock: an opening count from a hash of the product id (about 25 % not stocked)',
        'suppliers: two demo suppliers with stated lead times',
      ],
    };
    await trx.insertInto('settings').values({ key: 'demo.provenance', value: JSON.stringify(provenance) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(provenance), updated_at: new Date() })).execute();
    // The online shop (/shop) sells the clothing store's stock (docs/storefront.md; SHOP_LOCATION overrides it).
    await trx.insertInto('settings').values({ key: 'shop.location', value: JSON.stringify('FASH1') }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify('FASH1'), updated_at: new Date() })).execute();
    return `${plan.products.length.toLocaleString()} gift products with ${moves.length.toLocaleString()} movements (${plan.invoices.length.toLocaleString()} invoices), ${fashion.length.toLocaleString()} clothing products`;
  });
  await cleanPendingSearchIndex(db);
  await sql`analyze`.execute(db);
  step('placement: FASH1 starting layout');
  // the store is loaded even if this extra fails; the page then starts from an empty layout
  await placementServiceOf(services).seedDemo('FASH1', { id: null, label: ACTOR.label, role: 'system' }).catch((e) => log.warn('placement demo layout failed', { error: String(e?.message ?? e) }));
  await demoIntegrations(services);
  const inspections = await loadInspectionDemo(services, step); // issue 12: real fabric photos, when present
  return { ms: Date.now() - t0, summary: inspections ? `${summary}, ${inspections}` : summary };
}

async function setupLocations(trx: Transaction<DB>): Promise<[number, number]> {
  const locs = await trx
    .insertInto('locations')
    .values([
      { code: 'UKR', name: 'UK online gift shop (UCI Online Retail)', kind: 'store' },
      { code: 'FASH1', name: 'Clothing store (fashion catalog)', kind: 'store' },
      { code: 'WH1', name: 'Central warehouse', kind: 'warehouse' },
      { code: 'QUAR', name: 'Quarantine (receiving inspection)', kind: 'quarantine' },
    ])
    .returning(['id', 'code'])
    .execute();
  const fash = locs.find((l) => l.code === 'FASH1')!.id;
  const zones: [string, string, string, number, number][] = [
    ['ENT', 'Entrance', 'entrance', 1.0, 40],
    ['WIN', 'Window', 'window', 0.9, 20],
    ['FT1', 'Front table 1', 'table', 0.8, 30],
    ['FT2', 'Front table 2', 'table', 0.75, 30],
    ['AE1', 'Aisle end 1', 'aisle_end', 0.6, 24],
    ['WALLA', 'Wall A', 'wall', 0.4, 120],
    ['WALLB', 'Wall B', 'wall', 0.35, 120],
    ['FIT', 'Fitting-room route', 'fitting_route', 0.5, 40],
    ['BACK', 'Back of store', 'back', 0.2, 200],
  ];
  await trx.insertInto('zones').values(zones.map(([code, name, kind, visibility, capacity]) => ({ location_id: fash, code, name, kind, visibility, capacity }))).execute();
  return [locs.find((l) => l.code === 'UKR')!.id, fash];
}

/** `demo --reload` starts from an empty store (users, sessions and tokens are kept). */
async function clearStore(trx: Transaction<DB>) {
  await sql`truncate stock_movements, stock_levels, alerts, sales, customers, supplier_products, zones, idempotency_keys, imports, products, locations, suppliers restart identity cascade`.execute(trx);
  await sql`delete from settings where key = 'demo.provenance'`.execute(trx);
}
