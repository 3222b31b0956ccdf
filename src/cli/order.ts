import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { storefrontOf } from '../services/storefront.service.ts';
import { cliActor, runAction, withServices } from './run.ts';

const STATUSES = ['open', 'pending', 'confirmed', 'failed', 'expired', 'cancelled', 'refunded', 'partially_refunded'] as const;
const collect = (v: string, prev: string[]) => [...prev, v];

/** An order by id (digits) or by reference (SW-…). */
async function orderId(s: Parameters<typeof storefrontOf>[0], idOrRef: string): Promise<number> {
  return /^\d+$/.test(idOrRef) ? Number(idOrRef) : storefrontOf(s).orders.idOfRef(idOrRef);
}

/** SKU=QTY pairs for a partial refund. */
function parseLines(items: string[]) {
  return items.map((x, i) => {
    const m = /^([^=\s]+)=(\d+)$/.exec(x);
    if (!m || Number(m[2]) <= 0) throw new AppError('invalid', `expected SKU=QTY (a positive whole number), got "${x}"`, `line.${i}`);
    return { sku: m[1], qty: Number(m[2]) };
  });
}

/** `shelfwise order list|show|refund|release-expired`: the shop's orders from the terminal (docs/storefront.md). */
export function orderCommand(program: Command) {
  const cmd = program.command('order').description('shop orders: list, show, refund, release expired checkouts (docs/storefront.md)');

  cmd
    .command('list')
    .description('orders, newest first')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--search <text>', 'order ref, email or name contains')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action((o: { status?: string; search?: string; limit: string; json?: boolean }) =>
      runAction(async () => {
        if (o.status && !STATUSES.includes(o.status as (typeof STATUSES)[number])) throw new AppError('invalid', `status must be one of ${STATUSES.join(', ')}`, 'status');
        if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1 || Number(o.limit) > 500) throw new AppError('invalid', 'limit must be 1-500', 'limit');
        await withServices(async (s) => {
          const r = await storefrontOf(s).orders.list({ status: o.status as (typeof STATUSES)[number] | undefined, q: o.search, page: 1, pageSize: Number(o.limit) });
          if (o.json) return console.log(JSON.stringify(r, null, 2));
          console.log(`${'id'.padStart(6)}  ${'ref'.padEnd(13)} ${'status'.padEnd(18)} ${'payment'.padEnd(8)} ${'total'.padStart(10)}  ${'units'.padStart(5)}  created           email`);
          for (const x of r.items)
            console.log(`${String(x.id).padStart(6)}  ${x.ref.padEnd(13)} ${x.status.padEnd(18)} ${x.paymentStatus.padEnd(8)} ${Number(x.total).toFixed(2).padStart(10)}  ${String(x.units).padStart(5)}  ${new Date(x.createdAt).toISOString().slice(0, 16).replace('T', ' ')}  ${x.email}`);
          console.log(`${r.items.length} of ${r.total} orders`);
        });
      }),
    );

  cmd
    .command('show <idOrRef>')
    .description('one order: lines, payment, reservations and its stock movements')
    .option('--json', 'print JSON')
    .option('--receipt', 'print the HTML receipt instead')
    .action((idOrRef: string, o: { json?: boolean; receipt?: boolean }) =>
      runAction(() =>
        withServices(async (s) => {
          const orders = storefrontOf(s).orders;
          const d = await orders.detail(await orderId(s, idOrRef));
          if (o.receipt) return console.log(orders.receipt(d));
          if (o.json) return console.log(JSON.stringify(d, null, 2));
          console.log(`order ${d.ref} (#${d.id}) ${d.status}; payment ${d.paymentProvider} ${d.paymentStatus}${d.paymentRef ? ` (${d.paymentRef})` : ''}`);
          console.log(`  ${d.name} <${d.email}>${d.address ? `, ${d.address}` : ''}; from ${d.location}; placed ${new Date(d.createdAt).toISOString()}`);
          if (d.note) console.log(`  note: ${d.note}`);
          for (const l of d.lines) console.log(`  ${String(l.qty).padStart(3)} × ${l.sku.padEnd(20)} ${l.unitPrice.toFixed(2).padStart(9)}${l.unitPrice < l.listPrice ? ` (list ${l.listPrice.toFixed(2)})` : ''}${l.refundedQty ? `  refunded ${l.refundedQty}` : ''}  ${l.name}`);
          console.log(`  total ${d.total.toFixed(2)} ${d.currency}${d.refundedTotal ? `, refunded ${d.refundedTotal.toFixed(2)}` : ''}`);
          for (const r of d.reservations) console.log(`  reservation ${r.sku} × ${r.qty}: ${r.state}`);
          for (const m of d.movements) console.log(`  movement #${m.id} ${m.kind} ${m.sku} ${m.qty} → ${m.balanceAfter}`);
        }),
      ),
    );

  cmd
    .command('refund <idOrRef>')
    .description('refund a confirmed order (every line, or the ones given): return movements, card refunds at the provider')
    .option('--line <SKU=QTY>', 'refund only this (repeatable)', collect, [])
    .option('--reason <text>', 'why')
    .action((idOrRef: string, o: { line: string[]; reason?: string }) =>
      runAction(async () => {
        const lines = o.line.length ? parseLines(o.line) : undefined;
        await withServices(async (s) => {
          const r = await storefrontOf(s).checkout.refund(cliActor(), await orderId(s, idOrRef), { lines, reason: o.reason });
          console.log(`order ${r.ref}: refunded ${r.amount.toFixed(2)}, now ${r.status}; ${r.movements.map((m) => `${m.sku} +${m.qty} → ${m.balanceAfter}`).join(', ')}`);
        });
      }),
    );

  cmd
    .command('release-expired')
    .description('release the stock of checkouts whose payment did not finish in time (serve does this every minute)')
    .action(() =>
      runAction(() =>
        withServices(async (s) => {
          const r = await storefrontOf(s).checkout.releaseExpired();
          console.log(`released ${r.expired} expired checkout(s); ${r.confirmed} found paid and confirmed`);
        }),
      ),
    );
}
