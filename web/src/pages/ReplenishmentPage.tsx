import { Fragment, useEffect, useState } from 'react';
import { api, qs, type ItemPlanView, type Suggestion } from '../api.ts';
import { ExplainTable } from '../components/ReplenishmentPanel.tsx';
import { fmtDate, fmtInt, fmtMoney, fmtNum } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';

interface Run {
  id: number;
  status: string;
  items: number;
  suggestions: number;
  purchase_orders: number;
  total_value: number;
  skipped: { sku: string; location: string; reason: string }[];
  started_at: string;
  finished_at: string | null;
  timings: { total: number } | null;
  actor: string;
}
interface Plans {
  items: { sku: string; name: string; location: string; supplier: string | null; days_until_stockout: number | null; inventory_position: number; suggested_qty: number; summary: string }[];
  counts: { items: number; alerts: number; toOrder: number };
}

/** Suggestions from the latest replenishment run: approve, change or reject them in bulk; items at risk below. */
export default function ReplenishmentPage() {
  useTitle('Replenishment');
  const [location, setLocation] = useState('');
  const sugg = useApi<{ items: Suggestion[] }>(`/api/replenishment/suggestions${qs({ location })}`, { live: true });
  const runs = useApi<{ items: Run[] }>('/api/replenishment/runs?limit=1', { live: true });
  const risk = useApi<Plans>(`/api/replenishment/plans${qs({ alert: 1, location, limit: 50 })}`, { live: true });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [qty, setQty] = useState<Record<number, string>>({});
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');
  const items = sugg.data?.items ?? [];
  useEffect(() => setSelected((s) => new Set([...s].filter((id) => items.some((i) => i.id === id)))), [sugg.data]); // eslint-disable-line react-hooks/exhaustive-deps

  async function run() {
    setBusy(true);
    setError('');
    setMsg('Running…');
    try {
      const r = await api<{ id: number; items: number; suggestions: number; purchaseOrders: number; totalValue: number; seconds: { total: number } }>('/api/replenishment/runs', { method: 'POST', body: location ? { location } : {} });
      setMsg(`Run ${r.id}: ${fmtInt(r.items)} items planned, ${fmtInt(r.suggestions)} suggestions in ${r.purchaseOrders} draft POs (${fmtMoney(r.totalValue)}) in ${r.seconds.total} s.`);
      sugg.reload();
      runs.reload();
      risk.reload();
    } catch (e) {
      setError((e as Error).message);
      setMsg('');
    } finally {
      setBusy(false);
    }
  }
  async function decide(action: 'approve' | 'reject' | 'edit') {
    const ids = action === 'edit' ? Object.keys(qty).map(Number).filter((id) => items.some((i) => i.id === id && String(i.qty) !== qty[id])) : [...selected];
    if (ids.length === 0) return;
    setBusy(true);
    setError('');
    try {
      const decisions = ids.map((lineId) => (action === 'edit' ? { lineId, action, qty: Number(qty[lineId]) } : { lineId, action }));
      const r = await api<{ decided: number; purchaseOrders: { number: string; status: string; note: string | null }[] }>('/api/replenishment/suggestions/decide', { method: 'POST', body: { decisions } });
      const changed = r.purchaseOrders.filter((p) => p.status !== 'draft' || p.note).map((p) => `${p.number} ${p.note ?? p.status}`);
      setMsg(`${r.decided} suggestion${r.decided > 1 ? 's' : ''} ${action === 'edit' ? 'changed' : `${action}d`}.${changed.length ? ` ${changed.join('; ')}.` : ''}`);
      setSelected(new Set());
      if (action === 'edit') setQty({});
      sugg.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const last = runs.data?.items[0];
  const allOpen = items.filter((i) => i.decision === 'open');
  const edits = Object.keys(qty).filter((id) => items.some((i) => i.id === Number(id) && String(i.qty) !== qty[Number(id)])).length;
  const total = items.filter((i) => i.decision !== 'rejected').reduce((a, i) => a + i.qty * Number(i.unit_cost), 0);
  return (
    <>
      <div className="page-head">
        <h1>Replenishment</h1>
        <div className="row">
          <label className="inline">Location <input value={location} onChange={(e) => setLocation(e.target.value.toUpperCase())} placeholder="all" size={6} /></label>
          <button type="button" onClick={() => void run()} disabled={busy} data-testid="run-replenishment">Run replenishment now</button>
        </div>
      </div>
      {last && (
        <p className="muted small" data-testid="last-run">
          Last run {last.id} ({last.status}) {fmtDate(last.finished_at ?? last.started_at)} by {last.actor}: {fmtInt(last.items)} items, {fmtInt(last.suggestions)} suggestions in {last.purchase_orders} draft POs, {fmtInt(last.skipped.length)} skipped{last.timings ? `, ${last.timings.total} s` : ''}.
        </p>
      )}
      {msg && <p className="ok" role="status">{msg}</p>}
      {error && <p className="err" role="alert">{error}</p>}
      <section className="card table-card" aria-labelledby="sugg-h">
        <div className="toolbar page-head">
          <h2 id="sugg-h">Suggestions <span className="muted">({fmtInt(items.length)}, {fmtMoney(total)})</span></h2>
          <div className="row">
            <button type="button" disabled={busy || selected.size === 0} onClick={() => void decide('approve')} data-testid="approve-selected">Approve selected ({selected.size})</button>
            <button type="button" className="secondary" disabled={busy || selected.size === 0} onClick={() => void decide('reject')}>Reject selected</button>
            <button type="button" className="secondary" disabled={busy || edits === 0} onClick={() => void decide('edit')}>Save quantities ({edits})</button>
          </div>
        </div>
        <div className="table-scroll short">
          <table className="data" data-testid="suggestions">
            <thead>
              <tr>
                <th><input type="checkbox" aria-label="Select all open" checked={allOpen.length > 0 && allOpen.every((i) => selected.has(i.id))} onChange={(e) => setSelected(e.target.checked ? new Set(allOpen.map((i) => i.id)) : new Set())} /></th>
                <th scope="col">SKU</th><th scope="col">Location</th><th scope="col">PO</th><th className="num" scope="col">Qty</th><th className="num" scope="col">Value</th><th className="num" scope="col">Days of cover</th><th scope="col">Why</th><th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <Fragment key={s.id}>
                  <tr data-sku={s.sku} className={s.stockout_alert ? 'low' : undefined}>
                    <td><input type="checkbox" aria-label={`Select ${s.sku}`} disabled={s.decision !== 'open'} checked={selected.has(s.id)} onChange={(e) => setSelected((cur) => { const n = new Set(cur); if (e.target.checked) n.add(s.id); else n.delete(s.id); return n; })} /></td>
                    <td><Link to={`/products/${encodeURIComponent(s.sku)}`}>{s.sku}</Link> <span className="muted small">{s.name}</span></td>
                    <td>{s.location}</td>
                    <td><Link to={`/purchase-orders/${s.poId}`}>{s.po}</Link> <span className="muted small">{s.supplier}</span></td>
                    <td className="num"><input className="repl-qty" type="number" min="1" aria-label={`Quantity of ${s.sku}`} disabled={s.decision === 'rejected'} value={qty[s.id] ?? String(s.qty)} onChange={(e) => setQty((q) => ({ ...q, [s.id]: e.target.value }))} /></td>
                    <td className="num">{fmtMoney(s.qty * Number(s.unit_cost), s.currency)}</td>
                    <td className="num">{s.days_until_stockout === null ? '—' : fmtNum(s.days_until_stockout)}</td>
                    <td className="small repl-why"><button type="button" className="link" onClick={() => setOpen(open === s.id ? null : s.id)} aria-expanded={open === s.id}>{s.summary}</button></td>
                    <td><span className={`tag repl-${s.decision}`}>{s.decision}</span></td>
                  </tr>
                  {open === s.id && (
                    <tr className="repl-detail"><td colSpan={9}><LiveExplain sku={s.sku} location={s.location} /></td></tr>
                  )}
                </Fragment>
              ))}
              {!sugg.loading && items.length === 0 && <tr><td colSpan={9} className="empty">No open suggestions. Run replenishment, or see <Link to="/purchase-orders">purchase orders</Link>.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card table-card" aria-labelledby="risk-h">
        <h2 id="risk-h" className="toolbar">Stock-out before an order could arrive <span className="muted">({fmtInt(risk.data?.counts.alerts ?? 0)} of {fmtInt(risk.data?.counts.items ?? 0)} items)</span></h2>
        <div className="table-scroll short">
          <table className="data" data-testid="at-risk">
            <thead><tr><th scope="col">SKU</th><th scope="col">Location</th><th className="num" scope="col">Days of cover</th><th className="num" scope="col">Position</th><th className="num" scope="col">Suggested</th><th scope="col">Plan</th></tr></thead>
            <tbody>
              {risk.data?.items.map((p) => (
                <tr key={`${p.sku}@${p.location}`}>
                  <td><Link to={`/products/${encodeURIComponent(p.sku)}`}>{p.sku}</Link> <span className="muted small">{p.name}</span></td>
                  <td>{p.location}</td>
                  <td className="num">{p.days_until_stockout === null ? '—' : fmtNum(Math.round(p.days_until_stockout * 10) / 10)}</td>
                  <td className="num">{fmtInt(p.inventory_position)}</td>
                  <td className="num">{fmtInt(p.suggested_qty)}</td>
                  <td className="small">{p.summary}</td>
                </tr>
              ))}
              {risk.data && risk.data.items.length === 0 && <tr><td colSpan={6} className="empty">No item is projected to run out before a new order could arrive.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** The item's numbers as they stand now, each with how it was computed (the line keeps the run's one-line summary). */
function LiveExplain({ sku, location }: { sku: string; location: string }) {
  const plan = useApi<ItemPlanView>(`/api/replenishment/items/${encodeURIComponent(sku)}${qs({ location })}`);
  if (plan.error) return <p className="err">{plan.error.message}</p>;
  const e = plan.data?.explain;
  if (!plan.data) return <p className="muted small">Loading…</p>;
  if (!e) return <p className="muted small">{plan.data.reason}</p>;
  return (
    <>
      <p className="small">Now: {plan.data.summary} <span className="muted">({e.kind}, {e.service}, {e.policySource}; lead time {fmtNum(e.leadTimeDays)} d, review {fmtNum(e.reviewDays)} d, pack {e.packSize}, MOQ {e.moq})</span></p>
      <ExplainTable e={e} />
      <p className="muted small">{e.projection}{e.note ? ` · ${e.note}` : ''}</p>
    </>
  );
}
