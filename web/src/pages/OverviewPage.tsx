import { useMemo } from 'react';
import type { Anchor } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { fmtDay, fmtInt, fmtMoney } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';

interface Summary {
  products: number;
  stockValue: number;
  belowThreshold: number;
  openAlerts: number;
  salesToday: number;
}
interface Overview {
  anchor: Anchor;
  days: string[];
  orders: number[];
  revenue: number[];
  units: number[];
  stockValue: number[];
  today: { orders: number; revenue: number };
  sameWeekdayLastWeek: { orders: number; revenue: number } | null;
}

export default function OverviewPage() {
  useTitle('Overview');
  const summary = useApi<Summary>('/api/summary', { live: true });
  const ov = useApi<Overview>('/api/dashboard/overview?days=56', { live: true });
  const settings = useApi<{ currency: string; storeName: string }>('/api/dashboard/settings');
  const health = useApi<{ demo: string; demoProgress: string | null }>('/api/health', { live: true });
  const cur = settings.data?.currency ?? 'GBP';
  const s = summary.data;
  const o = ov.data;
  const salesSeries = useMemo(
    () =>
      o
        ? [
            { label: 'Revenue', values: o.revenue, color: '#0969da', bars: true, format: (v: number) => fmtMoney(v, cur) },
            { label: 'Orders', values: o.orders, color: '#bf3989', format: (v: number) => fmtInt(v) },
          ]
        : [],
    [o, cur],
  );
  const valueSeries = useMemo(() => (o ? [{ label: 'Stock value (cost)', values: o.stockValue, color: '#1a7f37', format: (v: number) => fmtMoney(v, cur) }] : []), [o, cur]);
  const delta = o?.sameWeekdayLastWeek ? o.today.revenue - o.sameWeekdayLastWeek.revenue : null;
  return (
    <>
      <h1>{settings.data?.storeName && settings.data.storeName !== 'Shelfwise' ? `${settings.data.storeName} — overview` : 'Overview'}</h1>
      {o?.anchor.historical && (
        <p className="note" role="note">
          The sales data is historical: “today” here is <b>{fmtDay(o.anchor.today)}</b>, the date of the latest recorded sale.
        </p>
      )}
      {(summary.error || ov.error) && <p className="err" role="alert">{summary.error?.message ?? ov.error?.message}</p>}
      {health.data?.demo === 'loading' && (
        <p className="note" role="status">Loading the demo store{health.data.demoProgress ? `: ${health.data.demoProgress}` : '…'} Figures fill in as it loads.</p>
      )}
      {s && s.products === 0 && health.data?.demo !== 'loading' && <Onboarding />}
      <section className="kpis" aria-label="Key figures">
        <Kpi label="Stock value (at cost)" value={s ? fmtMoney(s.stockValue, cur) : '…'} />
        <Kpi label="Items below threshold" value={s ? fmtInt(s.belowThreshold) : '…'} to="/inventory?alert=low" warn={!!s?.belowThreshold} />
        <Kpi label="Open alerts" value={s ? fmtInt(s.openAlerts) : '…'} to="/alerts" warn={!!s?.openAlerts} />
        <Kpi
          label={o?.anchor.historical ? `Sales on ${o.anchor.today}` : 'Sales today'}
          value={o ? fmtMoney(o.today.revenue, cur) : '…'}
          sub={
            o
              ? `${fmtInt(o.today.orders)} orders · ${o.sameWeekdayLastWeek ? `${delta! >= 0 ? '▲' : '▼'} ${fmtMoney(Math.abs(delta!), cur)} vs same weekday last week (${fmtMoney(o.sameWeekdayLastWeek.revenue, cur)})` : ''}`
              : ''
          }
        />
        <Kpi label="Products" value={s ? fmtInt(s.products) : '…'} to="/products" />
      </section>
      <div className="grid2">
        <section className="card" aria-labelledby="chart-sales">
          <h2 id="chart-sales">Sales per day, last 8 weeks</h2>
          {o ? <Chart title="Revenue and orders per day" days={o.days} series={salesSeries} /> : <div className="chart-placeholder" />}
        </section>
        <section className="card" aria-labelledby="chart-value">
          <h2 id="chart-value">Stock value, last 8 weeks</h2>
          {o ? <Chart title="Stock value at cost per day" days={o.days} series={valueSeries} /> : <div className="chart-placeholder" />}
          <p className="muted small">Walked back from today’s stock through the ledger, at current unit costs.</p>
        </section>
      </div>
    </>
  );
}

function Onboarding() {
  return (
    <section className="card" aria-labelledby="welcome">
      <h2 id="welcome">Welcome: this store is empty</h2>
      <p>
        Import your own data on the <Link to="/import">Import page</Link> (managers) or with the CLI — CSV or XLSX; every bad row is reported with
        its line number, and nothing is written unless the whole file is valid:
      </p>
      <pre className="code">{'npx shelfwise import products products.csv\nnpx shelfwise import stock stock.csv --location STORE1\nnpx shelfwise import sales sales.csv --location STORE1'}</pre>
      <p>
        Or load the public demo data: download <a href="https://archive.ics.uci.edu/dataset/352/online+retail">UCI Online Retail</a> (sales) and the{' '}
        <a href="https://www.kaggle.com/datasets/paramaggarwal/fashion-product-images-small">Fashion Product Images</a> catalog, point{' '}
        <code>SHELFWISE_DATA</code> at the folder holding them (layout in the README) and run <code>npx shelfwise demo</code>. The{' '}
        <a href="/docs">API reference</a> lists every endpoint.
      </p>
    </section>
  );
}

function Kpi({ label, value, sub, to, warn }: { label: string; value: string; sub?: string; to?: string; warn?: boolean }) {
  const body = (
    <>
      <span className="kpi-label">{label}</span>
      <b className="kpi-value">{value}</b>
      {sub && <span className="kpi-sub">{sub}</span>}
    </>
  );
  return to ? (
    <Link to={to} className={`card kpi${warn ? ' warn' : ''}`} data-kpi={label}>{body}</Link>
  ) : (
    <div className={`card kpi${warn ? ' warn' : ''}`} data-kpi={label}>{body}</div>
  );
}
