import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import type { AppServices } from '../services/index.ts';
import { poCsv, poPdf } from '../services/po-export.ts';
import { purchaseOrderServiceOf } from '../services/purchase-order.service.ts';
import { replenishmentServiceOf } from '../services/replenishment.service.ts';
import { simulateCommand } from './replenish-simulate.ts';
import { cliActor, withServices } from './run.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const STATUSES = ['draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'] as const;

/** A PO by id (12) or number (PO-000012). */
async function poId(s: AppServices, ref: string): Promise<number> {
  const r = await s.database.db.selectFrom('purchase_orders').select('id').where((eb) => (/^\d+$/.test(ref) ? eb('id', '=', Number(ref)) : eb('number', '=', ref.toUpperCase()))).executeTakeFirst();
  if (!r) throw new AppError('not_found', `no purchase order ${ref}`, 'po');
  return r.id;
}

/** `shelfwise replenish …`: runs, item plans, purchase orders and the policy simulator (docs/replenishment.md). */
export function replenishCommand(program: Command) {
  const cmd = program.command('replenish').description('replenishment: run it, see an item\'s plan, manage purchase orders, simulate policies');

  cmd
    .command('run')
    .description('plan every SKU × location from the latest forecasts, stock and open POs; draft POs grouped by supplier')
    .option('--location <code>', 'only this location')
    .option('--sku <sku>', 'only this SKU (repeatable)', collect, [])
    .option('--budget <amount>', 'spend cap for this run (highest expected shortage first)')
    .action(async (o: { location?: string; sku: string[]; budget?: string }) => {
      const budget = o.budget === undefined ? undefined : Number(o.budget);
      if (budget !== undefined && !(budget >= 0)) throw new AppError('invalid', 'budget must be a number ≥ 0', 'budget');
      await withServices(async (s) => {
        const r = await replenishmentServiceOf(s).run({ actor: cliActor(), location: o.location, skus: o.sku.length ? o.sku : undefined, budget });
        console.log(
          `replenishment run ${r.id}: ${r.items} items planned, ${r.suggestions} suggestions in ${r.purchaseOrders} draft POs worth ${r.totalValue.toFixed(2)}, ` +
            `${r.skipped} skipped, ${r.alerts} new alerts; read ${r.seconds.read} s, plan ${r.seconds.plan} s, write ${r.seconds.write} s, total ${r.seconds.total} s`,
        );
      });
    });

  cmd
    .command('plan <sku>')
    .description('an item\'s policy numbers with how each was computed, and days until stockout')
    .requiredOption('--location <code>', 'location')
    .option('--json', 'print JSON (with the projected stock curve)')
    .action(async (sku: string, o: { location: string; json?: boolean }) => {
      await withServices(async (s) => {
        const p = await replenishmentServiceOf(s).itemPlan(sku, o.location);
        if (o.json) return console.log(JSON.stringify(p, null, 2));
        if (!p.available) throw new AppError('not_found', `${sku} at ${o.location}: ${p.reason}`);
        const e = p.explain;
        console.log(`${sku} at ${o.location}: ${p.summary}`);
        console.log(`  policy ${e.kind} (${e.policySource}), ${e.service}, review ${e.reviewDays} d, lead time ${e.leadTimeDays} ± ${e.leadTimeSdDays} d, supplier ${p.supplier.code}`);
        for (const k of ['reorderPoint', 'orderUpTo', 'eoq', 'safetyStock', 'inventoryPosition', 'orderQty'] as const) if (e[k]) console.log(`  ${k}: ${e[k]!.why}`);
        console.log(`  ${e.projection}`);
        if (e.note) console.log(`  note: ${e.note}`);
      });
    });

  const po = cmd.command('po').description('purchase orders: list, show, approve, send, receive, cancel, close, export');
  po.command('list')
    .description('purchase orders, newest first')
    .option('--status <status>', STATUSES.join('|'))
    .option('--supplier <code>', 'only this supplier')
    .action(async (o: { status?: string; supplier?: string }) => {
      if (o.status && !STATUSES.includes(o.status as never)) throw new AppError('invalid', `status must be one of ${STATUSES.join(', ')}`, 'status');
      await withServices(async (s) => {
        const r = await purchaseOrderServiceOf(s).list({ status: o.status as never, supplier: o.supplier, limit: 500 });
        console.log(`${'PO'.padEnd(10)} ${'status'.padEnd(18)} ${'supplier'.padEnd(12)} ${'ship to'.padEnd(8)} ${'lines'.padStart(5)} ${'total'.padStart(12)}  expected`);
        for (const p of r.items)
          console.log(`${p.number.padEnd(10)} ${(p.status + (p.overdue ? ' (late)' : '')).padEnd(18)} ${p.supplier.padEnd(12)} ${p.location.padEnd(8)} ${String(p.lines).padStart(5)} ${Number(p.total).toFixed(2).padStart(12)}  ${p.expected_at ?? '-'}`);
      });
    });
  po.command('show <po>')
    .description('one PO with its lines and why each quantity')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      await withServices(async (s) => {
        const p = await purchaseOrderServiceOf(s).get(await poId(s, ref));
        if (o.json) return console.log(JSON.stringify(p, null, 2));
        console.log(`${p.number} to ${p.supplier} (${p.supplierName}) for ${p.location}: ${p.status}, ${Number(p.total).toFixed(2)} ${p.currency}, expected ${p.expected_at ?? '-'}`);
        if (p.why) console.log(`  ${p.why}`);
        for (const l of p.lines)
          console.log(`  [${l.id}] ${l.sku.padEnd(12)} ${String(l.qty_ordered).padStart(6)} ordered ${String(l.qty_received).padStart(6)} received  ${l.decision.padEnd(8)} ${l.summary ?? ''}`);
      });
    });
  const simple = (name: string, description: string, fn: (s: AppServices, id: number) => Promise<{ number: string; status: string }>) =>
    po.command(`${name} <po>`).description(description).action(async (ref: string) => {
      await withServices(async (s) => {
        const r = await fn(s, await poId(s, ref));
        console.log(`${r.number}: ${r.status}`);
      });
    });
  simple('approve', 'approve a draft (the CLI operator is not bound by the managers\' limit)', (s, id) => purchaseOrderServiceOf(s).approve(cliActor(), id));
  simple('send', 'mark an approved PO sent (expected = today + lead time)', (s, id) => purchaseOrderServiceOf(s).send(cliActor(), id));
  simple('close', 'close a received PO, or short-close a partly received one', (s, id) => purchaseOrderServiceOf(s).close(cliActor(), id));
  po.command('cancel <po>')
    .description('cancel a PO without receipts')
    .requiredOption('--reason <text>', 'why')
    .action(async (ref: string, o: { reason: string }) => {
      await withServices(async (s) => {
        const r = await purchaseOrderServiceOf(s).cancel(cliActor(), await poId(s, ref), o.reason);
        console.log(`${r.number}: ${r.status}`);
      });
    });
  po.command('receive <po>')
    .description('receive goods: --line SKU=QTY (repeatable) or --all for everything still open; writes ledger receipts at the PO cost')
    .option('--line <sku=qty>', 'SKU and quantity received (repeatable)', collect, [])
    .option('--all', 'receive every open quantity')
    .option('--location <code>', 'receive into this location instead of the PO\'s (e.g. quarantine)')
    .action(async (ref: string, o: { line: string[]; all?: boolean; location?: string }) => {
      if (!o.all && o.line.length === 0) throw new AppError('invalid', 'give --line SKU=QTY or --all', 'line');
      await withServices(async (s) => {
        const svc = purchaseOrderServiceOf(s);
        const id = await poId(s, ref);
        const p = await svc.get(id);
        const open = p.lines.filter((l) => l.decision !== 'rejected');
        const lines = o.all
          ? open.filter((l) => l.qty_ordered > l.qty_received).map((l) => ({ lineId: l.id, qty: l.qty_ordered - l.qty_received, locationCode: o.location }))
          : o.line.map((x, i) => {
              const m = /^([^=]+)=(\d+)$/.exec(x);
              if (!m) throw new AppError('invalid', `expected SKU=QTY, got ${x}`, `line.${i}`);
              const l = open.find((y) => y.sku === m[1]);
              if (!l) throw new AppError('not_found', `${m[1]} is not on ${p.number}`, `line.${i}`);
              return { lineId: l.id, qty: Number(m[2]), locationCode: o.location };
            });
        if (lines.length === 0) throw new AppError('conflict', `${p.number} has nothing left to receive`);
        const r = await svc.receiveLines(cliActor(), id, lines);
        for (const m of r.movements) console.log(`received ${m.qty} × ${m.sku} at ${m.location} (movement ${m.id}, on hand now ${m.balanceAfter})`);
        console.log(`${r.number}: ${r.status}`);
      });
    });
  po.command('export <po>')
    .description('write the PO for its supplier as CSV or PDF')
    .option('--format <fmt>', 'csv|pdf', 'csv')
    .option('-o, --out <file>', 'output file (default PO-number-SUPPLIER.csv|pdf)')
    .action(async (ref: string, o: { format: string; out?: string }) => {
      if (o.format !== 'csv' && o.format !== 'pdf') throw new AppError('invalid', 'format must be csv or pdf', 'format');
      await withServices(async (s) => {
        const p = await purchaseOrderServiceOf(s).get(await poId(s, ref));
        const file = o.out ?? `${p.number}-${p.supplier}.${o.format}`;
        writeFileSync(file, o.format === 'csv' ? poCsv(p) : await poPdf(p));
        console.log(`wrote ${file}`);
      });
    });

  simulateCommand(cmd);
}
