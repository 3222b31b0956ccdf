import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { integrationsOf } from '../services/integrations.ts';
import { cliActor, withServices } from './run.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const idOf = (v: string) => {
  if (!/^\d+$/.test(v)) throw new AppError('invalid', 'id must be a positive whole number', 'id');
  return Number(v);
};

/** Reads "sku,location,available" lines (a header line is skipped) for `reconcile --file`. */
function readLevels(path: string) {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  if (lines[0] && /sku/i.test(lines[0])) lines.shift();
  return lines.map((l, i) => {
    const [sku, location, available] = l.split(',').map((x) => x.trim());
    if (!sku || !location || !/^\d+$/.test(available ?? '')) throw new AppError('invalid', `line ${i + 2}: expected sku,location,available (a whole number)`, 'file');
    return { sku, location, available: Number(available) };
  });
}

/** `shelfwise webhook …`, `shelfwise source …` and `shelfwise reconcile` (docs/integrations.md). */
export function integrationsCommand(program: Command) {
  const wh = program.command('webhook').description('outgoing webhooks: subscribe URLs to events, see deliveries, replay one');
  wh.command('add <url>')
    .description('subscribe a URL; prints the signing secret once')
    .option('-e, --event <type>', 'stock.changed | stock.low | forecast.updated | purchase_order.approved | purchase_order.received | order.created | * (repeatable)', collect, [])
    .option('-d, --description <text>', 'what it is for')
    .option('--secret <secret>', 'use this signing secret (default: a random one)')
    .action(async (url: string, o: { event: string[]; description?: string; secret?: string }) =>
      withServices(async (s) => {
        const r = await integrationsOf(s).webhooks.subscribe(cliActor(), { url, events: o.event.length ? o.event : ['*'], description: o.description, secret: o.secret });
        console.log(`webhook ${r.id}: ${r.url} for ${r.events.join(', ')}\nsigning secret (shown once): ${r.secret}`);
      }),
    );
  wh.command('list')
    .description('subscriptions with their delivery counts')
    .action(async () =>
      withServices(async (s) => {
        const items = await integrationsOf(s).webhooks.list();
        if (!items.length) return console.log('no webhook subscriptions (add one with `shelfwise webhook add <url>`)');
        for (const w of items) console.log(`${w.id} ${w.active ? 'active' : 'paused'} ${w.url} [${w.events.join(', ')}] ${Object.entries(w.deliveries).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }),
    );
  wh.command('deliveries')
    .description('the delivery log, newest first')
    .option('--status <s>', 'pending | delivered | failed')
    .option('--limit <n>', 'how many (default 20)', '20')
    .action(async (o: { status?: string; limit: string }) =>
      withServices(async (s) => {
        const items = await integrationsOf(s).webhooks.deliveries({ status: o.status, limit: idOf(o.limit) });
        for (const d of items)
          console.log(`${d.id} ${d.event.padEnd(16)} ${d.eventId} → ${d.url} ${d.status} (${d.attempts} attempts${d.lastStatus ? `, HTTP ${d.lastStatus}` : ''}${d.lastError ? `, ${d.lastError}` : ''})${d.replayOf ? ` replay of ${d.replayOf}` : ''}`);
      }),
    );
  wh.command('replay <deliveryId>')
    .description('send a delivery’s event again (a worker or the server delivers it)')
    .action(async (id: string) =>
      withServices(async (s) => {
        const r = await integrationsOf(s).webhooks.replay(cliActor(), idOf(id));
        console.log(`delivery ${r.deliveryId} queued (replay of ${r.replayOf}, job ${r.jobId})`);
      }),
    );

  const src = program.command('source').description('incoming sources: external shops that send orders and inventory levels');
  src
    .command('add <code>')
    .description('add a source; prints its webhook URL path and secret')
    .requiredOption('-k, --kind <kind>', 'generic | shopify | woocommerce')
    .requiredOption('-l, --location <code>', 'the location its orders and levels apply to')
    .option('--secret <secret>', 'the shop’s signing secret (Shopify app secret, WooCommerce webhook secret)')
    .option('--map-item <ext=sku>', 'external inventory item id → SKU (repeatable)', collect, [])
    .option('--map-location <ext=code>', 'external location id → location code (repeatable)', collect, [])
    .option('--record-levels-only', 'inventory levels are recorded for `reconcile` instead of applied at once')
    .action(async (code: string, o: { kind: string; location: string; secret?: string; mapItem: string[]; mapLocation: string[]; recordLevelsOnly?: boolean }) => {
      if (!['generic', 'shopify', 'woocommerce'].includes(o.kind)) throw new AppError('invalid', 'kind must be generic, shopify or woocommerce', 'kind');
      const pairs = (xs: string[], f: string) =>
        Object.fromEntries(
          xs.map((x) => {
            const [k, v] = x.split('=');
            if (!k || !v) throw new AppError('invalid', `expected ext=value, got ${x}`, f);
            return [k, v];
          }),
        );
      await withServices(async (s) => {
        const r = await integrationsOf(s).incoming.addSource(cliActor(), {
          code,
          kind: o.kind as 'generic',
          location: o.location,
          secret: o.secret,
          itemMap: pairs(o.mapItem, 'map-item'),
          locationMap: pairs(o.mapLocation, 'map-location'),
          applyLevels: !o.recordLevelsOnly,
        });
        console.log(`source ${r.code} (${r.kind}) → ${r.location}\nwebhook URL: <server>${r.url}\nsecret: ${r.secret}`);
      });
    });
  src
    .command('list')
    .description('sources and their event counts')
    .action(async () =>
      withServices(async (s) => {
        for (const x of await integrationsOf(s).incoming.listSources())
          console.log(`${x.code} ${x.kind} → ${x.location} ${x.applyLevels ? 'applies levels' : 'records levels'} ${Object.entries(x.events).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }),
    );

  program
    .command('reconcile')
    .description('compare external stock levels with the ledger; --apply posts the differences as adjustments with a reason')
    .option('-s, --source <code>', 'the levels a source last reported')
    .option('-f, --file <csv>', 'levels from a CSV file: sku,location,available')
    .option('--apply', 'post the differences (needs --reason)')
    .option('-r, --reason <text>', 'why (recorded on every movement)')
    .option('--json', 'print JSON')
    .action(async (o: { source?: string; file?: string; apply?: boolean; reason?: string; json?: boolean }) => {
      if (!o.source && !o.file) throw new AppError('invalid', 'name a --source or a --file', 'source');
      const levels = o.file ? readLevels(o.file) : undefined;
      await withServices(async (s) => {
        const r = await integrationsOf(s).incoming.reconcile(cliActor(), { source: o.source, levels, apply: !!o.apply, reason: o.reason });
        if (o.json) return console.log(JSON.stringify(r, null, 2));
        console.log(`${r.compared} levels compared, ${r.differences.length} differ${r.applied ? `; posted ${r.movements} adjustments` : r.differences.length ? ' (dry run: add --apply --reason "…" to post them)' : ''}`);
        for (const d of r.differences.slice(0, 50)) console.log(`  ${d.sku} at ${d.location}: ledger ${d.ledger}, external ${d.external} (${d.delta > 0 ? '+' : ''}${d.delta})`);
        if (r.differences.length > 50) console.log(`  … and ${r.differences.length - 50} more (--json for all)`);
      });
    });
}
