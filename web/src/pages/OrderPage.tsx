import { useState } from 'react';
import { api, type OrderDetail } from '../api.ts';
import { fmtDate, fmtMoney } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

/** One shop order: lines, payment, refund (manager), the reservation and the ledger movements it caused. */
export default function OrderPage({ params }: { params: Record<string, string> }) {
  const o = useApi<OrderDetail>(`/api/orders/${encodeURIComponent(params.id)}`, { live: true });
  const { can } = useSession();
  const [qty, setQty] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const d = o.data;
  useTitle(d ? `Order ${d.ref}` : 'Order');
  if (o.error) return <div className="card"><h1>Order</h1><p className="err" role="alert">{o.error.message}</p></div>;
  if (!d) return <p className="muted" aria-busy="true">Loading…</p>;
  const refundable = d.lines.filter((l) => l.qty > l.refundedQty);
  const canRefund = can('manager') && d.saleId !== null && (d.status === 'confirmed' || d.status === 'partially_refunded');

  async function act(fn: () => Promise<string>) {
    setBusy(true);
    setError('');
    setMsg('');
    try {
      setMsg(await fn());
      setQty({});
      o.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const refund = (all: boolean) =>
    act(async () => {
      const lines = all ? undefined : Object.entries(qty).filter(([, q]) => q > 0).map(([sku, q]) => ({ sku, qty: q }));
      if (!all && !lines?.length) throw new Error('Choose a quantity to refund on at least one line.');
      const r = await api<{ amount: number; status: string }>(`/api/orders/${d.id}/refund`, { method: 'POST', body: { lines, reason: reason || undefined } });
      return `Refunded ${fmtMoney(r.amount, d.currency)}; the items are back in stock at ${d.location}.`;
    });
  const paid = () => act(async () => (await api(`/api/orders/${d.id}/paid`, { method: 'POST' }), 'Payment recorded.'));

  return (
    <>
      <p className="crumbs"><Link to="/orders">Shop orders</Link></p>
      <div className="page-head">
        <h1>Order {d.ref} <span className={`order-status ${d.status}`}>{d.status.replace('_', ' ')}</span></h1>
        <div className="row">
          {d.paymentStatus === 'due' && <button type="button" disabled={busy} onClick={() => void paid()}>Mark paid</button>}
          <a className="button secondary" href={`/api/orders/${d.id}/receipt`} target="_blank" rel="noreferrer">Receipt</a>
        </div>
      </div>
      <p className="ok" role="status">{msg}</p>
      {error && <p className="err" role="alert">{error}</p>}
      {d.note && <p className="note">{d.note}</p>}
      <div className="card">
        <dl className="attrs">
          <div><dt>Customer</dt><dd>{d.name} · {d.email}{d.customer ? ` (account ${d.customer})` : ' (guest)'}</dd></div>
          {d.address && <div><dt>Address</dt><dd>{d.address}</dd></div>}
          <div><dt>Placed</dt><dd>{fmtDate(d.createdAt)}</dd></div>
          <div><dt>Payment</dt><dd>{d.paymentProvider === 'in_store' ? 'In store / on delivery' : 'Card (Stripe)'} · {d.paymentStatus}{d.paymentRef ? ` · ${d.paymentRef}` : ''}</dd></div>
          <div><dt>Ships from</dt><dd>{d.location}</dd></div>
          <div><dt>Total</dt><dd>{fmtMoney(d.total, d.currency)}{d.refundedTotal > 0 ? ` (refunded ${fmtMoney(d.refundedTotal, d.currency)})` : ''}</dd></div>
          {d.saleId && <div><dt>Sale</dt><dd>#{d.saleId}</dd></div>}
        </dl>
      </div>
      <div className="card table-card">
        <div className="table-scroll">
          <table className="data">
            <thead><tr><th>SKU</th><th>Item</th><th className="num">Qty</th><th className="num">Price</th><th className="num">Amount</th><th className="num">Refunded</th>{canRefund && <th className="num">Refund</th>}</tr></thead>
            <tbody>
              {d.lines.map((l) => (
                <tr key={l.line}>
                  <td className="sku"><Link to={`/products/${encodeURIComponent(l.sku)}`}>{l.sku}</Link></td>
                  <td className="name">{l.name}</td>
                  <td className="num">{l.qty}</td>
                  <td className="num">{l.unitPrice < l.listPrice && <s className="muted">{fmtMoney(l.listPrice, d.currency)}</s>} {fmtMoney(l.unitPrice, d.currency)}</td>
                  <td className="num">{fmtMoney(l.qty * l.unitPrice, d.currency)}</td>
                  <td className="num">{l.refundedQty || ''}</td>
                  {canRefund && (
                    <td className="num">
                      {l.qty > l.refundedQty && (
                        <input type="number" min={0} max={l.qty - l.refundedQty} value={qty[l.sku] ?? 0} aria-label={`Refund quantity of ${l.sku}`} style={{ width: '4.5rem' }}
                          onChange={(e) => setQty((q) => ({ ...q, [l.sku]: Math.max(0, Math.min(l.qty - l.refundedQty, Number(e.target.value) || 0)) }))} />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canRefund && refundable.length > 0 && (
          <div className="toolbar row order-refund">
            <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason (optional)" aria-label="Refund reason" />
            <button type="button" disabled={busy} onClick={() => void refund(false)}>Refund selected</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => { if (confirm(`Refund the whole order ${d.ref}?`)) void refund(true); }}>Refund everything</button>
          </div>
        )}
      </div>
      <div className="grid2">
        <div className="card">
          <h2>Reservation</h2>
          {d.reservations.length === 0 ? <p className="muted">None.</p> : (
            <table className="data"><thead><tr><th>SKU</th><th className="num">Qty</th><th>State</th><th>Until</th></tr></thead>
              <tbody>{d.reservations.map((r) => <tr key={r.id}><td className="sku">{r.sku}</td><td className="num">{r.qty}</td><td>{r.state}</td><td>{fmtDate(r.closedAt ?? r.expiresAt)}</td></tr>)}</tbody>
            </table>
          )}
        </div>
        <div className="card">
          <h2>Stock movements</h2>
          {d.movements.length === 0 ? <p className="muted">None yet: stock moves when the order is confirmed.</p> : (
            <table className="data"><thead><tr><th>#</th><th>SKU</th><th>Kind</th><th className="num">Qty</th><th className="num">Balance</th></tr></thead>
              <tbody>{d.movements.map((m) => <tr key={m.id}><td>{m.id}</td><td className="sku">{m.sku}</td><td>{m.kind}</td><td className={`num ${m.qty < 0 ? 'neg' : 'pos'}`}>{m.qty}</td><td className="num">{m.balanceAfter}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      </div>
      <div className="card">
        <h2>History</h2>
        <ul className="order-history">
          {d.history.map((h, i) => <li key={i}><span className="muted">{fmtDate(h.at)}</span> {h.action.replace('order.', '')} by {h.actor}</li>)}
        </ul>
      </div>
    </>
  );
}
