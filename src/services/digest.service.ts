import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { readStoreSettings } from './dashboard.service.ts';
import { PlanningReportsService } from './planning-reports.service.ts';
import { PromotionsService } from './promotions.service.ts';
import { ReportsService } from './reports.service.ts';
import type { WasteService } from './waste.service.ts';

/**
 * The weekly digest: one self-contained, email-ready HTML page (inline styles, tables only) with the week's top 5
 * sellers and their stock, category movers, stock value, slow and dead stock, the best markdown offers, new
 * dead-stock alerts, running promotions with their results, the last 7 days' stockouts with the sales they lost,
 * forecast accuracy over the last 4 weeks and the items at or below their reorder point. Served at /api/waste/digest and written by
 * `shelfwise markdown digest -o FILE`.
 */
export async function weeklyDigest(db: Kysely<DB>, waste: WasteService, opts: { location?: string; currency?: string } = {}): Promise<string> {
  const reports = new ReportsService(db);
  const settings = await readStoreSettings(db);
  const cur = opts.currency ?? settings.currency;
  const planning = new PlanningReportsService(db);
  const today = (await reports.topSellers(1, 1, opts.location)).anchor.today;
  const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  const [top, trend, value, slow, offers, promos, alerts, outs, accuracy, plans] = await Promise.all([
    reports.topSellers(1, 5, opts.location),
    reports.categoryTrend(8, opts.location),
    reports.inventoryValue(29, opts.location),
    waste.slowStock({ location: opts.location, limit: 10 }),
    waste.offers({ location: opts.location, limit: 5 }),
    new PromotionsService(db, waste).list({ status: 'running', limit: 10 }),
    sql<{ message: string; created_at: Date }>`select message, created_at from alerts where kind = 'dead_stock' and created_at > now() - interval '7 days' order by created_at desc limit 20`.execute(db),
    planning.stockouts({ from: weekAgo, to: today, location: opts.location, limit: 5 }),
    planning.forecastVsActual({ weeks: 4, to: today, location: opts.location, limit: 3 }),
    planning.replenishmentVsForecast({ location: opts.location, limit: 0 }),
  ]);
  const m = (x: number) => money(x, cur);
  const week = top.weeks.at(-1);
  const movers = [...trend.categories].filter((c) => c.recentChange !== null).sort((a, b) => Math.abs(b.recentChange!) - Math.abs(a.recentChange!)).slice(0, 5);
  const v0 = value.value[0] ?? 0;
  const v1 = value.value.at(-1) ?? 0;
  const t = slow.totals;
  const parts = [
    `<h1 style="font-size:20px;margin:0 0 4px">${esc(settings.storeName)} weekly digest${opts.location ? ` — ${esc(opts.location)}` : ''}</h1>`,
    `<p style="color:#57606a;margin:0 0 16px">Week of ${esc(week?.weekStart ?? top.anchor.today)} (data up to ${esc(top.anchor.today)}${top.anchor.historical ? ', historical data' : ''})</p>`,
    section(
      'Top 5 sellers this week',
      week && week.top.length
        ? table(['#', 'SKU', 'Name', 'Units', 'Revenue', 'On hand'], week.top.map((r) => [String(r.rank), r.sku, r.name, String(r.qty), m(r.revenue), String(r.onHand)]))
        : '<p>No sales this week.</p>',
    ),
    section(
      'Category movers (last 4 weeks vs the 4 before)',
      movers.length ? table(['Category', 'Units (8 weeks)', 'Change'], movers.map((c) => [c.category || '(none)', String(c.totalQty), pct(c.recentChange!)])) : '<p>Not enough history.</p>',
    ),
    section('Stock value at cost', `<p>${m(v1)} now, ${m(v0)} four weeks ago (${pct(v0 > 0 ? v1 / v0 - 1 : 0)}).</p>`),
    section(
      'Slow and dead stock',
      `<p>${t.dead} dead and ${t.slow} slow items; ${Math.round(t.excessUnits)} excess units; ${m(t.tiedUpValue)} of ${m(t.stockValue)} tied up.</p>` +
        table(['Status', 'SKU', 'Name', 'On hand', 'Last sale', 'Tied up'], slow.items.map((r) => [r.status, r.sku, r.name, String(r.onHand), r.daysSinceLastSale === null ? 'never' : `${r.daysSinceLastSale} days ago`, m(r.tiedUpValue)])),
    ),
    section(
      `Best markdown offers (clear by ${offers.targetDate})`,
      offers.offers.length
        ? table(
            ['SKU', 'Name', 'Discount', 'Price', 'Sells (to clear)', 'Revenue (no markdown)'],
            offers.offers.map((o) => [o.sku, o.name, `${Math.round(o.depth * 1000) / 10}%`, m(o.offerPrice), `${Math.round(o.clearedUnits)} (${Math.round(o.clearUnits)})`, `${m(o.revenue)} (${m(o.baseline.revenue)})`]),
          )
        : '<p>No excess stock with demand.</p>',
    ),
    section(
      'Stockouts (last 7 days)',
      outs.items.length
        ? `<p>${outs.totals.items} items out of stock on ${outs.totals.stockoutDays} item-days; about ${m(outs.totals.lostValue)} of sales lost.</p>` +
            table(['SKU', 'Name', 'Days out', 'Lost sales', 'On hand now'], outs.items.map((r) => [r.sku, r.name, String(r.stockoutDays), m(r.lostValue), String(r.onHand)]))
        : '<p>No item that normally sells was out of stock.</p>',
    ),
    section(
      'Forecast vs actual (last 4 weeks)',
      accuracy.totals.days
        ? `<p>${accuracy.totals.items} items: sold ${Math.round(accuracy.totals.actual)}, forecast ${Math.round(accuracy.totals.forecast)}; wMAPE ${accuracy.totals.wmape === null ? '—' : `${Math.round(accuracy.totals.wmape * 100)}%`}, P80 covered ${Math.round((accuracy.totals.coverage80 ?? 0) * 100)}% of days.</p>`
        : '<p>No stored forecast covers these weeks yet.</p>',
    ),
    section('Reorder points', plans.totals.items ? `<p>${plans.totals.belowReorderPoint} of ${plans.totals.items} planned items are at or below their reorder point.</p>` : '<p>No replenishment plan yet.</p>'),
    section('New dead stock (last 7 days)', alerts.rows.length ? `<ul>${alerts.rows.map((a) => `<li>${esc(a.message)}</li>`).join('')}</ul>` : '<p>None.</p>'),
    section(
      'Running promotions',
      promos.length
        ? table(
            ['Promotion', 'Until', 'Units/day (baseline)', 'Uplift (expected)'],
            promos.map((p) => [p.name, p.endsOn, `${p.results.unitsPerDay ?? '—'} (${p.results.baselinePerDay})`, `${p.results.uplift === null ? '—' : pct(p.results.uplift)} (${p.results.expectedUplift === null ? '—' : pct(p.results.expectedUplift)})`]),
          )
        : '<p>None running.</p>',
    ),
  ];
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shelfwise weekly digest</title></head><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d2433;max-width:760px;margin:0 auto;padding:16px">${parts.join('')}</body></html>`;
}


function section(title: string, body: string) {
  return `<h2 style="font-size:16px;margin:20px 0 6px">${esc(title)}</h2>${body}`;
}

function table(head: string[], rows: string[][]) {
  const th = head.map((h) => `<th style="text-align:left;border-bottom:1px solid #d0d7de;padding:4px 8px">${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td style="border-bottom:1px solid #eef1f5;padding:4px 8px">${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table style="border-collapse:collapse;width:100%;font-size:14px"><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 1000) / 10}%`.replace('+-', '-');
function money(x: number, cur: string) {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency: cur }).format(x);
  } catch {
    return `${x.toFixed(2)} ${cur}`;
  }
}
