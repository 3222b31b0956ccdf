// A local HTTP server answering the Stripe endpoints the storefront uses, shaped as Stripe documents them
// (https://docs.stripe.com/api/payment_intents, /api/refunds, /api/errors): form-encoded requests with a
// Bearer secret key, JSON objects back, Idempotency-Key replays, {error: {type, message}} on failures.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_confirmation' | 'processing' | 'succeeded' | 'canceled';
  client_secret: string;
  metadata: Record<string, string>;
  receipt_email: string | null;
  description: string | null;
  automatic_payment_methods: { enabled: boolean } | null;
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

export interface FakeStripe {
  port: number;
  intents: Map<string, FakeIntent>;
  refunds: { id: string; payment_intent: string; amount: number }[];
  requests: { method: string; path: string; form: Record<string, string>; idempotencyKey?: string }[];
  /** Makes the next n requests fail with a 500 api_error (tests the "could not start" path). */
  failNext(n: number): void;
  /** The event Stripe would send after the intent reached a status, as its JSON body. */
  event(piId: string, type: 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled'): string;
  close(): Promise<void>;
}

const id = (p: string) => `${p}_${randomBytes(12).toString('hex')}`;

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((ok) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => ok(Object.fromEntries(new URLSearchParams(s))));
  });
}

export async function startFakeStripe(secretKey: string): Promise<FakeStripe> {
  const intents = new Map<string, FakeIntent>();
  const refunds: FakeStripe['refunds'] = [];
  const requests: FakeStripe['requests'] = [];
  const replays = new Map<string, { status: number; body: string }>();
  let failures = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const form = await readForm(req);
    const idem = req.headers['idempotency-key'] as string | undefined;
    requests.push({ method: req.method!, path: url.pathname, form, idempotencyKey: idem });
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      if (idem && req.method === 'POST') replays.set(idem, { status, body: text });
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(text);
    };
    const error = (status: number, type: string, message: string, param?: string) => send(status, { error: { type, message, ...(param ? { param } : {}) } });
    if (req.headers.authorization !== `Bearer ${secretKey}`) return error(401, 'invalid_request_error', 'Invalid API Key provided');
    if (failures > 0) {
      failures--;
      return error(500, 'api_error', 'Something went wrong on Stripe’s end.');
    }
    if (idem && replays.has(idem)) {
      const r = replays.get(idem)!;
      res.writeHead(r.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
      return res.end(r.body);
    }
    const m = url.pathname.match(/^\/v1\/payment_intents(?:\/([^/]+))?(?:\/(cancel))?$/);
    if (m && req.method === 'POST' && !m[1]) {
      const amount = Number(form.amount);
      if (!Number.isInteger(amount) || amount < 1) return error(400, 'invalid_request_error', 'Invalid integer: amount', 'amount');
      if (!form.currency) return error(400, 'invalid_request_error', 'Missing required param: currency.', 'currency');
      const pi: FakeIntent = {
        id: id('pi'),
        object: 'payment_intent',
        amount,
        currency: form.currency,
        status: 'requires_payment_method',
        client_secret: '',
        metadata: Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v])),
        receipt_email: form.receipt_email ?? null,
        description: form.description ?? null,
        automatic_payment_methods: form['automatic_payment_methods[enabled]'] ? { enabled: form['automatic_payment_methods[enabled]'] === 'true' } : null,
        cancellation_reason: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      pi.client_secret = `${pi.id}_secret_${randomBytes(8).toString('hex')}`;
      intents.set(pi.id, pi);
      return send(200, pi);
    }
    if (m && m[1]) {
      const pi = intents.get(m[1]);
      if (!pi) return error(404, 'invalid_request_error', `No such payment_intent: '${m[1]}'`, 'intent');
      if (req.method === 'GET') return send(200, pi);
      if (m[2] === 'cancel') {
        if (pi.status === 'succeeded' || pi.status === 'canceled')
          return error(400, 'invalid_request_error', `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`);
        pi.status = 'canceled';
        pi.cancellation_reason = form.cancellation_reason ?? null;
        return send(200, pi);
      }
    }
    if (url.pathname === '/v1/refunds' && req.method === 'POST') {
      const pi = intents.get(form.payment_intent);
      if (!pi) return error(404, 'invalid_request_error', `No such payment_intent: '${form.payment_intent}'`, 'payment_intent');
      if (pi.status !== 'succeeded') return error(400, 'invalid_request_error', 'This PaymentIntent does not have a successful charge to refund.');
      const r = { id: id('re'), object: 'refund', payment_intent: pi.id, amount: form.amount ? Number(form.amount) : pi.amount, currency: pi.currency, status: 'succeeded' };
      refunds.push(r);
      return send(200, r);
    }
    error(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}).`);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    intents,
    refunds,
    requests,
    failNext: (n) => void (failures = n),
    event(piId, type) {
      const pi = intents.get(piId)!;
      pi.status = type === 'payment_intent.succeeded' ? 'succeeded' : type === 'payment_intent.canceled' ? 'canceled' : 'requires_payment_method';
      return JSON.stringify({ id: id('evt'), object: 'event', api_version: '2025-01-27.acacia', created: Math.floor(Date.now() / 1000), type, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object: { ...pi } } }, null, 2);
    },
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
