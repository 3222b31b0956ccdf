import { log } from '../log.ts';
import type { Actor } from '../services/actor.ts';
import type { AppServices } from '../services/index.ts';
import { wasteServiceOf } from '../services/waste.service.ts';

const HOUR = 3_600_000;
const ACTOR: Actor = { id: null, label: 'scheduler', role: 'system' };

/** DEAD_STOCK_CHECK_HOURS: hours between dead-stock checks (default 24), or off/0. Returns null when off. */
export function parseCheckHours(v: string | undefined): number | null {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '') return 24;
  if (['off', 'no', 'false', '0', 'never'].includes(s)) return null;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0.1 || n > 24 * 31) throw new Error(`configuration: DEAD_STOCK_CHECK_HOURS: expected hours (0.1 to 744) or off, got "${v}"`);
  return n;
}

/**
 * The periodic dead-stock check `serve` runs (through startScheduler): raises a dead_stock alert for each item
 * that turned dead since the previous check. First check a minute after start (after the demo load, retried every
 * minute while it loads; it also warms the Waste page's analysis), then every DEAD_STOCK_CHECK_HOURS. Timers are unref'd.
 */
export function startDeadStockCheck(services: AppServices, env: NodeJS.ProcessEnv = process.env) {
  const hours = parseCheckHours(env.DEAD_STOCK_CHECK_HOURS);
  let timer: NodeJS.Timeout | null = null;
  const tick = async (): Promise<'done' | 'skipped: loading'> => {
    if (services.status.demo === 'loading') return 'skipped: loading';
    const r = await wasteServiceOf(services).checkDeadStock(ACTOR);
    log.info('dead-stock check', { dead: r.dead, alerted: r.alerted });
    return 'done';
  };
  const arm = (ms: number) => {
    if (hours === null) return;
    timer = setTimeout(() => {
      tick()
        .then((r) => arm(r === 'skipped: loading' ? 60_000 : hours * HOUR))
        .catch((e) => {
          log.error('dead-stock check failed', { error: String(e?.message ?? e) });
          arm(hours * HOUR);
        });
    }, ms);
    timer.unref();
  };
  arm(Math.min(60_000, (hours ?? 1) * HOUR));
  return {
    tick,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
