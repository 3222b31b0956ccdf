import { useEffect, useMemo, useState } from 'react';
import { api, qs, type Anchor, type Keyset, type Movement } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { ForecastPanel } from '../components/ForecastPanel.tsx';
import { MovementForm } from '../components/MovementForm.tsx';
import { ProductEditForm } from '../components/ProductEditForm.tsx';
import { RecommendPanel } from '../components/RecommendPanel.tsx';
import { ReplenishmentPanel } from '../components/ReplenishmentPanel.tsx';
import { fmtDate, fmtInt, fmtMoney } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import type { PageProps } from '../routes.ts';
import { useLive } from '../live.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

interface StockRow {
  location: string;
  locationName: string;
  onHand: number;
  reserved: number;
  available: number;
  lowThreshold: number | null;
  lastMovementAt: string | null;
}
interface Product {
  sku: string;
  name: string;
  barcode: string | null;
  category: string;
  subcategory: string | null;
  articleType: string | null;
  brand: string | null;
  gender: string | null;
  ageGroup: string | null;
  season: string | null;
  colour: string | null;
  size: string | null;
  usage: string | null;
  price: number;
  cost: number;
  status: string;
  attributes: Record<string, unknown>;
  updatedAt: string;
  stock: StockRow[];
}
interface SalesHistory {
  anchor: Anchor;
  periods: string[];
  units: number[];
  revenue: number[];
}

export default function ProductPage({ params }: PageProps) {
  const sku = params.sku;
  useTitle(sku);
  const product = useApi<Product>(`/api/products/${encodeURIComponent(sku)}`, { live: true });
  const [bucket, setBucket] = useState<'day' | 'week'>('day');
  const sales = useApi<SalesHistory>(`/api/dashboard/products/${encodeURIComponent(sku)}/sales${qs({ bucket, days: bucket === 'day' ? 90 : 364 })}`, { live: true });
  const [ledgerKey, setLedgerKey] = useState(0);
  const [editing, setEditing] = useState(false);
  const { can } = useSession();
  const p = product.data;
  if (product.error) {
    return (
      <div className="card" role="alert">
        <h1>{sku}</h1>
        <p className="err">{product.error.message}</p>
        <Link to="/inventory">Back to inventory</Link>
      </div>
    );
  }
  const attrs: [string, unknown][] = p
    ? ([
        ['Barcode', p.barcode],
        ['Category', [p.category, p.subcategory, p.articleType].filter(Boolean).join(' › ')],
        ['Brand', p.brand],
        ['Gender', p.gender],
        ['Age group', p.ageGroup],
        ['Season', p.season],
        ['Colour', p.colour],
        ['Size', p.size],
        ['Usage', p.usage],
        ['Price', fmtMoney(p.price)],
        ['Unit cost', fmtMoney(p.cost)],
        ['Status', p.status],
        ...Object.entries(p.attributes ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v] as [string, unknown]),
      ] as [string, unknown][]).filter(([, v]) => v !== null && v !== undefined && v !== '')
    : [];
  const totalOnHand = p?.stock.reduce((a, s) => a + s.onHand, 0) ?? 0;
  return (
    <>
      <p className="crumbs"><Link to="/inventory">Inventory</Link> › {sku}</p>
      <h1>
        {p?.name ?? sku} <span className="muted sku-sub">{sku}</span>
      </h1>
      <div className="grid2">
        <section className="card" aria-labelledby="attrs">
          <div className="page-head">
            <h2 id="attrs">{editing ? 'Edit product' : 'Attributes'}</h2>
            {p && can('manager') && !editing && <button type="button" className="secondary small" onClick={() => setEditing(true)}>Edit</button>}
          </div>
          {editing && p ? (
            <ProductEditForm product={p} onSaved={product.reload} onClose={() => setEditing(false)} />
          ) : (
          <dl className="attrs">
            {attrs.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
          )}
        </section>
        <section className="card" aria-labelledby="stock">
          <h2 id="stock">Stock per location <span className="muted">({fmtInt(totalOnHand)} on hand)</span></h2>
          <table className="data" data-testid="stock-table">
            <thead>
              <tr><th scope="col">Location</th><th className="num" scope="col">On hand</th><th className="num" scope="col">Reserved</th><th className="num" scope="col">Available</th><th className="num" scope="col">Threshold</th></tr>
            </thead>
            <tbody>
              {p?.stock.map((s) => (
                <tr key={s.location} data-location={s.location} className={s.lowThreshold !== null && s.available < s.lowThreshold ? 'low' : undefined}>
                  <td>{s.location} <span className="muted">{s.locationName}</span></td>
                  <td className="num on-hand">{fmtInt(s.onHand)}</td>
                  <td className="num">{fmtInt(s.reserved)}</td>
                  <td className="num">{fmtInt(s.available)}</td>
                  <td className="num">{fmtInt(s.lowThreshold)}</td>
                </tr>
              ))}
              {p && p.stock.length === 0 && <tr><td colSpan={5} className="empty">No stock anywhere yet.</td></tr>}
            </tbody>
          </table>
        </section>
      </div>
      <section className="card" aria-labelledby="history">
        <div className="page-head">
          <h2 id="history">Sales history</h2>
          <div className="toggle" role="group" aria-label="Period">
            <button type="button" aria-pressed={bucket === 'day'} onClick={() => setBucket('day')}>Daily</button>
            <button type="button" aria-pressed={bucket === 'week'} onClick={() => setBucket('week')}>Weekly</button>
          </div>
        </div>
        {sales.data?.anchor.historical && <p className="muted small">Historical data: up to {sales.data.anchor.today}, the latest recorded sale.</p>}
        <SalesChart data={sales.data} bucket={bucket} />
      </section>
      <ForecastPanel sku={sku} locations={p?.stock.map((s) => s.location) ?? []} />
      <RecommendPanel sku={sku} locations={p?.stock.map((s) => s.location) ?? []} />
      <ReplenishmentPanel sku={sku} locations={p?.stock.map((s) => s.location) ?? []} />
      <div className="grid2 form-and-ledger">
        <MovementForm sku={sku} defaultLocation={p?.stock[0]?.location} onPosted={() => { product.reload(); sales.reload(); setLedgerKey((k) => k + 1); }} />
        <Ledger sku={sku} key={ledgerKey} />
      </div>
    </>
  );
}

