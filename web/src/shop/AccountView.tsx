import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Link } from '../router.tsx';
import { money, setCustomer, useCustomer, useShopApi, type Customer } from './shop-api.ts';

interface OrderRow { id: number; ref: string; status: string; total: number; currency: string; createdAt: string; units: number }

/** Sign in / create an account; signed in: order history and sign out. */
export function AccountView() {
  const me = useCustomer();
  useEffect(() => {
    document.title = 'Your account · Shelfwise shop';
  }, []);
  if (me === undefined) return <p className="shop-loading" aria-busy="true">Loading…</p>;
  return me ? <History me={me} /> : <SignIn />;
}

function SignIn() {
  const [mode, setMode] = useState<'in' | 'up'>('in');
  const [f, setF] = useState({ email: '', password: '', name: '' });
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const body = mode === 'up' ? { email: f.email, password: f.password, name: f.name || undefined } : { email: f.email, password: f.password };
      const r = await api<{ customer: Customer }>(`/api/shop/account/${mode === 'up' ? 'signup' : 'signin'}`, { method: 'POST', body });
      setCustomer(r.customer);
    } catch (err) {
      setError(err as ApiError);
    }
  }
  const inv = (k: string) => (error?.field === k ? { 'aria-invalid': true as const } : {});
  return (
    <form className="shop-panel shop-form shop-narrow" onSubmit={submit} noValidate>
      <h1>{mode === 'in' ? 'Sign in' : 'Create an account'}</h1>
      {mode === 'up' && <label>Name<input autoComplete="name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} /></label>}
      <label>Email<input type="email" autoComplete="email" value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} {...inv('email')} /></label>
      <label>Password{mode === 'up' && ' (at least 8 characters)'}<input type="password" autoComplete={mode === 'up' ? 'new-password' : 'current-password'} value={f.password} onChange={(e) => setF({ ...f, password: e.target.value })} {...inv('password')} /></label>
      {error && <p className="shop-error" role="alert">{error.message}</p>}
      <button type="submit" className="shop-primary">{mode === 'in' ? 'Sign in' : 'Create account'}</button>
      <button type="button" className="shop-link-button" onClick={() => { setMode(mode === 'in' ? 'up' : 'in'); setError(null); }}>
        {mode === 'in' ? 'New here? Create an account' : 'Have an account? Sign in'}
      </button>
    </form>
  );
}

function History({ me }: { me: Customer }) {
  const orders = useShopApi<{ items: OrderRow[] }>('/api/shop/account/orders');
  const signOut = async () => {
    await api('/api/shop/account/signout', { method: 'POST' });
    setCustomer(null);
  };
  return (
    <div className="shop-panel">
      <h1>Hello{me.name ? `, ${me.name}` : ''}</h1>
      <p className="shop-muted">{me.email} · <button type="button" className="shop-link-button" onClick={() => void signOut()}>Sign out</button></p>
      <h2>Your orders</h2>
      {orders.error && <p className="shop-error" role="alert">{orders.error}</p>}
      {orders.data && orders.data.items.length === 0 && <p>No orders yet. <Link to="/shop">Start shopping</Link></p>}
      <ul className="shop-lines">
        {orders.data?.items.map((o) => (
          <li key={o.id}>
            <div><Link to={`/shop/orders/${o.ref}`}>{o.ref}</Link><div className="shop-muted">{new Date(o.createdAt).toLocaleDateString('en-GB', { dateStyle: 'medium' })} · {o.units} item{o.units === 1 ? '' : 's'} · {o.status.replace('_', ' ')}</div></div>
            <div>{money(Number(o.total), o.currency)}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}
