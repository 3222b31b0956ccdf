import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { qs, type Anchor } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { PALETTE, Plot, type PlotSeries } from '../components/ReportPlot.tsx';
import { PlanningReports } from './PlanningReports.tsx';
import { fmtDay, fmtInt, fmtMoney } from '../format.ts';
import { Link, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';
import { LocationPicker } from '../components/LocationPicker.tsx';

interface TopRow { rank: number; sku: string; name: string; category: string; qty: number; revenue: number; onHand: number }
interface TopSellers { anchor: Anchor; n: number; weeks: { weekStart: string; totalQty: number; totalRevenue: number; top: TopRow[]; moreTied: number }[] }
interface CategoryTrend {
  anchor: Anchor;
  by?: 'category' | 'store';
  periods: string[];
  categories: { category: string; qty: number[]; revenue: number[]; totalQty: number; totalRevenue: number; recentChange: number | null; growthPerPeriod: number | null }[];
}
interface InventoryValue { anchor: Anchor; days: string[]; units: number[]; value: number[] }

/** Lines drawn in the category chart; the rest are summed into "Other". */
const MAX_LINES = 8;

export default function ReportsPage() {
  useTitle('Reports');
  const [location, setLocation] = useState('');
  const [weeks, setWeeks] = useState(4);
  const [n, setN] = useState(5);
  const [trendWeeks, setTrendWeeks] = useState(12);
  const [trendBy, setTrendBy] = useState<'category' | 'store'>('category');
  const [days, setDays] = useState(90);
  const settings = useApi<{ currency: string }>('/api/dashboard/settings');
  const cur = settings.data?.currency ?? 'GBP';
  const topQs = qs({ weeks, n, location });
  const trendQs = qs({ weeks: trendWeeks, location, by: trendBy });
  const valueQs = qs({ days, location });
  const top = useApi<TopSellers>(`/api/reports/top-sellers${topQs}`, { live: true });
  const trend = useApi<CategoryTrend>(`/api/reports/category-trend${trendQs}`, { live: true });
  const value = useApi<InventoryValue>(`/api/reports/inventory-value${valueQs}`, { live: true });
  const anchor = top.data?.anchor ?? trend.data?.anchor ?? value.data?.anchor;
  return (
    <>
      <div className="page-head">
        <h1>Reports</h1>
        <LocationPicker value={location} onChange={setLocation} testId="report-location" />
      </div>
      {anchor?.historical && (
        <p className="note" role="note">
          The sales data is historical: “this week” is the week of the latest recorded sale, <b>{fmtDay(anchor.today)}</b>.
        </p>
      )}
      <TopSellersCard data={top.data} error={top.error?.message} cur={cur} csv={`/api/reports/top-sellers${qs({ weeks, n, location, format: 'csv' })}`}>
        <NumberSelect label="Weeks" value={weeks} options={[1, 2, 4, 8, 13, 26]} onChange={setWeeks} />
        <NumberSelect label="Top" value={n} options={[3, 5, 10, 20]} onChange={setN} />
      </TopSellersCard>
      <CategoryTrendCard data={trend.data} error={trend.error?.message} cur={cur} csv={`/api/reports/category-trend${qs({ weeks: trendWeeks, location, by: trendBy, format: 'csv' })}`}>
        <label className="inline">
          By{' '}
          <select value={trendBy} onChange={(e) => setTrendBy(e.target.value as 'category' | 'store')} data-testid="trend-by">
            <option value="category">Category</option>
            <option value="store">Store</option>
          </select>
        </label>
        <NumberSelect label="Weeks" value={trendWeeks} options={[8, 12, 26, 52]} onChange={setTrendWeeks} />
      </CategoryTrendCard>
      <InventoryValueCard data={value.data} error={value.error?.message} cur={cur} csv={`/api/reports/inventory-value${qs({ days, location, format: 'csv' })}`}>
        <NumberSelect label="Days" value={days} options={[30, 90, 180, 365]} onChange={setDays} />
      </InventoryValueCard>
      <PlanningReports location={location} cur={cur} />
    </>
  );
}

export function NumberSelect({ label, value, options, onChange }: { label: string; value: number; options: number[]; onChange: (v: number) => void }) {
  return (
    <label className="inline">
      {label}{' '}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}

export function CardHead({ id, title, csv, xlsx, name, children }: { id: string; title: string; csv: string; xlsx?: string; name: string; children: ReactNode }) {
  return (
    <div className="page-head report-head">
      <h2 id={id}>{title}</h2>
      <span className="filters-inline" style={{ display: 'flex', flexWrap: 'wrap', gap: '.8rem', alignItems: 'center' }}>
        {children}
        <a className="button secondary" href={csv} download={`${name}.csv`} data-testid={`csv-${name}`}>Download CSV</a>
        {xlsx && <a className="button secondary" href={xlsx} download={`${name}.xlsx`} data-testid={`xlsx-${name}`}>XLSX</a>}
      </span>
    </div>
  );
}

function TopSellersCard({ data, error, cur, csv, children }: { data: TopSellers | null; error?: string; cur: string; csv: string; children: ReactNode }) {
  const [picked, setPicked] = useState<string | null>(null);
  const weeks = data?.weeks ?? [];
  const week = weeks.find((w) => w.weekStart === picked) ?? weeks.at(-1);
  const rows = useMemo(() => week?.top ?? [], [week]);
  const labels = useMemo(() => rows.map((r) => r.sku), [rows]);
  const series = useMemo<PlotSeries[]>(
    () => [
      { label: 'Units sold', values: rows.map((r) => r.qty), color: '#0969da', bars: true },
      { label: 'On hand now', values: rows.map((r) => r.onHand), color: '#bc4c00', points: true, scale: 'y2' },
    ],
    [rows],
  );
  return (
    <section className="card" aria-labelledby="rep-top">
      <CardHead id="rep-top" title="Best sellers" csv={csv} name="top-sellers">
        <label className="inline">
          Week{' '}
          <select value={week?.weekStart ?? ''} onChange={(e) => setPicked(e.target.value)} data-testid="top-week">
            {[...weeks].reverse().map((w) => (
              <option key={w.weekStart} value={w.weekStart}>{fmtDay(w.weekStart)}</option>
            ))}
          </select>
        </label>
        {children}
      </CardHead>
      {error && <p className="err" role="alert">{error}</p>}
      {data ? (
        rows.length ? (
          <Plot title="Units sold this week and stock on hand, per best seller" labels={labels} series={series} />
        ) : (
          <p className="muted">No sales in the week of {week ? fmtDay(week.weekStart) : '—'}.</p>
        )
      ) : (
        <div className="chart-placeholder" />
      )}
      {week && (
        <p className="muted small">
          Week of {fmtDay(week.weekStart)}: {fmtInt(week.totalQty)} units, {fmtMoney(week.totalRevenue, cur)} in all. Returns net out; items tied at the last place are all shown{week.moreTied ? ` up to twice N: ${fmtInt(week.moreTied)} more tied items are left out` : ''}.
        </p>
      )}
      <div className="table-scroll">
        <table className="data" data-testid="top-table">
          <thead>
            <tr>
              <th scope="col" className="num">#</th><th scope="col">SKU</th><th scope="col">Name</th><th scope="col">Category</th>
              <th scope="col" className="num">Units</th><th scope="col" className="num">Revenue</th><th scope="col" className="num">On hand now</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.sku} className={r.onHand <= 0 ? 'out' : undefined}>
                <td className="num">{r.rank}</td>
                <td className="sku"><Link to={`/products/${encodeURIComponent(r.sku)}`}>{r.sku}</Link></td>
                <td className="name">{r.name}</td>
                <td>{r.category}</td>
                <td className="num">{fmtInt(r.qty)}</td>
                <td className="num">{fmtMoney(r.revenue, cur)}</td>
                <td className="num">{fmtInt(r.onHand)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CategoryTrendCard({ data, error, cur, csv, children }: { data: CategoryTrend | null; error?: string; cur: string; csv: string; children: ReactNode }) {
  const [metric, setMetric] = useState<'revenue' | 'qty'>('revenue');
  const series = useMemo<PlotSeries[]>(() => {
    if (!data) return [];
    const cats = data.categories;
    const shown = cats.slice(0, cats.length > MAX_LINES + 1 ? MAX_LINES : cats.length);
    const rest = cats.slice(shown.length);
    const out: PlotSeries[] = shown.map((c, i) => ({ label: c.category || '(none)', values: c[metric], color: PALETTE[i % PALETTE.length] }));
    if (rest.length)
      out.push({ label: `Other (${rest.length})`, values: data.periods.map((_, i) => rest.reduce((s, c) => s + c[metric][i], 0)), color: PALETTE[MAX_LINES], dashed: true });
    return out;
  }, [data, metric]);
  const fmt = useCallback((v: number) => (metric === 'revenue' ? fmtMoney(v, cur) : fmtInt(v)), [metric, cur]);
  return (
    <section className="card" aria-labelledby="rep-trend">
      <CardHead id="rep-trend" title={`Sales trend by ${data?.by === 'store' ? 'store' : 'category'}`} csv={csv} name="category-trend">
        <label className="inline">
          Show{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value as 'revenue' | 'qty')}>
            <option value="revenue">Revenue</option>
            <option value="qty">Units</option>
          </select>
        </label>
        {children}
      </CardHead>
      {error && <p className="err" role="alert">{error}</p>}
      {data ? (
        series.length ? (
          <Plot title={`${metric === 'revenue' ? 'Revenue' : 'Units sold'} per week by ${data.by === 'store' ? 'store' : 'category'}`} times={data.periods} series={series} format={fmt} />
        ) : (
          <p className="muted">No sales in these weeks.</p>
        )
      ) : (
        <div className="chart-placeholder" />
      )}
      <p className="muted small">Net of returns, per week from Monday; the last week runs only to {data ? fmtDay(data.anchor.today) : '“today”'}.</p>
      <div className="table-scroll">
        <table className="data" data-testid="trend-table">
          <thead>
            <tr>
              <th scope="col">{data?.by === 'store' ? 'Store' : 'Category'}</th><th scope="col" className="num">Units</th><th scope="col" className="num">Revenue</th>
              <th scope="col" className="num">Last 4 weeks vs 4 before</th><th scope="col" className="num">Growth per week</th>
            </tr>
          </thead>
          <tbody>
            {data?.categories.map((c) => (
              <tr key={c.category}>
                <td>{c.category || '(none)'}</td>
                <td className="num">{fmtInt(c.totalQty)}</td>
                <td className="num">{fmtMoney(c.totalRevenue, cur)}</td>
                <td className="num">{pct(c.recentChange)}</td>
                <td className="num">{pct(c.growthPerPeriod)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function InventoryValueCard({ data, error, cur, csv, children }: { data: InventoryValue | null; error?: string; cur: string; csv: string; children: ReactNode }) {
  const series = useMemo(
    () =>
      data
        ? [
            { label: 'Value at cost', values: data.value, color: '#1a7f37', format: (v: number) => fmtMoney(v, cur) },
            { label: 'Units', values: data.units, color: '#6e7781', format: (v: number) => fmtInt(v) },
          ]
        : [],
    [data, cur],
  );
  // The table lists the days newest first.
  const rows = data ? data.days.map((d, i) => ({ d, units: data.units[i], value: data.value[i] })).reverse() : [];
  return (
    <section className="card" aria-labelledby="rep-value">
      <CardHead id="rep-value" title="Inventory value over time" csv={csv} name="inventory-value">
        {children}
      </CardHead>
      {error && <p className="err" role="alert">{error}</p>}
      {data ? <Chart title="Inventory value at cost and units on hand per day" days={data.days} series={series} /> : <div className="chart-placeholder" />}
      <p className="muted small">End of each day, walked back from today’s stock through the ledger at current unit costs.</p>
      <div className="table-scroll" style={{ maxHeight: '16rem' }}>
        <table className="data" data-testid="value-table">
          <thead>
            <tr><th scope="col">Day</th><th scope="col" className="num">Units</th><th scope="col" className="num">Value at cost</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.d}><td className="nowrap">{fmtDay(r.d)}</td><td className="num">{fmtInt(r.units)}</td><td className="num">{fmtMoney(r.value, cur)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function pct(x: number | null) {
  return x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
}
