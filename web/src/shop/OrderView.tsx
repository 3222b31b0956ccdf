import { useEffect, useRef, useState } from 'react';
import { api, qs } from '../api.ts';
import { Link } from '../router.tsx';
import { money, useShopApi, type ShopConfig, type ShopOrder } from './shop-api.ts';

const HEADLINE: Record<string, string> = {
  confirmed: 'Thank you, your order is confirmed',
  pending: 'Almost there: complete your payment',
  failed: 'The payment did not go through',
  expired: 'This checkout expired',
  cancelled: 'This order was cancelled',
  refunded: 'This order was refunded',
  partially_refunded: 'Part of this order was refunded',
};

/** Order confirmation (and the page a card payment returns to): status, lines, receipt. */
export function OrderView({ refCode, accessKey }: { refCode: string; accessKey?: string }) {
  const key = qs({ key: accessKey });
  const o = useShopApi<ShopOrder>(`/api/shop/orders/${encodeURIComponent(refCode)}${key}`);
  const [syncing, setSyncing] = useState(false);
  const synced = useRef(false);
  useEffect(() => {
    document.title = `Order ${refCode} · Shelfwise shop`;
  }, [refCode]);
  const sync = async () => {
    setSyncing(true);
    try {
      await api(`/api/shop/orders/${encodeURIComponent(refCode)}/sync${key}`, { method: 'POST' });
      o.reload();
    } finally {
      setSyncing(false);
    }
  };
  // Back from Stripe's redirect: ask once how the payment ended (the webhook may not have arrived yet).
  useEffect(() => {
    if (!synced.current && new URLSearchParams(window.location.search).has('payment_intent')) {
      synced.current = true;
      void sync();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (o.error) return <div className="shop-panel"><h1>Order not found</h1><p className="shop-error" role="alert">{o.error}</p><Link to="/shop">Back to the shop</Link></div>;
  if (!o.data) return <p className="shop-loading" aria-busy="true">Loading…</p>;
  const d = o.data;
  return (
    <div className="shop-panel shop-order">
      <h1>{HEADLINE[d.status] ?? d.status}</h1>
      <p className="shop-ref">Order <strong>{d.ref}</strong> · {new Date(d.createdAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</p>
      <p className={`shop-order-status ${d.status}`} role="status">
        {d.status === 'confirmed' && d.paymentStatus === 'due' && (d.address ? 'Pay the courier on delivery.' : 'Pay when you collect it in store.')}
        {d.status === 'confirmed' && d.paymentStatus === 'paid' && 'Paid. A receipt is on its way to ' + d.email + '.'}
        {d.status === 'pending' && `Your items are held until ${new Date(d.expiresAt).toLocaleTimeString('en-GB', { timeStyle: 'short' })}.`}
        {d.status === 'failed' && 'Nothing was charged and the items went back on sale. You can try again from the shop.'}
        {d.status === 'expired' && 'The payment was not completed in time, so the items went back on sale.'}
      </p>
      {d.status === 'pending' && d.paymentProvider === 'stripe' && <StripePay refCode={d.ref} returnPath={`/shop/orders/${d.ref}${key}`} />}
      {d.status === 'pending' && <button type="button" className="shop-link-button" disabled={syncing} onClick={() => void sync()}>I have paid: check again</button>}
      <ul className="shop-lines">
        {d.lines.map((l) => (
          <li key={l.line}>
            <div><Link to={`/shop/p/${encodeURIComponent(l.sku)}`}>{l.name}</Link><div className="shop-muted">{l.qty} × {money(l.unitPrice, d.currency)}{l.refundedQty ? ` · ${l.refundedQty} refunded` : ''}</div></div>
            <div>{money(l.qty * l.unitPrice, d.currency)}</div>
          </li>
        ))}
      </ul>
      <p className="shop-total">Total <strong>{money(d.total, d.currency)}</strong></p>
      <p><a href={`/api/shop/orders/${encodeURIComponent(d.ref)}/receipt${key}`} target="_blank" rel="noreferrer">View the receipt</a> · <Link to="/shop">Continue shopping</Link></p>
    </div>
  );
}

declare global {
  interface Window { Stripe?: (pk: string) => { elements(o: { clientSecret: string }): { create(t: 'payment'): { mount(el: HTMLElement): void } }; confirmPayment(o: unknown): Promise<{ error?: { message?: string } }> } }
}

/** Card payment with Stripe.js and the Payment Element (loaded only when a card order is pending). */
function StripePay({ refCode, returnPath }: { refCode: string; returnPath: string }) {
  const config = useShopApi<ShopConfig>('/api/shop/config');
  const box = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<null | (() => Promise<void>)>(null);
  const [error, setError] = useState('');
  const secret = sessionStorage.getItem(`shelfwise.pay.${refCode}`);
  const pk = config.data?.providers.find((p) => p.name === 'stripe')?.publishableKey;
  useEffect(() => {
    if (!pk || !secret || !box.current) return;
    const start = () => {
      const stripe = window.Stripe!(pk);
      const elements = stripe.elements({ clientSecret: secret });
      elements.create('payment').mount(box.current!);
      setReady(() => async () => {
        const r = await stripe.confirmPayment({ elements, confirmParams: { return_url: window.location.origin + returnPath } });
        if (r.error) setError(r.error.message ?? 'The payment failed.');
      });
    };
    if (window.Stripe) return start();
    const s = document.createElement('script');
    s.src = 'https://js.stripe.com/v3/';
    s.onload = start;
    s.onerror = () => setError('Could not load the card form. Check your connection and reload.');
    document.head.appendChild(s);
  }, [pk, secret, returnPath]);
  if (!secret) return <p className="shop-muted">Open this page from the browser you checked out in to pay, or wait for the payment to be confirmed.</p>;
  if (config.data && !pk) return <p className="shop-error">Card payments are not configured (STRIPE_PUBLISHABLE_KEY).</p>;
  return (
    <div className="shop-pay">
      <div ref={box} />
      {error && <p className="shop-error" role="alert">{error}</p>}
      <button type="button" className="shop-primary" disabled={!ready} onClick={() => void ready?.()}>Pay now</button>
    </div>
  );
}
