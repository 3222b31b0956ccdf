import { useState } from 'react';
import { qs, type Location, type RecommendedItem } from '../api.ts';
import { RecList } from '../components/RecommendPanel.tsx';
import { fmtDate, fmtInt, fmtMoney } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import type { PageProps } from '../routes.ts';
import { useApi } from '../useApi.ts';

interface Customer {
  id: number;
  code: string;
  name: string | null;
  email: string | null;
  country: string | null;
  orders: number;
  spent: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  recentOrders: { id: number; location: string; orderRef: string | null; occurredAt: string; total: number; lines: number }[];
  mostBought: { productId: number; sku: string; name: string; times: number; units: number; lastAt: string }[];
}

export default function CustomerPage({ params }: PageProps) {
  const c = useApi<Customer>(`/api/customers/${encodeURIComponent(params.id)}`);
  useTitle(c.data ? `Customer ${c.data.code}` : 'Customer');
  const locations = useApi<{ items: Location[] }>('/api/locations');
  const [location, setLocation] = useState('');
  const recs = useApi<{ items: RecommendedItem[]; model: { id: number; trainedAt: string } | null }>(
    c.data ? `/api/recommendations/customers/${c.data.id}${qs({ location: location || undefined, limit: 10 })}` : null,
  );
  if (c.error)
    return (
      <div className="card" role="alert">
        <h1>Customer</h1>
        <p className="err">{c.error.message}</p>
        <Link to="/customers">Back to customers</Link>
      </div>
    );
  const d = c.data;
  return (
    <>
      <p className="crumbs"><Link to="/customers">Customers</Link> › {d?.code ?? params.id}</p>
      <h1>{d ? (d.name ?? `Customer ${d.code}`) : 'Customer'} {d?.name && <span className="muted sku-sub">{d.code}</span>}</h1>
      {d && (
        <dl className="attrs rec-stats card">
          <div><dt>Orders</dt><dd>{fmtInt(d.orders)}</dd></div>
          <div><dt>Spent</dt><dd>{fmtMoney(d.spent)}</dd></div>
          <div><dt>First order</dt><dd>{fmtDate(d.firstOrderAt)}</dd></div>
          <div><dt>Last order</dt><dd>{fmtDate(d.lastOrderAt)}</dd></div>
          {d.country && <div><dt>Country</dt><dd>{d.country}</dd></div>}
          {d.email && <div><dt>Email</dt><dd>{d.email}</dd></div>}
        </dl>
      )}
      <section className="card" aria-labelledby="recs">
        <div className="page-head">
          <h2 id="recs">Recommended for this customer</h2>
          <label className="small">
            In stock at{' '}
            <select value={location} onChange={(e) => setLocation(e.target.value)} aria-label="Location">
              <option value="">any location</option>
              {locations.data?.items.filter((l) => l.kind === 'store').map((l) => <option key={l.code} value={l.code}>{l.code} — {l.name}</option>)}
            </select>
          </label>
        </div>
        {recs.error && <p className="err" role="alert">{recs.error.message}</p>}
        <RecList items={recs.data?.items} empty="Nothing in stock to recommend here." testId="customer-recs" />
        {recs.data && <p className="muted small">{recs.data.model ? `Model version ${recs.data.model.id}, trained ${fmtDate(recs.data.model.trainedAt)}.` : 'No trained model yet: by popularity (training starts in the background).'}</p>}
      </section>
      <div className="grid2">
        <section className="card" aria-labelledby="bought">
          <h2 id="bought">Most bought</h2>
          <div className="table-scroll short">
            <table className="data" data-testid="most-bought">
              <thead><tr><th scope="col">Product</th><th className="num" scope="col">Orders</th><th className="num" scope="col">Units</th><th scope="col">Last</th></tr></thead>
              <tbody>
                {d?.mostBought.map((b) => (
                  <tr key={b.productId}>
                    <td><Link to={`/products/${encodeURIComponent(b.sku)}`}>{b.name}</Link> <span className="muted small">{b.sku}</span></td>
                    <td className="num">{fmtInt(b.times)}</td>
                    <td className="num">{fmtInt(b.units)}</td>
                    <td className="nowrap">{fmtDate(b.lastAt)}</td>
                  </tr>
                ))}
                {d && d.mostBought.length === 0 && <tr><td colSpan={4} className="empty">No purchases yet.</td></tr>}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card" aria-labelledby="orders">
          <h2 id="orders">Recent orders</h2>
          <div className="table-scroll short">
            <table className="data">
              <thead><tr><th scope="col">When</th><th scope="col">Order</th><th scope="col">Store</th><th className="num" scope="col">Lines</th><th className="num" scope="col">Total</th></tr></thead>
              <tbody>
                {d?.recentOrders.map((o) => (
                  <tr key={o.id}>
                    <td className="nowrap">{fmtDate(o.occurredAt)}</td>
                    <td>{o.orderRef ?? `#${o.id}`}</td>
                    <td>{o.location}</td>
                    <td className="num">{fmtInt(o.lines)}</td>
                    <td className="num">{fmtMoney(o.total)}</td>
                  </tr>
                ))}
                {d && d.recentOrders.length === 0 && <tr><td colSpan={5} className="empty">No orders yet.</td></tr>}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </>
  );
}
