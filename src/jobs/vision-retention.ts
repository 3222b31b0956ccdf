import { log } from '../log.ts';
import type { Actor } from '../services/actor.ts';
import type { AppServices } from '../services/index.ts';
import { visionServiceOf } from '../services/vision.service.ts';

const HOUR = 3_600_000;

/**
 * Automatic deletion of anonymous camera events past the retention setting (default 90 days): once shortly
 * after start, then every `everyMs` (default 6 h, so nothing outlives its retention by more than a few hours).
 * Skipped while the demo store loads. Timers are unref'd.
 */
export function startVisionRetention(services: AppServices, actor: Actor, opts: { firstMs?: number; everyMs?: number } = {}): { stop(): void; tick(): Promise<number> } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = async () => {
    if (services.status.demo === 'loading') return 0;
    const r = await visionServiceOf(services).purgeExpired(actor);
    if (r.deleted) log.info('vision events past retention deleted', { deleted: r.deleted, retentionDays: r.retentionDays });
    return r.deleted;
  };
  const arm = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick()
        .catch((e) => log.error('vision retention failed', { error: String(e?.message ?? e) }))
        .finally(() => arm(opts.everyMs ?? 6 * HOUR));
    }, ms);
    timer.unref();
  };
  arm(opts.firstMs ?? 60_000);
  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
