import { useState } from 'react';
import { qs, type PoStatus, type PurchaseOrderRow } from '../api.ts';
import { fmtDate, fmtInt, fmtMoney } from '../format.ts';
import { Link, navigate, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';

const TABS: (PoStatus | '')[] = ['', 'draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'];
const label = (s: string) => (s ? s.replace('_', ' ') : 'all');

/** Purchase orders by status, newest first; overdue ones flagged. */
export default function PurchaseOrdersPage() {
  useTitle('Purchase orders');
  const [status, setStatus] = useState<PoStatus | ''>('');
  const [supplier, setSupplier] = useState('');
  const r = useApi<{ items: PurchaseOrderRow[]; counts: Record<string, number> }>(`/api/purchase-orders${qs({ status, supplier, limit: 200 })}`, { live: true });
  const counts = r.data?.counts ?? {};
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <div className="page-head">
        <h1>Purchase orders</h1>
        <div className="row">
          <label className="inline">Supplier <input value={supplier} onChange={(e) => setSupplier(e.target.value.toUpperCase())} placeholder="all" size={10} /></label>
          <Link to="/replenishment">Suggestions →</Link>
        </div>
      </div>
      <div className="toggle po-tabs" role="group" aria-label="Status">
        {TABS.map((t) => (
          <button key={t || 'all'} type="button" aria-pressed={status === t} onClick={() => setStatus(t)}>
            {label(t)} <span className="muted">{fmtInt(t ? counts[t] ?? 0 : all)}</span>
          </button>
        ))}
      </div>
      {r.error && <p className="err" role="alert">{r.error.message}</p>}
      <section className="card table-card">
        <div className="table-scroll">
          <table className="data" data-testid="po-list">
            <thead>
              <tr><th scope="col">PO</th><th scope="col">Status</th><th scope="col">Supplier</th><th scope="col">Ship to</th><th className="num" scope="col">Lines</th><th className="num" scope="col">Total</th><th scope="col">Expected</th><th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {r.data?.items.map((p) => (
                <tr key={p.id} data-po={p.number} className="clickable" onClick={() => navigate(`/purchase-orders/${p.id}`)}>
                  <td><Link to={`/purchase-orders/${p.id}`}>{p.number}</Link>{p.run_id ? <span className="tag">run {p.run_id}</span> : null}</td>
                  <td><span className={`tag po-${p.status}`}>{label(p.status)}</span>{p.overdue && <span className="tag critical">overdue</span>}</td>
                  <td>{p.supplier} <span className="muted small">{p.supplierName}</span></td>
                  <td>{p.location}</td>
                  <td className="num">{fmtInt(p.lines)}</td>
                  <td className="num">{fmtMoney(Number(p.total), p.currency)}</td>
                  <td>{p.expected_at ?? '—'}</td>
                  <td className="small">{fmtDate(p.created_at)}</td>
                </tr>
              ))}
              {r.data && r.data.items.length === 0 && <tr><td colSpan={8} className="empty">No purchase orders{status ? ` ${label(status)}` : ''}. A replenishment run drafts them.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
