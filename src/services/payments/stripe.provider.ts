import type Stripe from 'stripe';
import { AppError } from '../../errors.ts';
import type { PaymentOutcome, PaymentProvider, PaymentStart, WebhookEvent } from './provider.ts';

export interface StripeSettings {
  secretKey: string;
  webhookSecret?: string;
  publishableKey?: string;
  /** Only for tests and stripe-mock style servers: where the API lives (default api.stripe.com:443 https). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

/** Zero-decimal currencies are charged in whole units; the rest in cents (Stripe's "smallest currency unit"). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
export const toMinor = (amount: number, currency: string) => (ZERO_DECIMAL.has(currency.toLowerCase()) ? Math.round(amount) : Math.round(amount * 100));

/**
 * Card payments through Stripe PaymentIntents with the official SDK: start() creates the intent (idempotent per
 * order), the browser confirms it with Stripe.js and the client secret, and Stripe tells us the result with a
 * signed webhook (payment_intent.succeeded / payment_failed / canceled), which parseWebhook verifies with the
 * endpoint secret. outcome() reads the intent for the "return from payment" page and missed webhooks.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly label = 'Card (Stripe)';
  readonly publicConfig: Record<string, string>;
  private client: Promise<Stripe> | null = null;

  constructor(private readonly s: StripeSettings) {
    this.publicConfig = s.publishableKey ? { publishableKey: s.publishableKey } : {};
  }

  /** The SDK client, loaded on first use (the SDK costs ~0.4 s to load; most processes never pay). */
  private get stripe(): Promise<Stripe> {
    return (this.client ??= import('stripe').then(
      ({ default: StripeSdk }) =>
        new StripeSdk(this.s.secretKey, {
          maxNetworkRetries: 2,
          telemetry: false,
          ...(this.s.host ? { host: this.s.host } : {}),
          ...(this.s.port ? { port: this.s.port } : {}),
          ...(this.s.protocol ? { protocol: this.s.protocol } : {}),
        }),
    ));
  }

  async start(order: { ref: string; total: number; currency: string; email: string }): Promise<PaymentStart> {
    const pi = await (await this.stripe).paymentIntents.create(
      {
        amount: toMinor(order.total, order.currency),
        currency: order.currency.toLowerCase(),
        automatic_payment_methods: { enabled: true },
        receipt_email: order.email,
        description: `Order ${order.ref}`,
        metadata: { order_ref: order.ref },
      },
      { idempotencyKey: `shelfwise-order-${order.ref}` },
    );
    return { status: outcomeOf(pi.status) === 'paid' ? 'paid' : 'pending', paymentRef: pi.id, clientSecret: pi.client_secret ?? undefined };
  }

  async outcome(paymentRef: string): Promise<PaymentOutcome> {
    return outcomeOf((await (await this.stripe).paymentIntents.retrieve(paymentRef)).status);
  }

  async cancel(paymentRef: string): Promise<void> {
    const pi = await (await this.stripe).paymentIntents.retrieve(paymentRef);
    if (pi.status === 'succeeded' || pi.status === 'canceled') return;
    await (await this.stripe).paymentIntents.cancel(paymentRef, { cancellation_reason: 'abandoned' });
  }

  async refund(paymentRef: string, amount: number, currency: string, key: string): Promise<void> {
    await (await this.stripe).refunds.create({ payment_intent: paymentRef, amount: toMinor(amount, currency) }, { idempotencyKey: key });
  }

  async parseWebhook(rawBody: string, signature: string | undefined): Promise<WebhookEvent> {
    if (!this.s.webhookSecret) throw new AppError('forbidden', 'STRIPE_WEBHOOK_SECRET is not set, so webhooks cannot be verified');
    if (!signature) throw new AppError('invalid', 'missing Stripe-Signature header', 'stripe-signature');
    let event: Stripe.Event;
    try {
      event = await (await this.stripe).webhooks.constructEventAsync(rawBody, signature, this.s.webhookSecret);
    } catch (e) {
      throw new AppError('invalid', `webhook signature check failed: ${(e as Error).message}`, 'stripe-signature');
    }
    const outcome: Record<string, PaymentOutcome> = {
      'payment_intent.succeeded': 'paid',
      'payment_intent.payment_failed': 'failed',
      'payment_intent.canceled': 'cancelled',
    };
    const obj = event.data.object as { id?: string; object?: string; metadata?: Record<string, string> };
    const isIntent = obj.object === 'payment_intent';
    return {
      eventId: event.id,
      type: event.type,
      outcome: outcome[event.type] ?? null,
      paymentRef: isIntent ? (obj.id ?? null) : null,
      orderRef: obj.metadata?.order_ref ?? null,
    };
  }
}

function outcomeOf(status: Stripe.PaymentIntent.Status): PaymentOutcome {
  if (status === 'succeeded') return 'paid';
  if (status === 'canceled') return 'cancelled';
  // requires_payment_method after a confirmation attempt means the card was declined; before one it is "not yet".
  return 'pending';
}
