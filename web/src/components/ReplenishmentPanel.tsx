import { useMemo, useState } from 'react';
import { api, qs, type ItemPlanView, type ReplExplain } from '../api.ts';
import { fmtInt, fmtMoney, fmtNum } from '../format.ts';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';
import { Chart } from './Chart.tsx';

const KINDS = [
  ['rs', 'Periodic review (R, S)'],
  ['rop', 'Reorder point (s, Q)'],
  ['eoq', 'ROP + EOQ (s, S)'],
  ['minmax', 'Min / max'],
  ['jit', 'Just in time'],
] as const;

/** The explained numbers of a plan: value and the sentence that says how it was computed. */
export function ExplainTable({ e }: { e: ReplExplain }) {
  const rows: [string, { value: number; why: string } | null][] = [
    ['Reorder point', e.reorderPoint],
    ['Order-up-to', e.orderUpTo],
    ['EOQ', e.eoq],
    ['Safety stock', e.safetyStock],
    ['Position', e.inventoryPosition],
    ['Order now', e.orderQty],
  ];
  return (
    <table className="data repl-explain">
      <tbody>
        {rows
          .filter(([, x]) => x)
          .map(([k, x]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="num">{fmtNum(Math.round(x!.value * 10) / 10)}</td>
              <td className="small">{x!.why}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** Product page: the item's replenishment policy at a location, days until stockout and the projected stock curve. */
export function ReplenishmentPanel({ sku, locations }: { sku: string; locations: string[] }) {
  const [location, setLocation] = useState<string | null>(null);
  const loc = location ?? locations[0] ?? null;
  const plan = useApi<ItemPlanView>(loc ? `/api/replenishment/items/${encodeURIComponent(sku)}${qs({ location: loc })}` : null, { live: true });
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const p = plan.data;
  const { days, series } = useMemo(() => {
    const c = p?.curve ?? [];
    return {
      days: c.map((x) => x.date),
      series: [
        { label: 'Projected stock', values: c.map((x) => x.stock), color: '#0969da' },
        { label: 'Receipts', values: c.map((x) => x.receipts || null), color: '#1a7f37', bars: true },
      ],
    };
  }, [p]);
  if (!loc) return null;
  const e = p?.explain;
  return (
    <section className="card" aria-labelledby="repl-h" data-testid="replenishment-panel">
      <div className="page-head">
        <h2 id="repl-h">Replenishment</h2>
        <div className="row">
          {locations.length > 1 && (
            <select aria-label="Location" value={loc} onChange={(ev) => setLocation(ev.target.value)}>
              {locations.map((l) => <option key={l}>{l}</option>)}
            </select>
          )}
          {can('manager') && p?.available && <button type="button" className="secondary small" onClick={() => setEditing((x) => !x)}>{editing ? 'Close' : 'Policy…'}</button>}
        </div>
      </div>
      {plan.error && <p className="err" role="alert">{plan.error.message}</p>}
      {p && !p.available && <p className="muted">{p.reason}</p>}
      {p?.available && e && (
        <>
          <p className="repl-summary" data-testid="repl-summary">{p.summary}</p>
          <div className="kpis repl-kpis">
            <div className={`card kpi ${e.stockoutAlert ? 'warn' : ''}`}>
              <span className="kpi-label">Days until stockout</span>
              <span className="kpi-value" data-testid="days-until-stockout">{e.daysUntilStockout === null ? '> horizon' : fmtNum(e.daysUntilStockout)}</span>
              <span className="kpi-sub">{e.stockoutAlert ? 'before an order placed today could arrive' : `lead time ${fmtNum(e.leadTimeDays)} days`}</span>
            </div>
            <div className="card kpi">
              <span className="kpi-label">Policy</span>
              <span className="kpi-value small">{e.kind} · {e.service}</span>
              <span className="kpi-sub">{e.policySource}; review {fmtNum(e.reviewDays)} d</span>
            </div>
            <div className="card kpi">
              <span className="kpi-label">Supplier</span>
              <span className="kpi-value small">{p.supplier?.code}</span>
              <span className="kpi-sub">{fmtMoney(p.supplier?.unitCost, p.supplier?.currency)} · pack {e.packSize} · MOQ {e.moq}</span>
            </div>
          </div>
          <ExplainTable e={e} />
          <p className="muted small">{e.projection}{e.note ? ` · ${e.note}` : ''}</p>
          <Chart title="Projected stock (on hand + open POs − forecast)" days={days} series={series} sameScale />
          {p.openOrders && p.openOrders.length > 0 && (
            <p className="small">On order: {p.openOrders.map((o) => `${fmtInt(o.qty)} on ${o.po} (day ${o.expectedDay})`).join(', ')}</p>
          )}
          {editing && <PolicyForm sku={sku} location={loc} current={p} onSaved={() => { setEditing(false); plan.reload(); }} />}
        </>
      )}
    </section>
  );
}

function PolicyForm({ sku, location, current, onSaved }: { sku: string; location: string; current: ItemPlanView; onSaved: () => void }) {
  const pol = current.itemPolicy;
  const [kind, setKind] = useState(pol?.kind ?? current.explain?.kind ?? 'rs');
  const [level, setLevel] = useState(String(pol?.service_level ?? 0.95));
  const [review, setReview] = useState(String(pol?.review_days ?? current.explain?.reviewDays ?? 7));
  const [min, setMin] = useState(pol?.min_qty?.toString() ?? '');
  const [max, setMax] = useState(pol?.max_qty?.toString() ?? '');
  const [error, setError] = useState('');
  async function save(ev: React.FormEvent) {
    ev.preventDefault();
    setError('');
    try {
      await api('/api/replenishment/policies', {
        method: 'PUT',
        body: { sku, location, kind, serviceLevel: Number(level), reviewDays: Number(review), min: min === '' ? null : Number(min), max: max === '' ? null : Number(max) },
      });
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function remove() {
    if (!pol) return;
    await api(`/api/replenishment/policies/${pol.id}`, { method: 'DELETE' }).then(onSaved, (e) => setError((e as Error).message));
  }
  return (
    <form className="repl-policy-form row" onSubmit={save}>
      <label>Policy <select value={kind} onChange={(e) => setKind(e.target.value)}>{KINDS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}</select></label>
      <label>Service level <input type="number" step="0.005" min="0.5" max="0.999" value={level} onChange={(e) => setLevel(e.target.value)} /></label>
      <label>Review (days) <input type="number" min="0" value={review} onChange={(e) => setReview(e.target.value)} /></label>
      {kind === 'minmax' && (
        <>
          <label>Min <input type="number" min="0" value={min} onChange={(e) => setMin(e.target.value)} /></label>
          <label>Max <input type="number" min="0" value={max} onChange={(e) => setMax(e.target.value)} /></label>
        </>
      )}
      <button type="submit">Save for {sku} at {location}</button>
      {pol && <button type="button" className="secondary" onClick={() => void remove()}>Use category / default</button>}
      {error && <p className="err" role="alert">{error}</p>}
    </form>
  );
}
