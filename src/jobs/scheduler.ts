import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import type { Actor } from '../services/actor.ts';
import { forecastServiceOf } from '../services/forecast.service.ts';
import type { AppServices } from '../services/index.ts';

/** The actor of scheduled work, as recorded on forecast runs. */
export const SCHEDULER: Actor = { id: null, label: 'scheduler', role: 'system' };

/** FORECAST_AT: 'HH:MM' local time (default 02:00), or 'off'. Returns null when off. */
export function parseForecastAt(v: string | undefined): { hour: number; minute: number } | null {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '') return { hour: 2, minute: 0 };
  if (['off', 'no', 'false', '0', 'never'].includes(s)) return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`configuration: FORECAST_AT: expected HH:MM (24-hour local time) or off, got "${v}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

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
    try {
      const { id, finished } = await forecastServiceOf(services).start({ freq: 'D', actor: SCHEDULER });
      log.info('scheduled forecast started', { runId: id });
      finished.then(
        (r) => log.info('scheduled forecast done', { runId: id, series: r.series, seconds: r.seconds.total }),
        (e) => log.error('scheduled forecast failed', { runId: id, error: String(e?.message ?? e) }),
      );
      return 'started';
    } catch (e) {
      if (e instanceof AppError && e.kind === 'conflict') {
        log.info('scheduled forecast skipped: a run is already running', { detail: e.message });
        return 'skipped: running';
      }
      throw e;
    }
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
  if (at) log.info('forecast scheduler on', { next: (nextAt as Date | null)?.toString() });
  else log.info('forecast scheduler off (FORECAST_AT=off)');
  return {
    next: () => nextAt,
    tick,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      nextAt = null;
    },
  };
}
