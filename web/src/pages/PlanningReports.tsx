import { useMemo, useState } from 'react';
import { qs } from '../api.ts';
import { Plot, type PlotSeries } from '../components/ReportPlot.tsx';
import { fmtDay, fmtInt, fmtMoney } from '../format.ts';
import { Link } from '../router.tsx';
import { useApi } from '../useApi.ts';
import { CardHead, NumberSelect } from './ReportsPage.tsx';

/** The planning reports on the Reports page: forecast vs actual, replenishment vs forecast, stockouts (issue 6). */

interface Fva {
  from: string;
  to: string;
  runs: { id: number; asOf: string | null; series: number }[];
  weeks: { weekStart: string; days: number; actual: number; forecast: number; p50: number; p80: number; absError: number }[];
  totals: { items: number; days: number; actual: number; forecast: number; mae: number | null; bias: number | null; wmape: number | null; coverage80: number | null };
  items: { sku: string; name: string; location: string; days: number; actual: number; forecast: number; mae: number; bias: number; wmape: number | null; coverage80: number }[];
  itemCount: number;
}
interface Rvf {
  runId: number | null;
  totals: { items: number; withForecast: number; belowReorderPoint: number };
  items: { sku: string; name: string; location: string; kind: string; leadTimeDays: number; dailyDemand: number; leadTimeDemand: number; reorderPoint: number; ropMargin: number; eoq: number | null; orderUpTo: number; onHand: number; daysOfCover: number | null; belowReorderPoint: boolean }[];
  itemCount: number;
}
interface Stockouts {
  from: string;
  to: string;
  weeks: { weekStart: string; stockoutDays: number; items: number; lostUnits: number; lostValue: number }[];
  totals: { items: number; stockoutDays: number; lostUnits: number; lostValue: number };
  items: { sku: string; name: string; location: string; price: number; onHand: number; stockoutDays: number; dailyDemand: number; lostUnits: number; lostValue: number; outAtEnd: boolean }[];
  itemCount: number;
}

const dec = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
/** A share as "80.4 %" (no sign, unlike the page's change figures). */
const share = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

export function PlanningReports({ location, cur }: { location: string; cur: string }) {
  const [weeks, setWeeks] = useState(8);
  const [soWeeks, setSoWeeks] = useState(8);
  const [limit, setLimit] = useState(20);
  const fva = useApi<Fva>(`/api/reports/forecast-vs-actual${qs({ location, ...windowOf(weeks) })}`, { live: true });
  const rvf = useApi<Rvf>(`/api/reports/replenishment-vs-forecast${qs({ location, limit })}`, { live: true });
  const so = useApi<Stockouts>(`/api/reports/stockouts${qs({ location, ...windowOf(soWeeks) })}`, { live: true });
  const file = (path: string, extra: Record<string, string | number | undefined>, format: string) => `/api/reports/${path}${qs({ location, ...extra, limit: 100_000, format })}`;
  return (
    <>
      <FvaCard data={fva.data} error={fva.error?.message} csv={file('forecast-vs-actual', windowOf(weeks), 'csv')} xlsx={file('forecast-vs-actual', windowOf(weeks), 'xlsx')}>
        <NumberSelect label="Weeks" value={weeks} options={[4, 8, 13, 26, 52]} onChange={setWeeks} />
      </FvaCard>
      <RvfCard data={rvf.data} error={rvf.error?.message} csv={file('replenishment-vs-forecast', {}, 'csv')} xlsx={file('replenishment-vs-forecast', {}, 'xlsx')}>
        <NumberSelect label="Items" value={limit} options={[10, 20, 50, 100]} onChange={setLimit} />
      </RvfCard>
      <StockoutsCard data={so.data} error={so.error?.message} cur={cur} csv={file('stockouts', windowOf(soWeeks), 'csv')} xlsx={file('stockouts', windowOf(soWeeks), 'xlsx')}>
        <NumberSelect label="Weeks" value={soWeeks} options={[4, 8, 13, 26, 52]} onChange={setSoWeeks} />
      </StockoutsCard>
    </>
  );
}

/** "The last N ISO weeks": the API counts back from its own "today". */
function windowOf(weeks: number): Record<string, string | number | undefined> {
  return { weeks };
}

