import { parseForecastAt } from '../config/time-of-day.ts';
import { log } from '../log.ts';
import type { Actor } from '../services/actor.ts';
import { startDeadStockCheck } from './dead-stock.job.ts';
import { enqueue } from '../services/jobs.service.ts';
import type { AppServices } from '../services/index.ts';
import { purgeExpiredPhotos } from '../services/inspection-photos.ts';
import { storefrontOf } from '../services/storefront.service.ts';
import { startVisionRetention } from './vision-retention.ts';

/** The actor of scheduled work, as recorded on forecast runs. */
export const SCHEDULER: Actor = { id: null, label: 'scheduler', role: 'system' };

// Validated with the rest of the configuration (src/config/config.ts); re-exported for the scheduler's callers.
export { parseForecastAt };

/** The next local time hour:minute strictly after now. */
export function nextRunAt(now: Date, at: { hour: number; minute: number }): Date {
  const next = new Date(now);
  next.setHours(at.hour, at.minute, 0, 0);
  if (next.getTime() <= now.getTime()) {
    next.setDate(next.getDate() + 1);
    next.setHours(at.hour, at.minute, 0, 0);
  }
  return next;
}

export interface Scheduler {
  /** When the forecast runs next (null when disabled or stopped). */
  next(): Date | null;
  /** Runs the nightly job now (what the timer calls): 'started', or why it was skipped. */
  tick(): Promise<'started' | 'skipped: running' | 'skipped: loading'>;
  stop(): void;
}

/**
 * The in-process scheduler `serve` starts: a daily forecast run (freq D, default horizon) at FORECAST_AT local
 * time. It skips a night when a run is still going (any process: the database allows one running run) or the
 * demo store is still loading. Timers are unref'd, so they never keep the process alive.
 */
export function startScheduler(services: AppServices, env: NodeJS.ProcessEnv = process.env): Scheduler {
  const at = parseForecastAt(env.FORECAST_AT);
  let timer: NodeJS.Timeout | null = null;
  let nextAt: Date | null = null;
  const tick: Scheduler['tick'] = async () => {
    if (services.status.demo === 'loading') {
      log.info('scheduled forecast skipped: the demo store is loading');
      return 'skipped: loading';
    }
    // The run itself is a 'forecast.run' job (src/jobs/handlers.ts): a worker (this server's, or a separate
    // `shelfwise worker`) runs it, retries it, and picks it up again if its process dies.
    const running = await services.database.db.selectFrom('forecast_runs').select(['id']).where('status', '=', 'running').executeTakeFirst();
    if (running) {
      log.info('scheduled forecast skipped: a run is already running', { runId: running.id });
      return 'skipped: running';
    }
    // The run's job queues what reads fresh forecasts when it is done (src/jobs/handlers.ts): a replenishment run
    // (REPLENISH_NIGHTLY=off skips it) and the recommendations' retraining with a hold-out score.
    const then = [...(/^(off|no|false|0)$/i.test(env.REPLENISH_NIGHTLY ?? '') ? [] : ['replenishment.run']), 'recommend.train', 'placement.learn'];
    const job = await enqueue(services.database.db, 'forecast.run', { freq: 'D', actor: SCHEDULER.label, then }, { dedupeKey: 'forecast.nightly', maxAttempts: 3, actor: SCHEDULER.label });
    log.info('scheduled forecast queued', { job });
    return 'started';
  };
  const arm = () => {
    if (!at) return;
    // Strictly after the previous slot too, so a timer that fires a little early cannot run the same night twice.
    nextAt = nextRunAt(new Date(Math.max(Date.now(), nextAt?.getTime() ?? 0)), at);
    timer = setTimeout(() => {
      tick()
        .catch((e) => log.error('scheduled forecast could not start', { error: String(e?.message ?? e) }))
        .finally(arm);
    }, Math.max(1000, nextAt.getTime() - Date.now()));
    timer.unref();
  };
  arm();
  // Inspection photos past their retention period (issue 12): deleted hourly; a no-op when none are kept.
  const purge = setInterval(() => {
    purgeExpiredPhotos(services.database.db)
      .then((n) => n && log.info('expired inspection photos deleted', { photos: n }))
      .catch((e) => log.error('inspection photo purge failed', { error: String(e?.message ?? e) }));
  }, 3_600_000);
  purge.unref();
  const deadStock = startDeadStockCheck(services, env);
  // Storefront: release checkouts whose payment did not finish in time (SHOP_RESERVATION_MINUTES), every minute.
  const sweeper = setInterval(() => {
    if (services.status.demo === 'loading') return;
    storefrontOf(services)
      .checkout.releaseExpired()
      .then((r) => (r.expired || r.confirmed) && log.info('expired checkouts swept', r))
      .catch((e) => log.error('checkout sweeper failed', { error: String(e?.message ?? e) }));
  }, 60_000);
  sweeper.unref();
  const visionRetention = startVisionRetention(services, SCHEDULER);
  if (at) log.info('forecast scheduler on', { next: (nextAt as Date | null)?.toString() });
  else log.info('forecast scheduler off (FORECAST_AT=off)');
  return {
    next: () => nextAt,
    tick,
    stop() {
      clearInterval(purge);
      deadStock.stop();
      clearInterval(sweeper);
      visionRetention.stop();
      if (timer) clearTimeout(timer);
      timer = null;
      nextAt = null;
    },
  };
}
