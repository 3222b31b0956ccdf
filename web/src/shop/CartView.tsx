import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Link, navigate } from '../router.tsx';
import { money, useCart, useCustomer, useShopApi, type ShopConfig } from './shop-api.ts';

interface Placed { ref: string; accessKey: string; status: string; clientSecret?: string; confirmationUrl: string }

/** The cart and checkout on one page (fewer steps on a phone): lines, contact, payment method, place order. */
export function CartView() {
  const cart = useCart();
  const me = useCustomer();
  const config = useShopApi<ShopConfig>('/api/shop/config');
  const [form, setForm] = useState({ name: '', email: '', address: '', provider: 'in_store' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Cart · Shelfwise shop';
  }, []);
  useEffect(() => {
    if (me) setForm((f) => ({ ...f, name: f.name || me.name || '', email: f.email || me.email }));
  }, [me]);
  const short = (sku: string) => (error?.detail as { items?: { sku: string; available: number }[] } | undefined)?.items?.find((i) => i.sku === sku);

  async function place(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<Placed>('/api/shop/checkout', {
        method: 'POST',
        body: { lines: cart.lines.map((l) => ({ sku: l.sku, qty: l.qty })), name: form.name, email: form.email, address: form.address || undefined, provider: form.provider },
      });
      if (r.clientSecret) sessionStorage.setItem(`shelfwise.pay.${r.ref}`, r.clientSecret);
      cart.clear();
      navigate(r.confirmationUrl);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  }
  if (cart.lines.length === 0)
    return <div className="shop-panel"><h1>Your cart is empty</h1><p><Link to="/shop">Continue shopping</Link></p></div>;
  const invalid = (f: string) => (error?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': 'shop-co-err' } : {});
  return (
    <div className="shop-checkout">
      <section aria-labelledby="shop-cart-h" className="shop-panel">
        <h1 id="shop-cart-h">Your cart</h1>
        <ul className="shop-lines">
          {cart.lines.map((l) => (
            <li key={l.sku} className={short(l.sku) ? 'short' : ''}>
              <div>
                <Link to={`/shop/p/${encodeURIComponent(l.sku)}`}>{l.name}</Link>
                <div className="shop-muted">{l.size ? `Size ${l.size} · ` : ''}{money(l.price)}</div>
                {short(l.sku) && <div className="shop-error">Only {short(l.sku)!.available} left: lower the quantity.</div>}
              </div>
              <label className="shop-qty">
                <span className="shop-sr">Quantity of {l.name}</span>
                <input type="number" min={0} max={20} value={l.qty} onChange={(e) => cart.setQty(l.sku, Math.floor(Number(e.target.value) || 0))} />
              </label>
              <button type="button" className="shop-link-button" onClick={() => cart.setQty(l.sku, 0)} aria-label={`Remove ${l.name}`}>Remove</button>
            </li>
          ))}
        </ul>
        <p className="shop-total">Total <strong>{money(cart.total, config.data?.currency)}</strong></p>
        <p className="shop-muted">Prices are checked again when you place the order (sale prices apply).</p>
      </section>
      <form className="shop-panel shop-form" onSubmit={place} aria-labelledby="shop-co-h" noValidate>
        <h2 id="shop-co-h">Checkout</h2>
        {!me && <p className="shop-muted"><Link to="/shop/account">Sign in</Link> to see this order in your history, or check out as a guest.</p>}
        <label>Name<input autoComplete="name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} {...invalid('name')} /></label>
        <label>Email (for the receipt)<input type="email" autoComplete="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} {...invalid('email')} /></label>
        <label>Delivery address (leave empty to collect in store)<textarea autoComplete="street-address" rows={2} value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} /></label>
        <fieldset>
          <legend>Payment</legend>
          {(config.data?.providers ?? [{ name: 'in_store', label: 'Pay in store / cash on delivery' }]).map((p) => (
            <label key={p.name} className="shop-check">
              <input type="radio" name="provider" value={p.name} checked={form.provider === p.name} onChange={() => setForm({ ...form, provider: p.name })} /> {p.label}
            </label>
          ))}
        </fieldset>
        {error && <p id="shop-co-err" className="shop-error" role="alert">{error.message}</p>}
        <button type="submit" className="shop-primary" disabled={busy}>{busy ? 'Placing order…' : `Place order · ${money(cart.total, config.data?.currency)}`}</button>
        <p className="shop-muted small">Your items are held for {config.data?.reservationMinutes ?? 15} minutes while you pay.</p>
      </form>
    </div>
  );
}
