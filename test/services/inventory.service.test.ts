import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { SYSTEM } from '../../src/services/actor.ts';
import { CatalogService } from '../../src/services/catalog.service.ts';
import { InventoryService } from '../../src/services/inventory.service.ts';
import { AppError } from '../../src/errors.ts';
import { describeEachDb } from '../helpers/db.ts';

describeEachDb('stock ledger', (get) => {
  let inv: InventoryService;
  let cat: CatalogService;
  before(async () => {
    const { db } = get();
    inv = new InventoryService(db);
    cat = new CatalogService(db);
    await cat.createLocation(SYSTEM, { code: 'S1', name: 'Store 1', kind: 'store' });
    await cat.createLocation(SYSTEM, { code: 'W1', name: 'Warehouse', kind: 'warehouse' });
    await cat.createLocation(SYSTEM, { code: 'NEG', name: 'Allows negative', kind: 'store', allowNegative: true });
    for (const sku of ['A', 'B', 'LAST', 'IDEM', 'RET']) await cat.createProduct(SYSTEM, { sku, name: `Item ${sku}`, price: 10, cost: 4 });
  });

  test('receipts, sales and balances', async () => {
    const r = await inv.postMovements(SYSTEM, [{ sku: 'A', location: 'S1', kind: 'receipt', qty: 20 }]);
    assert.equal(r.result[0].balanceAfter, 20);
    const s = await inv.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'A', qty: 3 }, { sku: 'A', qty: 2, unitPrice: 8 }] });
    assert.deepEqual(s.result.movements.map((m) => m.balanceAfter), [17, 15]);
    assert.equal(s.result.total, 46);
  });

  test('a sale beyond available stock is refused and writes nothing', async () => {
    const { db } = get();
    const before = await db.selectFrom('stock_movements').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await assert.rejects(
      inv.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 1 }] }),
      (e: unknown) => e instanceof AppError && e.kind === 'insufficient_stock' && /B at S1 has 0 available/.test(e.message),
    );
    const after = await db.selectFrom('stock_movements').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
    const sales = await db.selectFrom('sales').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(sales.n, 1, 'the failed sale header was rolled back');
  });

  test('a location that allows negative stock takes the sale', async () => {
    const r = await inv.recordSale(SYSTEM, { location: 'NEG', lines: [{ sku: 'B', qty: 2 }] });
    assert.equal(r.result.movements[0].balanceAfter, -2);
  });

  test('64 concurrent sales of the last 10 units sell exactly 10', async () => {
    await inv.postMovements(SYSTEM, [{ sku: 'LAST', location: 'S1', kind: 'receipt', qty: 10 }]);
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, () => inv.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'LAST', qty: 1 }] })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as AppError).kind === 'insufficient_stock').length;
    assert.equal(ok, 10);
    assert.equal(refused, 54);
    const { db } = get();
    const lvl = await db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').select('s.on_hand').where('p.sku', '=', 'LAST').executeTakeFirstOrThrow();
    assert.equal(lvl.on_hand, 0);
  });

  test('a repeated idempotency key returns the first result and writes nothing', async () => {
    await inv.postMovements(SYSTEM, [{ sku: 'IDEM', location: 'S1', kind: 'receipt', qty: 5 }]);
    const body = { location: 'S1', lines: [{ sku: 'IDEM', qty: 1 }] };
    const runs = await Promise.all(Array.from({ length: 8 }, () => inv.recordSale(SYSTEM, body, 'key-1')));
    assert.equal(new Set(runs.map((r) => r.result.id)).size, 1, 'one sale id for all');
    assert.equal(runs.filter((r) => !r.replayed).length, 1);
    const { db } = get();
    const lvl = await db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').select('s.on_hand').where('p.sku', '=', 'IDEM').executeTakeFirstOrThrow();
    assert.equal(lvl.on_hand, 4);
    await assert.rejects(inv.recordSale(SYSTEM, { ...body, lines: [{ sku: 'IDEM', qty: 2 }] }, 'key-1'), (e: unknown) => (e as AppError).kind === 'conflict');
  });

  test('transfers move stock between locations atomically', async () => {
    const t = await inv.transfer(SYSTEM, { sku: 'A', from: 'S1', to: 'W1', qty: 5 });
    assert.deepEqual(t.result.movements.map((m) => [m.location, m.qty, m.balanceAfter]), [['S1', -5, 10], ['W1', 5, 5]]);
    await assert.rejects(inv.transfer(SYSTEM, { sku: 'A', from: 'W1', to: 'S1', qty: 6 }), (e: unknown) => (e as AppError).kind === 'insufficient_stock');
  });

  test('returns are limited to what was sold and not yet returned', async () => {
    await inv.postMovements(SYSTEM, [{ sku: 'RET', location: 'S1', kind: 'receipt', qty: 10 }]);
    const sale = await inv.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'RET', qty: 4 }] });
    const r1 = await inv.recordReturn(SYSTEM, sale.result.id, { lines: [{ sku: 'RET', qty: 3 }] });
    assert.equal(r1.result.movements[0].balanceAfter, 9);
    await assert.rejects(inv.recordReturn(SYSTEM, sale.result.id, { lines: [{ sku: 'RET', qty: 2 }] }), /only 1 of RET can still be returned/);
  });

  test('reversal corrects a movement once', async () => {
    const r = await inv.postMovements(SYSTEM, [{ sku: 'B', location: 'W1', kind: 'receipt', qty: 7 }]);
    const rev = await inv.reverse(SYSTEM, r.result[0].id, 'typo');
    assert.equal(rev.result.qty, -7);
    assert.equal(rev.result.balanceAfter, 0);
    await assert.rejects(inv.reverse(SYSTEM, r.result[0].id, 'again'), /already reversed/);
  });

  test('stocktake posts the difference only', async () => {
    const r = await inv.stocktake(SYSTEM, { location: 'S1', counts: [{ sku: 'A', counted: 8 }, { sku: 'LAST', counted: 0 }] });
    assert.equal(r.result.changed, 1);
    assert.equal(r.result.movements[0].qty, -2);
  });

  test('low-stock alert fires once when crossing the threshold', async () => {
    await inv.setThreshold(SYSTEM, 'A', 'S1', 6);
    await inv.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'A', qty: 3 }] }); // 8 → 5
    await inv.recordSale(SYSTEM, { location: 'S1', lines: [{ sku: 'A', qty: 1 }] }); // 5 → 4, already below
    const { db } = get();
    const alerts = await db.selectFrom('alerts').selectAll().where('kind', '=', 'low_stock').execute();
    assert.equal(alerts.length, 1);
    assert.match(alerts[0].message, /A at S1 has 5 available \(threshold 6\)/);
  });

  test('sign rules: a receipt with a negative quantity is refused', async () => {
    await assert.rejects(inv.postMovements(SYSTEM, [{ sku: 'A', location: 'S1', kind: 'receipt', qty: -1 }]), (e: unknown) => e instanceof AppError && e.field === 'lines.0.qty');
  });

  test('ledger invariant: sum of movements equals on-hand for every item', async () => {
    assert.deepEqual(await inv.checkLedger(), []);
    const { db } = get();
    const n = await db.selectFrom('stock_levels').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.ok(n.n >= 6);
    // The check can fail: a level changed behind the ledger's back is reported, with both figures.
    const a = await db.selectFrom('stock_levels as s').innerJoin('products as p', 'p.id', 's.product_id').select(['s.product_id', 's.location_id', 's.on_hand']).where('p.sku', '=', 'A').where('s.location_code', '=', 'S1').executeTakeFirstOrThrow();
    await db.updateTable('stock_levels').set({ on_hand: a.on_hand + 1 }).where('product_id', '=', a.product_id).where('location_id', '=', a.location_id).execute();
    assert.deepEqual(await inv.checkLedger(), [{ productId: a.product_id, locationId: a.location_id, onHand: a.on_hand + 1, movementSum: a.on_hand }]);
    await db.updateTable('stock_levels').set({ on_hand: a.on_hand }).where('product_id', '=', a.product_id).where('location_id', '=', a.location_id).execute();
  });
});
