import { useState } from 'react';
import { api, type PurchaseOrderDetail } from '../api.ts';
import { fmtDate, fmtInt, fmtMoney } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import type { PageProps } from '../routes.ts';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

/** One PO: its lines with why each quantity, the actions its status allows, a receive form, receipts and history. */
export default function PurchaseOrderPage({ params }: PageProps) {
  const id = params.id;
  const po = useApi<PurchaseOrderDetail>(`/api/purchase-orders/${encodeURIComponent(id)}`, { live: true });
  const p = po.data;
  useTitle(p?.number ?? 'Purchase order');
  const { can } = useSession();
  const [recv, setRecv] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');
  async function act(path: string, body?: unknown) {
    setBusy(true);
    setError('');
    setMsg('');
    try {
      const r = await api<{ status: string; number: string; movements?: { sku: string; qty: number; balanceAfter: number }[] }>(`/api/purchase-orders/${id}/${path}`, { method: 'POST', body });
      setMsg(r.movements ? `Received ${r.movements.map((m) => `${m.qty} × ${m.sku} (on hand now ${m.balanceAfter})`).join(', ')}. ${r.number} is ${r.status.replace('_', ' ')}.` : `${r.number} is ${r.status.replace('_', ' ')}.`);
      setRecv({});
      po.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  if (po.error) return <div className="card" role="alert"><p className="err">{po.error.message}</p><Link to="/purchase-orders">Back to purchase orders</Link></div>;
  if (!p) return <div className="chart-placeholder" />;
  const lines = p.lines.filter((l) => l.decision !== 'rejected');
  const receivable = ['approved', 'sent', 'partially_received'].includes(p.status);
  const toReceive = lines.map((l) => ({ lineId: l.id, qty: Number(recv[l.id] ?? 0) })).filter((x) => x.qty > 0);
  function receiveAll() {
    setRecv(Object.fromEntries(lines.filter((l) => l.qty_ordered > l.qty_received).map((l) => [l.id, String(l.qty_ordered - l.qty_received)])));
  }
  return (
    <>
      <p className="crumbs"><Link to="/purchase-orders">Purchase orders</Link> › {p.number}</p>
      <div className="page-head">
        <h1>{p.number} <span className={`tag po-${p.status}`} data-testid="po-status">{p.status.replace('_', ' ')}</span></h1>
        <div className="row">
          {can('manager') && p.status === 'draft' && <button type="button" disabled={busy} onClick={() => void act('approve')} data-testid="po-approve">Approve</button>}
          {can('manager') && p.status === 'approved' && <button type="button" disabled={busy} onClick={() => void act('send')}>Mark sent</button>}
          {can('manager') && ['partially_received', 'received'].includes(p.status) && <button type="button" className="secondary" disabled={busy} onClick={() => void act('close')}>Close</button>}
          {can('manager') && ['draft', 'approved', 'sent'].includes(p.status) && (
            <button type="button" className="secondary" disabled={busy} onClick={() => { const reason = window.prompt('Why cancel this PO?'); if (reason) void act('cancel', { reason }); }}>Cancel PO</button>
          )}
          <a href={`/api/purchase-orders/${p.id}/export.csv`} download>CSV</a>
          <a href={`/api/purchase-orders/${p.id}/export.pdf`} download>PDF</a>
        </div>
      </div>
      {msg && <p className="ok" role="status">{msg}</p>}
      {error && <p className="err" role="alert">{error}</p>}
      <section className="card">
        <dl className="attrs">
          <div><dt>Supplier</dt><dd>{p.supplier} — {p.supplierName}{p.supplierEmail ? ` (${p.supplierEmail})` : ''}</dd></div>
          <div><dt>Ship to</dt><dd>{p.location}</dd></div>
          <div><dt>Total</dt><dd>{fmtMoney(Number(p.total), p.currency)}</dd></div>
          <div><dt>Expected</dt><dd>{p.expected_at ?? '—'}</dd></div>
          <div><dt>Created</dt><dd>{fmtDate(p.created_at)} by {p.created_by}{p.run_id ? ` (run ${p.run_id})` : ''}</dd></div>
          {p.approved_by && <div><dt>Approved</dt><dd>{fmtDate(p.approved_at)} by {p.approved_by}</dd></div>}
          {p.cancel_reason && <div><dt>Cancelled</dt><dd>{p.cancel_reason}</dd></div>}
        </dl>
        {p.why && <p className="muted small">{p.why}</p>}
        {p.status === 'draft' && Number(p.total) > p.approvalLimit && <p className="note">Above the managers' approval limit ({fmtMoney(p.approvalLimit, p.currency)}): an admin must approve it.</p>}
      </section>
      <section className="card table-card" aria-labelledby="lines-h">
        <div className="toolbar page-head">
          <h2 id="lines-h">Lines</h2>
          {receivable && can('staff') && (
            <div className="row">
              <button type="button" className="secondary small" onClick={receiveAll}>Fill all open</button>
              <button type="button" disabled={busy || toReceive.length === 0} onClick={() => void act('receive', { lines: toReceive })} data-testid="po-receive">Receive ({toReceive.reduce((a, x) => a + x.qty, 0)} units)</button>
            </div>
          )}
        </div>
        <div className="table-scroll">
          <table className="data" data-testid="po-lines">
            <thead>
              <tr><th scope="col">SKU</th><th className="num" scope="col">Ordered</th><th className="num" scope="col">Received</th><th className="num" scope="col">Unit cost</th><th className="num" scope="col">Line total</th>{receivable && <th className="num" scope="col">Receive now</th>}<th scope="col">Why this quantity</th></tr>
            </thead>
            <tbody>
              {p.lines.map((l) => (
                <tr key={l.id} data-sku={l.sku} className={l.decision === 'rejected' ? 'muted' : undefined}>
                  <td><Link to={`/products/${encodeURIComponent(l.sku)}`}>{l.sku}</Link> <span className="muted small">{l.name}</span>{l.decision === 'rejected' && <span className="tag">rejected</span>}</td>
                  <td className="num">{fmtInt(l.qty_ordered)}</td>
                  <td className="num" data-testid="received">{fmtInt(l.qty_received)}</td>
                  <td className="num">{fmtMoney(Number(l.unit_cost), p.currency)}</td>
                  <td className="num">{fmtMoney(l.qty_ordered * Number(l.unit_cost), p.currency)}</td>
                  {receivable && (
                    <td className="num">
                      {l.decision !== 'rejected' && l.qty_received < l.qty_ordered && (
                        <input className="repl-qty" type="number" min="0" max={l.qty_ordered - l.qty_received} aria-label={`Receive ${l.sku}`} value={recv[l.id] ?? ''} onChange={(e) => setRecv((r) => ({ ...r, [l.id]: e.target.value }))} />
                      )}
                    </td>
                  )}
                  <td className="small">{l.summary ?? 'added by hand'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div className="grid2">
        <section className="card" aria-labelledby="rc-h">
          <h2 id="rc-h">Receipts</h2>
          {p.receipts.length === 0 ? <p className="muted">Nothing received yet.</p> : (
            <ul className="small">{p.receipts.map((r) => <li key={r.id}>{fmtDate(r.received_at)}: {r.qty} × {p.lines.find((l) => l.id === r.line_id)?.sku} into {r.location} by {r.actor} (movement {r.movement_id})</li>)}</ul>
          )}
        </section>
        <section className="card" aria-labelledby="hist-h">
          <h2 id="hist-h">History</h2>
          <ul className="small">{p.history.map((h, i) => <li key={i}>{fmtDate(h.at)} {h.actor}: {h.action}</li>)}</ul>
        </section>
      </div>
    </>
  );
}
