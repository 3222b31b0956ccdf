/**
 * Replenishment runs: latest daily forecasts + on hand + open POs → each item's policy (src/domain/replenishment)
 * → PO proposals grouped by supplier × ship-to location → draft POs whose lines are the suggestions, each number
 * explained. Also one item's live plan with its projected stock curve (product page), and the settings.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/connection.ts';
import { nextPoNumbers, readOpenLines, readPlanItems, readPolicies, readSupplierProducts, readSuppliers } from '../db/repositories/replenishment.repository.ts';
import type { DB } from '../db/schema.ts';
import { draftPurchaseOrders, type OrderCandidate, type Supplier } from '../domain/replenishment/index.ts';
import { AppError } from '../errors.ts';
import { SYSTEM, type Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { AppServices } from './index.ts';
import { raiseOverdueAlerts, raiseStockoutAlerts } from './replenishment-alerts.ts';
import {
  alignForecast,
  dayIso,
  DEFAULT_SETTINGS,
  explainOf,
  openOrdersByItem,
  planItem,
  PolicyResolver,
  round2,
  SupplierResolver,
  todayDay,
  type ReplenishmentSettings,
} from './replenishment-inputs.ts';
import { log } from '../log.ts';
import { inTransaction } from './transaction.ts';

export interface RunOptions {
  actor?: Actor;
  location?: string;
  skus?: string[];
  /** Spend cap for this run (overrides the setting; null = none). */
  budget?: number | null;
  now?: Date;
}

export interface RunSummary {
  id: number;
  items: number;
  suggestions: number;
  purchaseOrders: number;
  totalValue: number;
  skipped: number;
  alerts: number;
  seconds: { read: number; plan: number; write: number; total: number };
}

const SETTINGS_KEY = 'replenishment';
const cache = new WeakMap<AppServices, ReplenishmentService>();

export function replenishmentServiceOf(services: AppServices): ReplenishmentService {
  let s = cache.get(services);
  if (!s) cache.set(services, (s = new ReplenishmentService(services.database)));
  return s;
}

export class ReplenishmentService {
  private readonly db: Kysely<DB>;
  constructor(database: Database) {
    this.db = database.db;
  }