function SalesChart({ data, bucket }: { data: SalesHistory | null; bucket: 'day' | 'week' }) {
  const series = useMemo(
    () => (data ? [{ label: 'Units sold', values: data.units, color: '#0969da', bars: true }, { label: 'Revenue', values: data.revenue, color: '#bf3989', format: (v: number) => fmtMoney(v) }] : []),
    [data],
  );
  if (!data) return <div className="chart-placeholder" />;
  const sold = data.units.reduce((a, b) => a + b, 0);
  return (
    <>
      <Chart title={`Units sold per ${bucket}`} days={data.periods} series={series} />
      <p className="muted small">{fmtInt(sold)} units sold in these {data.periods.length} {bucket}s.</p>
    </>
  );
}

function Ledger({ sku }: { sku: string }) {
  const live = useLive();
  const [pages, setPages] = useState<Movement[][]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  async function load(before?: number) {
    setLoading(true);
    try {
      const r = await api<Keyset<Movement>>(`/api/movements${qs({ sku, limit: 20, before })}`);
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
  }, [sku, live]);
  const rows = pages.flat();
  return (
    <section className="card" aria-labelledby="ledger">
      <h2 id="ledger">Movement ledger</h2>
      {error && <p className="err" role="alert">{error}</p>}
      <div className="table-scroll short">
        <table className="data" data-testid="ledger">
          <thead>
            <tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Location</th><th className="num" scope="col">Qty</th><th className="num" scope="col">Balance</th><th scope="col">Reason / by</th></tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">{fmtDate(m.occurredAt)}</td>
                <td className="nowrap">{m.kind.replace('_', ' ')}{m.saleId ? <span className="muted"> #{m.saleId}</span> : null}</td>
                <td>{m.location}</td>
                <td className={`num ${m.qty < 0 ? 'neg' : 'pos'}`}>{m.qty > 0 ? `+${m.qty}` : m.qty}</td>
                <td className="num">{fmtInt(m.balanceAfter)}</td>
                <td className="small" title={`by ${m.actor}`}>{m.reason ?? m.actor}</td>
              </tr>
            ))}
            {!loading && rows.length === 0 && <tr><td colSpan={6} className="empty">No movements yet.</td></tr>}
          </tbody>
        </table>
      </div>
      {next !== null && (
        <button type="button" className="secondary" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Older movements'}
        </button>
      )}
    </section>
  );
}

