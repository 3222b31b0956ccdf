import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, qs, type Keyset, type RecommendModel } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { fmtDate, fmtInt, fmtMoney, fmtNum } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

interface CustomerRow {
  id: number;
  code: string;
  name: string | null;
  email: string | null;
  country: string | null;
  orders: number;
  spent: number;
  lastOrderAt: string | null;
}

export default function CustomersPage() {
  useTitle('Customers');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [pages, setPages] = useState<CustomerRow[][]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  async function load(before?: number) {
    setLoading(true);
    setError('');
    try {
      const r = await api<Keyset<CustomerRow>>(`/api/customers${qs({ q, limit: 50, before })}`);
      setPages((p) => (before ? [...p, r.items] : [r.items]));
      setNext(r.next);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  const rows = pages.flat();
  return (
    <>
      <h1>Customers</h1>
      <form className="filters card" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="code, name or email" />
        </label>
      </form>
      {error && <p className="err" role="alert">{error}</p>}
      <div className="card table-card">
        <table className="data" aria-busy={loading} data-testid="customers-table">
          <thead>
            <tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Country</th><th className="num" scope="col">Orders</th><th className="num" scope="col">Spent</th><th scope="col">Last order</th></tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/customers/${c.id}`}>{c.code}</Link></td>
                <td className="name">{c.name ?? <span className="muted">—</span>}</td>
                <td>{c.country ?? '—'}</td>
                <td className="num">{fmtInt(c.orders)}</td>
                <td className="num">{fmtMoney(c.spent)}</td>
                <td className="nowrap">{fmtDate(c.lastOrderAt)}</td>
              </tr>
            ))}
            {!loading && rows.length === 0 && <tr><td colSpan={6} className="empty">{q ? 'No customer matches.' : 'No customers yet: sales with a customer create them.'}</td></tr>}
          </tbody>
        </table>
        <div className="pager">
          <span aria-live="polite">{fmtInt(rows.length)} shown</span>
          <span className="spacer" />
          {next !== null && <button type="button" className="secondary" disabled={loading} onClick={() => void load(next)}>{loading ? 'Loading…' : 'More customers'}</button>}
        </div>
      </div>
      <ModelsPanel />
    </>
  );
}

/** The recommendation model: which version serves, retrain with progress, quality over time, boost weight. */
function ModelsPanel() {
  const { can } = useSession();
  const models = useApi<{ serving: { id: number; trainedAt: string } | null; items: RecommendModel[] }>('/api/recommendations/models?limit=60');
  const settings = useApi<{ boostWeight: number; promotionWeight: number; collaborative: string }>('/api/recommendations/settings');
  const [running, setRunning] = useState<RecommendModel | null>(null);
  const [msg, setMsg] = useState('');
  const [weight, setWeight] = useState<string>('');
  useEffect(() => {
    if (settings.data) setWeight(String(settings.data.boostWeight));
  }, [settings.data]);
  useEffect(() => {
    const r = models.data?.items.find((m) => m.status === 'running');
    if (r && !running) setRunning(r);
  }, [models.data, running]);
  useEffect(() => {
    if (!running || running.status !== 'running') return;
    const t = setTimeout(async () => {
      try {
        const r = await api<RecommendModel>(`/api/recommendations/models/${running.id}`);
        setRunning(r);
        if (r.status !== 'running') models.reload();
      } catch (e) {
        setMsg((e as Error).message);
      }
    }, 1000);
    return () => clearTimeout(t);
  }, [running, models]);
  async function retrain() {
    setMsg('');
    try {
      const r = await api<{ id: number }>('/api/recommendations/models', { method: 'POST', body: { evaluate: true } });
      setRunning(await api<RecommendModel>(`/api/recommendations/models/${r.id}`));
    } catch (e) {
      // already training (nightly, first request): follow that run instead
      const id = e instanceof ApiError && e.status === 409 ? (e.detail as { id?: number } | undefined)?.id : undefined;
      if (id) setRunning(await api<RecommendModel>(`/api/recommendations/models/${id}`));
      else setMsg((e as Error).message);
    }
  }
  async function saveWeight(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api('/api/recommendations/settings', { method: 'PUT', body: { boostWeight: Number(weight) } });
      setMsg('Saved.');
      settings.reload();
    } catch (err) {
      setMsg((err as Error).message);
    }
  }
  const evaluated = useMemo(
    () => (models.data?.items ?? []).filter((m) => m.status === 'done' && m.trainedAt && m.metrics?.evaluation && 'ndcg10' in m.metrics.evaluation).reverse(),
    [models.data],
  );
  const serving = models.data?.items.find((m) => m.id === models.data?.serving?.id);
  const series = useMemo(
    () =>
      evaluated.length
        ? [
            { label: 'Blend NDCG@10', values: evaluated.map((m) => (m.metrics!.evaluation as { ndcg10: Record<string, number> }).ndcg10.auto ?? null), color: '#0969da' },
            { label: 'Popularity NDCG@10', values: evaluated.map((m) => (m.metrics!.evaluation as { ndcg10: Record<string, number> }).ndcg10.popularity ?? null), color: '#8c959f' },
          ]
        : [],
    [evaluated],
  );
  return (
    <section className="card" aria-labelledby="model" data-testid="models-panel">
      <div className="page-head">
        <h2 id="model">Recommendation model</h2>
        {can('manager') && <button type="button" className="secondary small" disabled={running?.status === 'running'} onClick={() => void retrain()}>Retrain now</button>}
      </div>
      {models.error && <p className="err" role="alert">{models.error.message}</p>}
      {running?.status === 'running' && (
        <p aria-live="polite">
          Training {running.phase}… <progress max={1} value={running.progress} /> {Math.round(running.progress * 100)} %
        </p>
      )}
      {running?.status === 'failed' && <p className="err">Training {running.id} failed: {running.error}</p>}
      {serving?.metrics ? (
        <p>
          Serving version {serving.id}, trained {fmtDate(serving.trainedAt)} on {fmtInt(serving.metrics.customers)} customers × {fmtInt(serving.metrics.items)} products
          ({fmtInt(serving.metrics.interactions)} order lines, {fmtInt(serving.metrics.ratings)} ratings; {serving.metrics.collaborative}) in {fmtNum(serving.metrics.seconds.total)} s.
        </p>
      ) : (
        models.data && <p className="muted">No model yet: it trains on the first request, nightly, or with “Retrain now”. Until then lists are by popularity.</p>
      )}
      {evaluated.length > 1 ? (
        <Chart title="Hold-out NDCG@10 per version" days={evaluated.map((m) => m.trainedAt!.slice(0, 10))} series={series} sameScale />
      ) : evaluated.length === 1 ? (
        <p className="small">Hold-out (last {(evaluated[0].metrics!.evaluation as { testDays: number }).testDays} days): NDCG@10 blend {fmtNum((evaluated[0].metrics!.evaluation as { ndcg10: Record<string, number> }).ndcg10.auto)} vs popularity {fmtNum((evaluated[0].metrics!.evaluation as { ndcg10: Record<string, number> }).ndcg10.popularity)}.</p>
      ) : (
        <p className="muted small">Model quality appears here after an evaluated training (nightly, or “Retrain now”).</p>
      )}
      {can('manager') && settings.data && (
        <form className="rec-inline" onSubmit={saveWeight}>
          <label className="small">
            Overstock / slow-mover boost (0 = off … 1){' '}
            <input type="number" min={0} max={1} step={0.05} value={weight} onChange={(e) => setWeight(e.target.value)} style={{ width: '5rem' }} />
          </label>
          <button type="submit" className="secondary small">Save</button>
        </form>
      )}
      {msg && <p className="muted small" role="status">{msg}</p>}
    </section>
  );
}
