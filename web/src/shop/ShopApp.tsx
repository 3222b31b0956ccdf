import { useEffect, useState, type FormEvent } from 'react';
import { Link, matchPath, navigate, useLocation } from '../router.tsx';
import { AccountView } from './AccountView.tsx';
import { CartView } from './CartView.tsx';
import { CatalogView } from './CatalogView.tsx';
import { OrderView } from './OrderView.tsx';
import { ProductView } from './ProductView.tsx';
import { useCart, useCustomer } from './shop-api.ts';

/** The customer-facing shop at /shop: its own look and its own customer session (not the dashboard's). */
export default function ShopApp() {
  const { path, search } = useLocation();
  const cart = useCart();
  const me = useCustomer();
  const [q, setQ] = useState(search.get('q') ?? '');
  useEffect(() => {
    document.documentElement.lang = 'en';
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/shop${q.trim() ? `?q=${encodeURIComponent(q.trim())}` : ''}`);
  };
  let view;
  let p: Record<string, string> | null;
  if ((p = matchPath('/shop/p/:sku', path))) view = <ProductView sku={p.sku} />;
  else if (path === '/shop/cart') view = <CartView />;
  else if ((p = matchPath('/shop/orders/:ref', path))) view = <OrderView refCode={p.ref} accessKey={search.get('key') ?? undefined} />;
  else if (path === '/shop/account') view = <AccountView />;
  else if (path === '/shop' || path === '/shop/') view = <CatalogView />;
  else view = <div className="shop-panel"><h1>Not found</h1><p><Link to="/shop">Back to the shop</Link></p></div>;
  return (
    <div className="shop">
      <a className="shop-skip" href="#shop-main">Skip to content</a>
      <header className="shop-header">
        <Link to="/shop" className="shop-brand">Shelfwise<span> shop</span></Link>
        <form className="shop-search" role="search" onSubmit={submit}>
          <label className="shop-sr" htmlFor="shop-q">Search the shop</label>
          <input id="shop-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search shirts, shoes, watches…" />
          <button type="submit">Search</button>
        </form>
        <nav className="shop-nav" aria-label="Your shop">
          <Link to="/shop/account">{me ? (me.name ?? 'Account') : 'Sign in'}</Link>
          <Link to="/shop/cart" className="shop-cart-link" aria-label={`Cart, ${cart.count} item${cart.count === 1 ? '' : 's'}`}>
            Cart <span className="shop-badge">{cart.count}</span>
          </Link>
        </nav>
      </header>
      <main id="shop-main" className="shop-main" tabIndex={-1}>{view}</main>
      <footer className="shop-footer">
        <p>Prices include VAT. Pay in store or on delivery{' '}· orders hold stock while you pay.</p>
        <p className="shop-demo-note">Demo store: products from the public Myntra fashion catalog, with placeholder prices and stock.</p>
      </footer>
    </div>
  );
}
