import { useState, type FormEvent } from 'react';
import { api, ApiError, qs, type Promotion } from '../api.ts';
import { FieldError } from '../components/FieldError.tsx';
import { fmtDate, fmtMoney, fmtNum } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

type Status = 'all' | 'running' | 'scheduled' | 'ended' | 'cancelled';
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x >= 0 ? '+' : ''}${Math.round(x * 1000) / 10}%`);

/** Promotions: accepted markdowns and manual price rules, their results so far; managers create and cancel. */
export default function PromotionsPage() {
  useTitle('Promotions');
  const { can } = useSession();
  const [status, setStatus] = useState<Status>('all');
  const [msg, setMsg] = useState<{ ok?: string; err?: string }>({});
  const list = useApi<{ items: Promotion[] }>(`/api/promotions${qs({ status })}`, { live: true });
  const settings = useApi<{ currency: string }>('/api/dashboard/settings');
  const cur = settings.data?.currency ?? 'GBP';

  async function cancel(p: Promotion) {
    setMsg({});
    try {
      await api(`/api/promotions/${p.id}/cancel`, { method: 'POST' });
      setMsg({ ok: `Promotion ${p.id} cancelled: prices are back to regular.` });
      list.reload();
    } catch (e) {
      setMsg({ err: e instanceof ApiError ? e.message : String(e) });
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>Promotions</h1>
        <div className="toggle" role="group" aria-label="Show">
          {(['all', 'running', 'scheduled', 'ended', 'cancelled'] as Status[]).map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>{s}</button>
          ))}
        </div>
      </div>
      <p className="muted small">
        Price rules the storefront and kiosk apply (lowest running price wins). Accept markdown offers on the <Link to="/waste">Waste & markdowns</Link> page.
        Results compare units sold per day during the promotion with the forecast demand the offer assumed (or the 28 days before).
      </p>
      <p className="ok" role="status">{msg.ok}</p>
      {(msg.err || list.error) && <p className="err" role="alert">{msg.err ?? list.error?.message}</p>}
      {can('manager') && <NewPromotion onCreated={(p) => { setMsg({ ok: `Promotion ${p.id} created.` }); list.reload(); }} />}
      <div className="card table-card">
        <div className="table-scroll">
          <table className="data" aria-busy={list.loading} data-testid="promotions-table">
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">Promotion</th><th scope="col">Applies to</th><th scope="col">Rule</th><th scope="col">Dates</th>
                <th scope="col">Status</th><th scope="col">Accepted by</th><th scope="col" className="num">Units / day (baseline)</th><th scope="col" className="num">Uplift (expected)</th><th scope="col" />
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((p) => (
                <tr key={p.id} data-promotion={p.id}>
                  <td>{p.id}</td>
                  <td>{p.name} {p.source === 'markdown' && <span className="tag">markdown</span>}</td>
                  <td>{p.sku ? <Link to={`/products/${encodeURIComponent(p.sku)}`}>{p.sku}</Link> : `category ${p.category}`}</td>
                  <td className="nowrap">{p.kind === 'percent' ? `${p.value}% off` : `at ${fmtMoney(p.value, cur)}`}</td>
                  <td className="nowrap">{p.startsOn} → {p.endsOn}</td>
                  <td><span className={`tag ${p.status === 'running' ? 'warning' : ''}`}>{p.status}</span></td>
                  <td className="small" title={fmtDate(p.createdAt)}>{p.acceptedBy}</td>
                  <td className="num">{fmtNum(p.results?.unitsPerDay)} <span className="muted small">({fmtNum(p.results?.baselinePerDay)})</span></td>
                  <td className="num">{pct(p.results?.uplift)} <span className="muted small">({pct(p.results?.expectedUplift)})</span></td>
                  <td>{can('manager') && (p.status === 'running' || p.status === 'scheduled') && <button type="button" className="secondary small" onClick={() => void cancel(p)}>Cancel</button>}</td>
                </tr>
              ))}
              {!list.loading && list.data?.items.length === 0 && <tr><td colSpan={10} className="empty">No promotions yet.</td></tr>}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}

function NewPromotion({ onCreated }: { onCreated: (p: Promotion) => void }) {
  const [target, setTarget] = useState<'sku' | 'category'>('sku');
  const [f, setF] = useState({ who: '', kind: 'percent' as 'percent' | 'fixed_price', value: '', endsOn: '' });
  const [err, setErr] = useState<ApiError | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      const p = await api<Promotion>('/api/promotions', { method: 'POST', body: { [target]: f.who.trim(), kind: f.kind, value: Number(f.value), endsOn: f.endsOn } });
      setF({ ...f, who: '', value: '' });
      onCreated(p);
    } catch (e2) {
      setErr(e2 instanceof ApiError ? e2 : new ApiError(0, String(e2)));
    }
  }
  return (
    <form className="card filters" onSubmit={(e) => void submit(e)} aria-label="New promotion">
      <label>
        <select value={target} onChange={(e) => setTarget(e.target.value as 'sku')} aria-label="Applies to">
          <option value="sku">SKU</option>
          <option value="category">Category</option>
        </select>
        <input value={f.who} onChange={(e) => setF({ ...f, who: e.target.value })} placeholder={target === 'sku' ? 'SKU' : 'category'} required aria-label={target === 'sku' ? 'SKU' : 'Category'} />
        <FieldError id="promo-who" error={err} name={target} />
      </label>
      <label>
        Rule
        <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as 'percent' })}>
          <option value="percent">percent off</option>
          <option value="fixed_price">fixed price</option>
        </select>
      </label>
      <label>
        {f.kind === 'percent' ? 'Percent' : 'Price'}
        <input type="number" step="0.01" min="0" value={f.value} onChange={(e) => setF({ ...f, value: e.target.value })} required />
        <FieldError id="promo-value" error={err} name="value" />
      </label>
      <label>
        Ends on
        <input type="date" value={f.endsOn} onChange={(e) => setF({ ...f, endsOn: e.target.value })} required />
        <FieldError id="promo-ends" error={err} name="endsOn" />
      </label>
      <button type="submit">Create promotion</button>
      {err && !['sku', 'category', 'value', 'endsOn'].includes(err.field ?? '') && <p className="err" role="alert">{err.message}</p>}
    </form>
  );
}
