import type { Command } from 'commander';
import { formatMatrix } from '../domain/markdown/index.ts';
import { AppError } from '../errors.ts';
import { writeFileSync } from 'node:fs';
import { weeklyDigest } from '../services/digest.service.ts';
import { effectivePrices, promotionsServiceOf, type PromotionStatus } from '../services/promotions.service.ts';
import { wasteServiceOf, type WasteQuery } from '../services/waste.service.ts';
import { cliActor, withServices } from './run.ts';

interface ScopeOpts {
  location?: string;
  horizon?: string;
  deadDays?: string;
  aShare?: string;
  bShare?: string;
  abc?: string;
  xyz?: string;
  category?: string;
  limit?: string;
  json?: boolean;
}

function num(v: string | undefined, field: string, int = true): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (int && !Number.isInteger(n))) throw new AppError('invalid', `${field} must be ${int ? 'a whole number' : 'a number'}`, field);
  return n;
}

function scope(o: ScopeOpts): WasteQuery & { abc?: 'A' | 'B' | 'C'; xyz?: 'X' | 'Y' | 'Z'; category?: string; limit?: number } {
  if (o.abc && !['A', 'B', 'C'].includes(o.abc.toUpperCase())) throw new AppError('invalid', 'abc must be A, B or C', 'abc');
  if (o.xyz && !['X', 'Y', 'Z'].includes(o.xyz.toUpperCase())) throw new AppError('invalid', 'xyz must be X, Y or Z', 'xyz');
  return {
    location: o.location,
    horizonDays: num(o.horizon, 'horizon'),
    deadDays: num(o.deadDays, 'dead-days'),
    aShare: num(o.aShare, 'a-share', false),
    bShare: num(o.bShare, 'b-share', false),
    abc: o.abc?.toUpperCase() as 'A' | undefined,
    xyz: o.xyz?.toUpperCase() as 'X' | undefined,
    category: o.category,
    limit: num(o.limit, 'limit'),
  };
}

const withScope = (c: Command) =>
  c
    .option('--location <code>', 'only stock at this location')
    .option('--horizon <days>', 'excess = on hand − demand over this many days (default 90)')
    .option('--dead-days <days>', 'no sale for this many days → dead (default 90)')
    .option('--a-share <x>', 'ABC: cumulative revenue share closing A (default 0.8)')
    .option('--b-share <x>', 'ABC: cumulative revenue share closing B (default 0.95)')
    .option('--abc <class>', 'only items of this ABC class')
    .option('--xyz <class>', 'only items of this XYZ class')
    .option('--category <name>', 'only this category')
    .option('--limit <n>', 'rows to print', '20')
    .option('--json', 'print JSON');

