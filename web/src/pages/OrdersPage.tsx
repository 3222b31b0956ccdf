import { useState, type FormEvent } from 'react';
import { qs, type OrderRow } from '../api.ts';
import { fmtDate, fmtInt, fmtMoney } from '../format.ts';
import { Link, navigate, useLocation, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';

const STATUSES = ['', 'open', 'pending', 'confirmed', 'failed', 'expired', 'refunded', 'partially_refunded'] as const;
const label = (s: string) => (s ? s.replace('_', ' ') : 'all');

/** Shop orders: filter by status, search by ref, email or name; each row opens the order. */
export default function OrdersPage() {
  useTitle('Shop orders');
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const q = search.get('q') ?? '';
  const page = Math.max(1, Number(search.get('page') ?? 1));
  const [text, setText] = useState(q);
  const list = useApi<{ items: OrderRow[]; total: number }>(`/api/orders${qs({ status, q, page, pageSize: 50 })}`, { live: true });
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / 50));
  const go = (p: Record<string, string | number>) => navigate(`/orders${qs({ status, q, page: 1, ...p })}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: text.trim() });
  };
  return (
    <>
      <div className="page-head">
        <h1>Shop orders</h1>
        <a className="button secondary" href="/shop" target="_blank" rel="noreferrer">Open the shop</a>
      </div>
      <form className="card filters" onSubmit={submit} role="search">
        <label>
          Search
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Order ref, email or name" />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => go({ status: e.target.value })}>
            {STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {list.error && <p className="err" role="alert">{list.error.message}</p>}
      <div className="card table-card">
        <div className="table-scroll">
          <table className="data orders-table">
            <thead>
              <tr><th>Order</th><th>Placed</th><th>Customer</th><th>Status</th><th>Payment</th><th className="num">Units</th><th className="num">Total</th></tr>
            </thead>
            <tbody>
              {list.data?.items.map((o) => (
                <tr key={o.id}>
                  <td className="sku"><Link to={`/orders/${o.id}`}>{o.ref}</Link></td>
                  <td className="nowrap">{fmtDate(o.createdAt)}</td>
                  <td className="name">{o.name}<br /><span className="muted small">{o.email}</span></td>
                  <td><span className={`order-status ${o.status}`}>{label(o.status)}</span></td>
                  <td>{o.paymentProvider === 'in_store' ? 'in store' : 'card'} · {o.paymentStatus}</td>
                  <td className="num">{fmtInt(o.units)}</td>
                  <td className="num">{fmtMoney(o.total, o.currency)}{o.refundedTotal > 0 && <><br /><span className="muted small">−{fmtMoney(o.refundedTotal, o.currency)}</span></>}</td>
                </tr>
              ))}
              {list.data && list.data.items.length === 0 && <tr><td colSpan={7} className="empty">No orders{status || q ? ' match' : ' yet: they appear here when customers check out at /shop'}.</td></tr>}
            </tbody>
          </table>
        </div>
        <div className="pager">
          <span aria-live="polite">{list.data ? `${fmtInt(total)} orders · page ${page} of ${fmtInt(pages)}` : 'Loading…'}</span>
          <span className="spacer" />
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>Previous</button>
          <button type="button" className="secondary" disabled={page >= pages} onClick={() => go({ page: page + 1 })}>Next</button>
        </div>
      </div>
    </>
  );
}
