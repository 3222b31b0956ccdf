import { sql } from 'kysely';
import { log } from '../log.ts';
import type { Actor } from '../services/actor.ts';
import { forecastServiceOf } from '../services/forecast.service.ts';
import type { AppServices } from '../services/index.ts';
import { replenishmentServiceOf } from '../services/replenishment.service.ts';

const DEMO: Actor = { id: null, label: 'demo loader', role: 'system' };
/** Back-dated weekly forecast runs (the forecast-vs-actual report needs forecasts made before the sales). */
export const DEMO_BACK_RUNS = 8;
export const DEMO_BACK_ITEMS = 200;

/**
 * After the demo store loads: forecast it once (when no forecast exists yet) and run replenishment, so the
 * suggestions and draft POs pages show real data on first visit (~10-20 s in the background).
 * Before the current forecast, DEMO_BACK_RUNS runs as of 8, 7 … 1 weeks before the last sale over the
 * DEMO_BACK_ITEMS best sellers: the history ends in 2011, so only these overlap real sales (docs/forecasting.md "Retention").
 */
export async function replenishDemo(services: AppServices): Promise<void> {
  const t0 = Date.now();
  const fs = forecastServiceOf(services);
  const done = (await fs.listRuns(50)).some((r) => r.status === 'done');
  if (!done) {
    await backDatedRuns(services);
    await fs.run({ freq: 'D', actor: DEMO });
  }
  const r = await replenishmentServiceOf(services).run({ actor: DEMO });
  log.info('demo replenishment', { runId: r.id, items: r.items, purchaseOrders: r.purchaseOrders, suggestions: r.suggestions, seconds: (Date.now() - t0) / 1000 });
}

/** The weekly back-dated runs over the best sellers of the last DEMO_BACK_RUNS weeks (returns how many ran). */
export async function backDatedRuns(services: AppServices, weeks = DEMO_BACK_RUNS, items = DEMO_BACK_ITEMS): Promise<number> {
  const fs = forecastServiceOf(services);
  const last = await fs.defaultAsOf();
  if (last === null) return 0;
  const lastDay = Date.parse(`${last}T00:00:00Z`) / 86_400_000;
  const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const top = await sql<{ sku: string }>`
    select p.sku from stock_movements m join products p on p.id = m.product_id
    where m.kind = 'sale' and m.occurred_at >= ${iso(lastDay - 7 * weeks - 90)}::timestamptz
    group by p.sku order by sum(-m.qty * coalesce(m.unit_price, 0)) desc, p.sku limit ${items}`.execute(services.database.db);
  const skus = top.rows.map((r) => r.sku);
  if (!skus.length) return 0;
  for (let k = weeks; k >= 1; k--) await fs.run({ freq: 'D', horizon: 28, skus, asOf: iso(lastDay - 7 * k), actor: DEMO });
  return weeks;
}
