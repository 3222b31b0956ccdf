import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyShelfwise } from '../../src/domain/integrations/signature.ts';

export interface Received {
  eventId: string;
  type: string;
  deliveryId: string;
  body: { id: string; type: string; data: unknown };
}

/**
 * A local webhook receiver as a subscriber would write one: verifies Shelfwise-Signature over the raw body, answers
 * 500 to a share of requests (failRate, or failFirst for the first n per event), and records what it accepted.
 */
export async function startReceiver(secret: string, o: { failRate?: number; failFirst?: number; rand?: () => number } = {}) {
  const accepted: Received[] = [];
  const rejected = { badSignature: 0, injected: 0 };
  const seen = new Map<string, number>();
  const rand = o.rand ?? Math.random;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const v = verifyShelfwise(secret, raw, req.headers['shelfwise-signature'] as string, Date.now() / 1000);
      if (!v.ok) {
        rejected.badSignature++;
        res.writeHead(401).end(v.reason);
        return;
      }
      const eventId = req.headers['shelfwise-event-id'] as string;
      const n = (seen.get(eventId) ?? 0) + 1;
      seen.set(eventId, n);
      if ((o.failFirst && n <= o.failFirst) || (o.failRate && rand() < o.failRate)) {
        rejected.injected++;
        res.writeHead(500).end('injected failure');
        return;
      }
      accepted.push({ eventId, type: req.headers['shelfwise-event'] as string, deliveryId: req.headers['shelfwise-delivery-id'] as string, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, accepted, rejected, close: () => new Promise<void>((r) => server.close(() => r())) };
}
