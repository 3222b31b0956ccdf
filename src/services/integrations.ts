import { IncomingService } from './incoming.service.ts';
import type { AppServices } from './index.ts';
import { WebhookService } from './webhooks.service.ts';

const cache = new WeakMap<AppServices, { webhooks: WebhookService; incoming: IncomingService }>();

/** The integration services of an AppServices (built once, shared by the API, the CLI and workers). */
export function integrationsOf(s: AppServices) {
  let x = cache.get(s);
  if (!x) cache.set(s, (x = { webhooks: new WebhookService(s.database.db), incoming: new IncomingService(s.database.db, s.inventory) }));
  return x;
}
