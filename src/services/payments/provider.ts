/**
 * How the storefront takes money. A provider starts a payment for an order and reports what happened to it;
 * the checkout service turns that into "sell the reserved stock" or "release it". docs/storefront.md.
 */
export type PaymentOutcome = 'paid' | 'failed' | 'cancelled' | 'pending';

export interface PaymentStart {
  /** 'due': pay later (in store / on delivery), the goods are committed now; 'pending': wait for the provider. */
  status: 'due' | 'pending' | 'paid' | 'failed';
  paymentRef: string | null;
  /** For the browser (Stripe.js confirms the PaymentIntent with it). */
  clientSecret?: string;
}

export interface WebhookEvent {
  eventId: string;
  type: string;
  outcome: PaymentOutcome | null;
  paymentRef: string | null;
  orderRef: string | null;
}

export interface PaymentProvider {
  readonly name: string;
  /** What the shop shows on its payment choice. */
  readonly label: string;
  start(order: { ref: string; total: number; currency: string; email: string }): Promise<PaymentStart>;
  /** Asks the provider where a payment stands (after a redirect, or when a webhook was missed). */
  outcome(paymentRef: string): Promise<PaymentOutcome>;
  /** Stops a payment that can no longer be honoured (the reservation expired). */
  cancel(paymentRef: string): Promise<void>;
  /** Pays money back (amount in major units); key makes a retry harmless. */
  refund(paymentRef: string, amount: number, currency: string, key: string): Promise<void>;
  /** Verifies and reads a webhook delivery (only providers that send them). */
  parseWebhook?(rawBody: string, signature: string | undefined): Promise<WebhookEvent>;
  /** Public settings the browser needs (e.g. the publishable key). */
  readonly publicConfig?: Record<string, string>;
}

/** Pay in store / cash on delivery: nothing to call; the order is confirmed with payment due. */
export class InStoreProvider implements PaymentProvider {
  readonly name = 'in_store';
  readonly label = 'Pay in store / cash on delivery';
  async start(): Promise<PaymentStart> {
    return { status: 'due', paymentRef: null };
  }
  async outcome(): Promise<PaymentOutcome> {
    return 'pending';
  }
  async cancel(): Promise<void> {}
  async refund(): Promise<void> {} // cash handed back at the till
}