  async settings(): Promise<ReplenishmentSettings> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return { ...DEFAULT_SETTINGS, ...((r?.value as Partial<ReplenishmentSettings>) ?? {}) };
  }

  async updateSettings(actor: Actor, patch: Partial<ReplenishmentSettings>): Promise<ReplenishmentSettings> {
    return inTransaction(this.db, async (trx) => {
      const r = await trx.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).forUpdate().executeTakeFirst();
      const before = { ...DEFAULT_SETTINGS, ...((r?.value as Partial<ReplenishmentSettings>) ?? {}) };
      const next = { ...before, ...patch };
      const v = JSON.stringify(next);
      await trx.insertInto('settings').values({ key: SETTINGS_KEY, value: v }).onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: new Date() })).execute();
      await audit(trx, actor, 'replenishment.settings', 'settings', SETTINGS_KEY, before, next);
      return next;
    });
  }

  /** Runs the whole replenishment (see the file comment); drafts from earlier runs nobody touched are superseded. */
  async run(opts: RunOptions = {}): Promise<RunSummary> {
    const actor = opts.actor ?? SYSTEM;
    const t0 = performance.now();
    const settings = await this.settings();
    const budget = opts.budget === undefined ? settings.budget : opts.budget;
    if (budget !== null && !(budget >= 0)) throw new AppError('invalid', 'budget must be ≥ 0', 'budget');
    const scope = await this.scope(opts.skus, opts.location);
    const run = await this.db
      .insertInto('replenishment_runs')
      .values({ actor: actor.label, options: JSON.stringify({ location: opts.location ?? null, skus: opts.skus ?? null, budget }), skipped: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      return await this.execute(run.id, actor, settings, budget, scope, opts.now ?? new Date(), t0);
    } catch (e) {
      await this.db
        .updateTable('replenishment_runs')
        .set({ status: 'failed', error: String((e as Error)?.message ?? e).slice(0, 2000), finished_at: new Date() })
        .where('id', '=', run.id)
        .execute();
      throw e;
    }
  }

  private async execute(runId: number, actor: Actor, settings: ReplenishmentSettings, budget: number | null, scope: Scope, now: Date, t0: number): Promise<RunSummary> {
    const today = todayDay(now);
    const [items, suppliers, offers, policies, open] = await Promise.all([
      readPlanItems(this.db, scope),
      readSuppliers(this.db),
      readSupplierProducts(this.db),
      readPolicies(this.db),
      readOpenLines(this.db, scope),
    ]);
    const tRead = performance.now();

    const pols = new PolicyResolver(policies, settings);
    const sups = new SupplierResolver(suppliers, offers);
    const openBy = openOrdersByItem(open, today);
    const skipped: { sku: string; location: string; reason: string }[] = [];
    const plans: PlanRow[] = [];
    const candidates: OrderCandidate[] = [];
    const groupSupplier = new Map<string, Supplier>();
    // Each line keeps the policy's one-line sentence; the full breakdown of every number is the item's live plan
    // (itemPlan): storing it per line tripled the write time of a 50,000-row run.
    const lineInfo = new Map<string, { summary: string; days: number | null }>();
    const alerts: { productId: number; locationId: number; message: string; data: unknown }[] = [];
    for (const it of items) {
      const sc = sups.choose(it.product_id, it.default_supplier_id, Number(it.cost));
      if (!sc) {
        skipped.push({ sku: it.sku, location: it.location, reason: 'no supplier' });
        continue;
      }
      const { forecast, note } = alignForecast(it, today);
      const stock = { onHand: it.on_hand, reserved: it.reserved, openOrders: openBy.get(`${it.product_id}:${it.location_id}`) ?? [] };
      let p;
      try {
        p = planItem({ forecast, stock, terms: sc.terms, choice: pols.choose(it.product_id, it.location_id, it.category, sc.unitCost), note });
      } catch (e) {
        skipped.push({ sku: it.sku, location: it.location, reason: String((e as Error).message) });
        continue;
      }
      const pol = p.policy;
      const key = `${sc.supplier.id}@${it.location_id}`;
      // One PO per supplier × ship-to location: the domain groups by supplier id, so the pair is the id.
      if (!groupSupplier.has(key)) groupSupplier.set(key, { ...sc.terms, id: key, moq: 0, packSize: 1 });
      const itemId = `${it.product_id}:${it.location_id}`;
      plans.push({
        product_id: it.product_id,
        location_id: it.location_id,
        supplier_id: sc.supplier.id,
        kind: pol.kind,
        reorder_point: pol.reorderPoint.value,
        order_up_to: pol.orderUpTo.value,
        eoq: pol.eoq ? round2(pol.eoq.value) : null,
        safety_stock: round2(pol.safetyStock.value),
        inventory_position: Math.round(pol.inventoryPosition.value),
        suggested_qty: pol.orderQty.value,
        expected_shortage: pol.expectedShortage,
        days_until_stockout: p.projection.daysUntilStockout,
        stockout_alert: p.projection.alert,
        summary: pol.summary,
        note,
      });
      if (p.projection.alert)
        alerts.push({
          productId: it.product_id,
          locationId: it.location_id,
          message: `${it.sku} at ${it.location}: ${p.projection.why}`,
          data: { sku: it.sku, location: it.location, daysUntilStockout: p.projection.daysUntilStockout, leadTimeDays: sc.terms.leadTimeDays, runId },
        });
      if (pol.orderQty.value > 0) {
        // Already rounded to this item's pack / MOQ by the policy; the group supplier has pack 1 so it stays.
        candidates.push({ itemId, supplierId: key, unitCost: sc.unitCost, needQty: pol.orderQty.value, expectedShortage: pol.expectedShortage, why: pol.summary });
        lineInfo.set(itemId, { summary: pol.summary, days: p.projection.daysUntilStockout });
      }
    }
    // Top-ups for a supplier minimum add whole packs: use the supplier's pack where every item shares it.
    for (const [key, g] of groupSupplier) {
      const sid = Number(key.split('@')[0]);
      const s = suppliers.find((x) => x.id === sid)!;
      const uniform = !offers.some((o) => o.supplier_id === sid && o.pack_size !== null && o.pack_size !== s.pack_size);
      if (uniform) g.packSize = s.pack_size;
    }
    const proposal = draftPurchaseOrders(candidates, [...groupSupplier.values()], { budget: budget ?? undefined });
    const itemByKey = new Map(items.map((x) => [`${x.product_id}:${x.location_id}`, x]));
    for (const s of proposal.skipped) {
      const it = itemByKey.get(s.itemId);
      skipped.push({ sku: it?.sku ?? s.itemId, location: it?.location ?? '', reason: s.reason });
    }
    const tPlan = performance.now();

    let tm = performance.now();
    const mark = (what: string) => {
      log.debug('replenishment run write step', { step: what, ms: Math.round(performance.now() - tm) });
      tm = performance.now();
    };
    const summary = await inTransaction(this.db, async (trx) => {
      await sql`select pg_advisory_xact_lock(5005)`.execute(trx);
      // Drafts of earlier runs that nobody decided on are replaced by this run's.
      const stale = await sql<{ id: number }>`
        update purchase_orders po set status = 'cancelled', cancelled_at = now(), cancel_reason = ${`superseded by replenishment run ${runId}`}, updated_at = now()
        where po.status = 'draft' and po.run_id is not null and po.run_id <> ${runId}
          and po.id not in (select l.po_id from purchase_order_lines l where l.decision <> 'open')
          ${scope.locationId !== undefined ? sql`and po.location_id = ${scope.locationId}::int` : sql``}
          ${scope.productIds ? sql`and po.id in (select l.po_id from purchase_order_lines l where l.product_id = any(${scope.productIds}::int[]))` : sql``}
        returning po.id`.execute(trx);
      if (scope.productIds || scope.locationId !== undefined) {
        await trx.deleteFrom('replenishment_plans').where((eb) => {
          const c = [];
          if (scope.productIds) c.push(eb('product_id', 'in', scope.productIds));
          if (scope.locationId !== undefined) c.push(eb('location_id', '=', scope.locationId));
          return eb.and(c);
        }).execute();
      } else await trx.deleteFrom('replenishment_plans').execute();
      mark('supersede + delete plans');
      await insertPlans(trx, runId, plans);
      mark('insert plans');

      // All POs in one statement, all lines in a few, one audit row per PO in one statement.
      const numbers = await nextPoNumbers(trx, proposal.orders.length);
      const heads = proposal.orders.map((o, i) => {
        const [sid, lid] = o.supplierId.split('@').map(Number);
        return {
          number: numbers[i],
          supplier_id: sid,
          location_id: lid,
          currency: o.currency,
          total: round2(o.total),
          run_id: runId,
          why: o.why,
          expected_at: dayIso(today + Math.ceil(groupSupplier.get(o.supplierId)!.leadTimeDays)),
          created_by: actor.label,
        };
      });
      const ids = new Map<string, number>();
      for (let i = 0; i < heads.length; i += 1000) {
        const r = await trx.insertInto('purchase_orders').values(heads.slice(i, i + 1000)).returning(['id', 'number']).execute();
        for (const x of r) ids.set(x.number, x.id);
      }
      const all: LineRow[] = [];
      proposal.orders.forEach((o, i) => {
        for (const l of o.lines) {
          const info = lineInfo.get(l.itemId)!;
          all.push({
            po_id: ids.get(numbers[i])!,
            product_id: Number(l.itemId.split(':')[0]),
            qty: l.qty,
            unit_cost: l.unitCost,
            // The policy's sentence, plus what the supplier minimum or the budget changed.
            summary: [info.summary, ...l.why.split('; ').filter((w) => /^(topped up|cut to)/.test(w))].join('; '),
            shortage: round2(l.expectedShortage),
            days: info.days === null ? null : round2(info.days),
          });
        }
      });
      await insertLines(trx, all);
      const lines = all.length;
      for (let i = 0; i < heads.length; i += 500)
        await trx
          .insertInto('audit_log')
          .values(
            heads.slice(i, i + 500).map((h, j) => ({
              actor_id: actor.id,
              actor: actor.label,
              action: 'po.draft',
              entity: 'purchase_order',
              entity_id: h.number,
              after: JSON.stringify({ runId, supplierId: h.supplier_id, locationId: h.location_id, lines: proposal.orders[i + j].lines.length, total: h.total }),
            })),
          )
          .execute();
      mark('insert POs + lines');
      const raised = (await raiseStockoutAlerts(trx, alerts)) + (await raiseOverdueAlerts(trx, now));
      mark('alerts');
      const tEnd = performance.now();
      const seconds = { read: secs(tRead - t0), plan: secs(tPlan - tRead), write: secs(tEnd - tPlan), total: secs(tEnd - t0) };
      await trx
        .updateTable('replenishment_runs')
        .set({
          status: 'done',
          items: plans.length,
          suggestions: lines,
          purchase_orders: proposal.orders.length,
          total_value: round2(proposal.totalValue),
          skipped: JSON.stringify(skipped.slice(0, 5000)),
          alerts: raised,
          timings: JSON.stringify(seconds),
          finished_at: new Date(),
        })
        .where('id', '=', runId)
        .execute();
      await audit(trx, actor, 'replenishment.run', 'replenishment_run', runId, null, { items: plans.length, suggestions: lines, purchaseOrders: proposal.orders.length, superseded: stale.rows.length });
      return { id: runId, items: plans.length, suggestions: lines, purchaseOrders: proposal.orders.length, totalValue: round2(proposal.totalValue), skipped: skipped.length, alerts: raised, seconds };
    });
    // Fresh statistics for the PO tables (PGlite has no autovacuum; a run adds thousands of lines at once).
    await sql`analyze purchase_orders, purchase_order_lines, replenishment_plans`.execute(this.db);
    return summary;
  }

  async listRuns(limit = 20) {
    return this.db.selectFrom('replenishment_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  async getRun(id: number) {
    const r = await this.db.selectFrom('replenishment_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('not_found', `replenishment run ${id} does not exist`, 'id');
    return r;
  }

  /** One item's live plan: policy numbers with their sentences, days until stockout and the projected stock curve. */
  async itemPlan(sku: string, location: string, now = new Date()) {
    const scope = await this.scope([sku], location);
    const today = todayDay(now);
    const [[it], suppliers, offers, policies, open, settings] = await Promise.all([
      readPlanItems(this.db, scope),
      readSuppliers(this.db),
      readSupplierProducts(this.db, scope.productIds),
      readPolicies(this.db),
      readOpenLines(this.db, scope),
      this.settings(),
    ]);
    if (!it) return { sku, location, available: false as const, reason: 'no daily forecast for this item yet (run `shelfwise forecast run`) and no item policy' };
    const sc = new SupplierResolver(suppliers, offers).choose(it.product_id, it.default_supplier_id, Number(it.cost));
    if (!sc) return { sku, location, available: false as const, reason: 'no supplier: set the product\'s default supplier' };
    const { forecast, note } = alignForecast(it, today);
    const openOrders = openOrdersByItem(open, today).get(`${it.product_id}:${it.location_id}`) ?? [];
    const choice = new PolicyResolver(policies, settings).choose(it.product_id, it.location_id, it.category, sc.unitCost);
    const p = planItem({ forecast, stock: { onHand: it.on_hand, reserved: it.reserved, openOrders }, terms: sc.terms, choice, note });
    const policyRow = policies.find((r) => r.product_id === it.product_id && r.location_id === it.location_id) ?? null;
    return {
      sku,
      location,
      available: true as const,
      supplier: { code: sc.supplier.code, name: sc.supplier.name, unitCost: sc.unitCost, currency: sc.supplier.currency },
      onHand: it.on_hand,
      reserved: it.reserved,
      openOrders,
      forecastRunId: it.forecast_run_id,
      summary: p.policy.summary,
      explain: explainOf(p, sc.terms),
      itemPolicy: policyRow,
      curve: Array.from(p.projection.curve, (v, i) => ({ date: dayIso(today + i), stock: round2(v), demand: round2(forecast.mean[i] ?? 0), receipts: p.projection.receipts[i] })),
    };
  }

  /** The latest run's plan per item: soonest stockout first (items at risk), or only those with an alert. */
  async plans(f: { location?: string; alert?: boolean; limit?: number } = {}) {
    let q = this.db
      .selectFrom('replenishment_plans as x')
      .innerJoin('products as p', 'p.id', 'x.product_id')
      .innerJoin('locations as l', 'l.id', 'x.location_id')
      .leftJoin('suppliers as s', 's.id', 'x.supplier_id')
      .select(['p.sku', 'p.name', 'l.code as location', 's.code as supplier', 'x.kind', 'x.reorder_point', 'x.order_up_to', 'x.eoq', 'x.safety_stock', 'x.inventory_position', 'x.suggested_qty', 'x.expected_shortage', 'x.days_until_stockout', 'x.stockout_alert', 'x.summary', 'x.note', 'x.run_id']);
    if (f.location) q = q.where('l.code', '=', f.location);
    if (f.alert) q = q.where('x.stockout_alert', '=', true);
    const items = await q.orderBy(sql`x.days_until_stockout asc nulls last`).orderBy('p.sku').limit(f.limit ?? 200).execute();
    const counts = await this.db
      .selectFrom('replenishment_plans')
      .select([sql<number>`count(*)::int`.as('items'), sql<number>`(count(*) filter (where stockout_alert))::int`.as('alerts'), sql<number>`(count(*) filter (where suggested_qty > 0))::int`.as('toOrder')])
      .executeTakeFirstOrThrow();
    return { items, counts };
  }

  async scope(skus?: string[], location?: string): Promise<Scope> {
    const scope: Scope = {};
    if (skus?.length) {
      const ps = await this.db.selectFrom('products').select(['id', 'sku']).where('sku', 'in', [...new Set(skus)]).execute();
      const missing = skus.find((k) => !ps.some((p) => p.sku === k));
      if (missing !== undefined) throw new AppError('not_found', `unknown SKU ${missing}`, 'sku');
      scope.productIds = ps.map((p) => p.id);
    }
    if (location) {
      const l = await this.db.selectFrom('locations').select('id').where('code', '=', location).executeTakeFirst();
      if (!l) throw new AppError('not_found', `unknown location ${location}`, 'location');
      scope.locationId = l.id;
    }
    return scope;
  }
}

interface Scope {
  productIds?: number[];
  locationId?: number;
}

interface PlanRow {
  product_id: number;
  location_id: number;
  supplier_id: number;
  kind: string;
  reorder_point: number;
  order_up_to: number;
  eoq: number | null;
  safety_stock: number;
  inventory_position: number;
  suggested_qty: number;
  expected_shortage: number;
  days_until_stockout: number | null;
  stockout_alert: boolean;
  summary: string;
  note: string | null;
}

/** unnest() inserts: ~45k rows/s on PGlite (FINDINGS), so 50,000 plans cost about a second. */
async function insertPlans(trx: Parameters<typeof audit>[0], runId: number, rows: PlanRow[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const b = rows.slice(i, i + 5000);
    const col = <K extends keyof PlanRow>(k: K) => b.map((r) => r[k]);
    await sql`insert into replenishment_plans (run_id, product_id, location_id, supplier_id, kind, reorder_point, order_up_to, eoq, safety_stock, inventory_position,
        suggested_qty, expected_shortage, days_until_stockout, stockout_alert, summary, note)
      select ${runId}::int, * from unnest(${col('product_id')}::int[], ${col('location_id')}::int[], ${col('supplier_id')}::int[], ${col('kind')}::text[],
        ${col('reorder_point')}::numeric[], ${col('order_up_to')}::numeric[], ${col('eoq')}::numeric[], ${col('safety_stock')}::numeric[], ${col('inventory_position')}::int[],
        ${col('suggested_qty')}::int[], ${col('expected_shortage')}::float8[], ${col('days_until_stockout')}::float8[], ${col('stockout_alert')}::bool[],
        ${col('summary')}::text[], ${col('note')}::text[])`.execute(trx);
  }
}

interface LineRow {
  po_id: number;
  product_id: number;
  qty: number;
  unit_cost: number;
  summary: string;
  shortage: number;
  days: number | null;
}

/** PO lines with unnest(), 5,000 per statement. */
async function insertLines(trx: Parameters<typeof audit>[0], ls: LineRow[]) {
  for (let i = 0; i < ls.length; i += 5000) {
    const b = ls.slice(i, i + 5000);
    const col = <K extends keyof LineRow>(k: K) => b.map((r) => r[k]);
    await sql`insert into purchase_order_lines (po_id, product_id, qty_ordered, suggested_qty, unit_cost, summary, expected_shortage, days_until_stockout)
      select t.po, t.p, t.q, t.q, t.c, t.s, t.x, t.d
      from unnest(${col('po_id')}::int[], ${col('product_id')}::int[], ${col('qty')}::int[], ${col('unit_cost')}::numeric[], ${col('summary')}::text[],
        ${col('shortage')}::float8[], ${col('days')}::float8[]) as t(po, p, q, c, s, x, d)`.execute(trx);
  }
}

const secs = (ms: number) => Math.round(ms) / 1000;