const money = (x: number) => x.toFixed(2);
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** `shelfwise markdown …`: waste reduction from the command line (docs/markdown.md). */
export function markdownCommand(program: Command) {
  const cmd = program.command('markdown').description('waste reduction: ABC/XYZ classes, slow and dead stock, markdown offers and promotions (docs/markdown.md)');

  withScope(cmd.command('classify').description('ABC (revenue) × XYZ (demand variability) matrix with counts and stock value, and the top items')).action(async (o: ScopeOpts) =>
    withServices(async (s) => {
      const r = await wasteServiceOf(s).classification(scope(o));
      if (o.json) return console.log(JSON.stringify(r));
      console.log(`as of ${r.anchor.today}${r.location ? ` at ${r.location}` : ''}: count and stock value at cost per class`);
      console.log(formatMatrix(r.matrix));
      console.log(`\n${r.total} items${o.abc || o.xyz ? ` in ${o.abc ?? '*'}${o.xyz ?? '*'}` : ''}; top by revenue:`);
      for (const i of r.items) console.log(`  ${i.abc}${i.xyz} ${i.sku.padEnd(14)} ${i.location.padEnd(6)} revenue ${money(i.revenue).padStart(11)}  CV ${i.cv ?? '∞'}  ${i.name}`);
    }),
  );

  withScope(cmd.command('slow').description('slow, dead and excess stock ranked by tied-up value'))
    .option('--status <s>', 'dead | slow | excess | all', 'all')
    .action(async (o: ScopeOpts & { status: string }) =>
      withServices(async (s) => {
        if (!['dead', 'slow', 'excess', 'all'].includes(o.status)) throw new AppError('invalid', 'status must be dead, slow, excess or all', 'status');
        const r = await wasteServiceOf(s).slowStock({ ...scope(o), status: o.status as 'all' });
        if (o.json) return console.log(JSON.stringify(r));
        const t = r.totals;
        console.log(`as of ${r.anchor.today}: ${t.dead} dead, ${t.slow} slow of ${t.items} items; ${Math.round(t.excessUnits)} excess units; ${money(t.tiedUpValue)} of ${money(t.stockValue)} tied up`);
        console.log(`${'status'.padEnd(6)} ${'sku'.padEnd(14)} ${'loc'.padEnd(6)} ${'on hand'.padStart(8)} ${'last sale'.padStart(9)} ${'cover d'.padStart(8)} ${'sell-thr'.padStart(8)} ${'age d'.padStart(6)} ${'excess'.padStart(8)} ${'tied up'.padStart(10)}`);
        for (const i of r.items)
          console.log(
            `${i.status.padEnd(6)} ${i.sku.padEnd(14)} ${i.location.padEnd(6)} ${String(i.onHand).padStart(8)} ${(i.daysSinceLastSale === null ? 'never' : `${i.daysSinceLastSale}d`).padStart(9)} ${(i.daysOfCover === null ? '∞' : String(Math.round(i.daysOfCover))).padStart(8)} ${pct(i.sellThrough).padStart(8)} ${(i.avgAgeDays === null ? '-' : String(Math.round(i.avgAgeDays))).padStart(6)} ${String(Math.round(i.excessUnits)).padStart(8)} ${money(i.tiedUpValue).padStart(10)}`,
          );
      }),
    );

  withScope(cmd.command('offers').description('markdown offers: the discount that clears each excess item by the target date at the best expected revenue'))
    .option('--days <n>', 'days the markdown runs (default 56)')
    .option('--until <date>', 'target date YYYY-MM-DD instead of --days')
    .option('--bundles', 'also list co-purchase bundle partners of each offer')
    .action(async (o: ScopeOpts & { days?: string; until?: string; bundles?: boolean }) =>
      withServices(async (s) => {
        const w = wasteServiceOf(s);
        const r = await w.offers({ ...scope(o), days: num(o.days, 'days'), until: o.until });
        if (o.json) return console.log(JSON.stringify(r));
        console.log(`${r.total} excess items with demand (showing ${r.offers.length}); target ${r.targetDate} (${r.days} days); ${r.noDemand.count} more have no demand (clearance or bundle candidates)`);
        for (const x of r.offers) {
          console.log(
            `${x.sku.padEnd(14)} ${x.location.padEnd(6)} ${pct(x.depth).padStart(5)} off → ${money(x.offerPrice)} (was ${money(x.price)}): uplift ${pct(x.uplift)}, sells ${x.clearedUnits} of ${x.clearUnits} to clear, revenue ${money(x.revenue)} vs ${money(x.baseline.revenue)}${x.cannotClear ? ' (cannot clear)' : ''}; elasticity ${x.elasticity} ± ${x.elasticitySd} (${x.elasticitySource})${x.promotionId ? ` [promotion ${x.promotionId}]` : ''}`,
          );
          if (o.bundles) for (const b of await w.bundles(x.sku, { location: x.location })) console.log(`    bundle with ${b.partner} ${b.name} (co-purchase ${b.score}, sells ${b.partnerDailyDemand}/day)`);
        }
      }),
    );

  cmd
    .command('accept <sku>')
    .description('accept the markdown offer of a SKU: it becomes a percent-off promotion from today to the target date')
    .option('--location <code>', 'the location of the excess (needed when several)')
    .option('--days <n>', 'days the markdown runs (default 56)')
    .option('--until <date>', 'target date YYYY-MM-DD instead of --days')
    .option('--depth <fraction>', 'override the suggested depth, e.g. 0.3')
    .option('--name <text>', 'promotion name')
    .action(async (sku: string, o: { location?: string; days?: string; until?: string; depth?: string; name?: string }) =>
      withServices(async (s) => {
        const p = await promotionsServiceOf(s).acceptOffer(cliActor(), { sku, location: o.location, days: num(o.days, 'days'), until: o.until, depth: num(o.depth, 'depth', false), name: o.name });
        console.log(`promotion ${p.id} "${p.name}": ${p.value}% off ${p.sku}, ${p.startsOn} to ${p.endsOn} (${p.status})`);
      }),
    );

  cmd
    .command('promotions')
    .description('list promotions with their results so far')
    .option('--status <s>', 'all | scheduled | running | ended | cancelled', 'all')
    .option('--json', 'print JSON')
    .action(async (o: { status: string; json?: boolean }) =>
      withServices(async (s) => {
        if (!['all', 'scheduled', 'running', 'ended', 'cancelled'].includes(o.status)) throw new AppError('invalid', 'status must be all, scheduled, running, ended or cancelled', 'status');
        const items = await promotionsServiceOf(s).list({ status: o.status as PromotionStatus });
        if (o.json) return console.log(JSON.stringify(items));
        if (items.length === 0) return console.log('no promotions');
        for (const p of items) {
          const rule = p.kind === 'percent' ? `${p.value}% off` : `at ${money(p.value)}`;
          const res = p.results.uplift === null ? '' : `; ${p.results.unitsPerDay}/day vs ${p.results.baselinePerDay} baseline (uplift ${pct(p.results.uplift)})`;
          console.log(`${String(p.id).padStart(4)} ${p.status.padEnd(9)} ${rule} ${p.sku ?? `category ${p.category}`} ${p.startsOn}..${p.endsOn} by ${p.acceptedBy}${res}  ${p.name}`);
        }
      }),
    );

  cmd
    .command('cancel <id>')
    .description('cancel a promotion')
    .action(async (id: string) =>
      withServices(async (s) => {
        const p = await promotionsServiceOf(s).cancel(cliActor(), num(id, 'id')!);
        console.log(`promotion ${p.id} cancelled`);
      }),
    );

  cmd
    .command('check')
    .description('raise dead_stock alerts for items that turned dead since the previous check (the server does this daily)')
    .option('--all', 'alert every dead item not alerted yet, however long it has been dead')
    .action(async (o: { all?: boolean }) =>
      withServices(async (s) => {
        const r = await wasteServiceOf(s).checkDeadStock(cliActor(), { all: o.all });
        console.log(`${r.dead} dead items; ${r.alerted} new dead-stock alerts${r.items.length ? `: ${r.items.slice(0, 20).join(', ')}${r.items.length > 20 ? ', …' : ''}` : ''}`);
      }),
    );

  cmd
    .command('prices <sku...>')
    .description('effective selling prices today (or --at DATE): promotions applied')
    .option('--at <date>', 'YYYY-MM-DD')
    .action(async (skus: string[], o: { at?: string }) =>
      withServices(async (s) => {
        const db = s.database.db;
        const ids = await db.selectFrom('products').select(['id', 'sku']).where('sku', 'in', skus).execute();
        if (ids.length === 0) throw new AppError('not_found', `unknown sku ${skus.join(', ')}`, 'sku');
        const prices = await effectivePrices(db, ids.map((r) => r.id), o.at);
        for (const p of prices.values()) console.log(`${p.sku.padEnd(14)} ${money(p.price).padStart(9)}${p.promotionId ? ` (regular ${money(p.regularPrice)}, promotion ${p.promotionId} to ${p.promotionEndsOn})` : ''}`);
      }),
    );

  cmd
    .command('digest')
    .description('write the weekly digest (email-ready HTML: top sellers, slow/dead stock, offers, promotions)')
    .option('--location <code>', 'only this location')
    .option('-o, --out <file>', 'write to this file (default: stdout)')
    .action(async (o: { location?: string; out?: string }) =>
      withServices(async (s) => {
        const html = await weeklyDigest(s.database.db, wasteServiceOf(s), { location: o.location });
        if (!o.out) console.log(html);
        else {
          writeFileSync(o.out, html);
          console.log(`wrote ${o.out} (${html.length} bytes)`);
        }
      }),
    );

  withScope(cmd.command('elasticities').description('fitted price elasticities: distribution and per-category estimates')).action(async (o: ScopeOpts) =>
    withServices(async (s) => {
      const r = await wasteServiceOf(s).elasticities(scope(o));
      if (o.json) return console.log(JSON.stringify(r));
      console.log(`${r.items} items with sales at a price, ${r.withOwnEstimate} with an own estimate; pooled ${r.pooled}, mean ${r.mean}, τ ${r.tau}`);
      if (r.quantiles) console.log(`posterior p5 ${r.quantiles.p5}, p25 ${r.quantiles.p25}, median ${r.quantiles.p50}, p75 ${r.quantiles.p75}, p95 ${r.quantiles.p95}`);
      for (const c of r.categories) console.log(`  ${c.category.padEnd(24)} mean ${c.mean}  pooled ${c.pooled ?? '-'}  (${c.items} items, ${c.withOwn} with own)`);
    }),
  );
}
