import { log } from '../log.ts';
import type { Actor } from '../services/actor.ts';
import { forecastServiceOf } from '../services/forecast.service.ts';
import type { AppServices } from '../services/index.ts';
import { replenishmentServiceOf } from '../services/replenishment.service.ts';

const DEMO: Actor = { id: null, label: 'demo loader', role: 'system' };

/**
 * After the demo store loads: forecast it once (when no forecast exists yet) and run replenishment, so the
 * suggestions and draft POs pages show real data on first visit (~10-20 s in the background).
 */
export async function replenishDemo(services: AppServices): Promise<void> {
  const t0 = Date.now();
  const fs = forecastServiceOf(services);
  const done = (await fs.listRuns(50)).some((r) => r.status === 'done');
  if (!done) await fs.run({ freq: 'D', actor: DEMO });
  const r = await replenishmentServiceOf(services).run({ actor: DEMO });
  log.info('demo replenishment', { runId: r.id, items: r.items, purchaseOrders: r.purchaseOrders, suggestions: r.suggestions, seconds: (Date.now() - t0) / 1000 });
}