function FvaCard({ data, error, csv, xlsx, children }: { data: Fva | null; error?: string; csv: string; xlsx: string; children: React.ReactNode }) {
  const times = useMemo(() => data?.weeks.map((w) => w.weekStart) ?? [], [data]);
  const series = useMemo<PlotSeries[]>(
    () =>
      data
        ? [
            { label: 'Actual', values: data.weeks.map((w) => w.actual), color: '#1d2433' },
            { label: 'Forecast P50', values: data.weeks.map((w) => w.p50), color: '#0969da' },
            { label: 'Σ item P80', values: data.weeks.map((w) => w.p80), color: '#0969da', dashed: true },
            { label: 'Forecast mean', values: data.weeks.map((w) => w.forecast), color: '#8250df', dashed: true },
          ]
        : [],
    [data],
  );
  const band = useMemo(() => ({ lower: 1, upper: 2, fill: '#0969da22' }), []);
  const t = data?.totals;
  return (
    <section className="card" aria-labelledby="rep-fva">
      <CardHead id="rep-fva" title="Forecast vs actual" csv={csv} xlsx={xlsx} name="forecast-vs-actual">
        {children}
      </CardHead>
      {error && <p className="err" role="alert">{error}</p>}
      {data ? (
        data.items.length ? (
          <Plot title="Units sold per week vs the forecast made before each day (P50 to Σ P80 shaded)" times={times} series={series} band={band} />
        ) : (
          <p className="muted" data-testid="fva-empty">No stored forecast covers {fmtDay(data.from)} – {fmtDay(data.to)}: forecasts are kept per week for a year, so this fills as runs age.</p>
        )
      ) : (
        <div className="chart-placeholder" />
      )}
      {data && t && (
        <p className="muted small" data-testid="fva-summary">
          {fmtDay(data.from)} – {fmtDay(data.to)}: {fmtInt(t.items)} items over {fmtInt(t.days)} item-days from {data.runs.length} forecast run{data.runs.length === 1 ? '' : 's'}
          {data.runs.length ? ` (as of ${data.runs.map((r) => r.asOf).filter(Boolean).join(', ')})` : ''}. Sold {fmtInt(t.actual)}, forecast {fmtInt(Math.round(t.forecast))};
          wMAPE {share(t.wmape)}, bias {dec(t.bias)} units/day, P80 covered {share(t.coverage80)} of days (80 % is calibrated). Each day is scored against the forecast made last before it.
        </p>
      )}
      <div className="table-scroll">
        <table className="data" data-testid="fva-table">
          <thead>
            <tr>
              <th scope="col">SKU</th><th scope="col">Name</th><th scope="col">Location</th><th scope="col" className="num">Days</th>
              <th scope="col" className="num">Sold</th><th scope="col" className="num">Forecast</th><th scope="col" className="num">MAE</th>
              <th scope="col" className="num">Bias/day</th><th scope="col" className="num">wMAPE</th><th scope="col" className="num">≤ P80</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.slice(0, 20).map((r) => (
              <tr key={`${r.sku}@${r.location}`}>
                <td className="sku"><Link to={`/products/${encodeURIComponent(r.sku)}`}>{r.sku}</Link></td>
                <td className="name">{r.name}</td>
                <td>{r.location}</td>
                <td className="num">{fmtInt(r.days)}</td>
                <td className="num">{fmtInt(r.actual)}</td>
                <td className="num">{fmtInt(Math.round(r.forecast))}</td>
                <td className="num">{dec(r.mae)}</td>
                <td className="num">{dec(r.bias)}</td>
                <td className="num">{share(r.wmape)}</td>
                <td className="num">{share(r.coverage80)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RvfCard({ data, error, csv, xlsx, children }: { data: Rvf | null; error?: string; csv: string; xlsx: string; children: React.ReactNode }) {
  const top = useMemo(() => data?.items.slice(0, 15) ?? [], [data]);
  const labels = useMemo(() => top.map((r) => r.sku), [top]);
  const series = useMemo<PlotSeries[]>(
    () => [
      { label: 'Lead-time demand', values: top.map((r) => r.leadTimeDemand), color: '#0969da', bars: true },
      { label: 'Reorder point', values: top.map((r) => r.reorderPoint), color: '#bc4c00', points: true },
      { label: 'On hand', values: top.map((r) => r.onHand), color: '#1a7f37', points: true },
    ],
    [top],
  );
  return (
    <section className="card" aria-labelledby="rep-rvf">
      <CardHead id="rep-rvf" title="Reorder point and EOQ vs forecast demand" csv={csv} xlsx={xlsx} name="replenishment-vs-forecast">
        {children}
      </CardHead>
      {error && <p className="err" role="alert">{error}</p>}
      {data ? (
        top.length ? (
          <Plot title="Forecast lead-time demand, reorder point and stock on hand for the items with the highest forecast demand" labels={labels} series={series} />
        ) : (
          <p className="muted">No replenishment plan yet: run replenishment (Replenishment page or `shelfwise replenish run`).</p>
        )
      ) : (
        <div className="chart-placeholder" />
      )}
      {data && (
        <p className="muted small">
          {fmtInt(data.totals.items)} planned items ({fmtInt(data.totals.withForecast)} with a forecast), {fmtInt(data.totals.belowReorderPoint)} at or below their reorder point; plans of replenishment run {data.runId ?? '—'}. Lead-time demand = the forecast’s daily means summed over the supplier’s lead time; the reorder point’s margin above it is the safety stock.
        </p>
      )}
      <div className="table-scroll">
        <table className="data" data-testid="rvf-table">
          <thead>
            <tr>
              <th scope="col">SKU</th><th scope="col">Name</th><th scope="col">Location</th><th scope="col" className="num">Per day</th>
              <th scope="col" className="num">Lead time</th><th scope="col" className="num">Lead-time demand</th><th scope="col" className="num">ROP</th>
              <th scope="col" className="num">EOQ</th><th scope="col" className="num">Order-up-to</th><th scope="col" className="num">On hand</th><th scope="col" className="num">Days of cover</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((r) => (
              <tr key={`${r.sku}@${r.location}`} className={r.belowReorderPoint ? 'out' : undefined}>
                <td className="sku"><Link to={`/products/${encodeURIComponent(r.sku)}`}>{r.sku}</Link></td>
                <td className="name">{r.name}</td>
                <td>{r.location}</td>
                <td className="num">{dec(r.dailyDemand)}</td>
                <td className="num">{dec(r.leadTimeDays, 1)} d</td>
                <td className="num">{dec(r.leadTimeDemand, 1)}</td>
                <td className="num">{fmtInt(r.reorderPoint)}</td>
                <td className="num">{r.eoq === null ? '—' : fmtInt(Math.round(r.eoq))}</td>
                <td className="num">{fmtInt(r.orderUpTo)}</td>
                <td className="num">{fmtInt(r.onHand)}</td>
                <td className="num">{dec(r.daysOfCover, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function StockoutsCard({ data, error, cur, csv, xlsx, children }: { data: Stockouts | null; error?: string; cur: string; csv: string; xlsx: string; children: React.ReactNode }) {
  const times = useMemo(() => data?.weeks.map((w) => w.weekStart) ?? [], [data]);
  const series = useMemo<PlotSeries[]>(
    () =>
      data
        ? [
            { label: 'Lost sales', values: data.weeks.map((w) => w.lostValue), color: '#cf222e', bars: true },
            { label: 'Stockout item-days', values: data.weeks.map((w) => w.stockoutDays), color: '#6e7781', scale: 'y2' },
          ]
        : [],
    [data],
  );
  const fmt = useMemo(() => (v: number) => fmtMoney(v, cur), [cur]);
  return (
    <section className="card" aria-labelledby="rep-so">
      <CardHead id="rep-so" title="Stockouts and lost sales" csv={csv} xlsx={xlsx} name="stockouts">
        {children}
      </CardHead>
      {error && <p className="err" role="alert">{error}</p>}
      {data ? <Plot title="Estimated lost sales and stockout item-days per week" times={times} series={series} format={fmt} /> : <div className="chart-placeholder" />}
      {data && (
        <p className="muted small" data-testid="so-summary">
          {fmtDay(data.from)} – {fmtDay(data.to)}: {fmtInt(data.totals.items)} items out of stock on {fmtInt(data.totals.stockoutDays)} item-days; about {fmtInt(Math.round(data.totals.lostUnits))} units and {fmtMoney(data.totals.lostValue, cur)} of sales lost. A day counts when nothing sold and the item had no stock all day, while it normally sells (a sale in the 28 days before it ran out); lost units = its sales per in-stock day over those 28 days.
        </p>
      )}
      <div className="table-scroll">
        <table className="data" data-testid="so-table">
          <thead>
            <tr>
              <th scope="col">SKU</th><th scope="col">Name</th><th scope="col">Location</th><th scope="col" className="num">Days out</th>
              <th scope="col" className="num">Per day</th><th scope="col" className="num">Lost units</th><th scope="col" className="num">Lost sales</th><th scope="col" className="num">On hand now</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.slice(0, 20).map((r) => (
              <tr key={`${r.sku}@${r.location}`} className={r.outAtEnd ? 'out' : undefined}>
                <td className="sku"><Link to={`/products/${encodeURIComponent(r.sku)}`}>{r.sku}</Link></td>
                <td className="name">{r.name}</td>
                <td>{r.location}</td>
                <td className="num">{fmtInt(r.stockoutDays)}</td>
                <td className="num">{dec(r.dailyDemand)}</td>
                <td className="num">{fmtInt(Math.round(r.lostUnits))}</td>
                <td className="num">{fmtMoney(r.lostValue, cur)}</td>
                <td className="num">{fmtInt(r.onHand)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
