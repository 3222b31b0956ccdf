import { useMemo, useState } from 'react';
import { api, qs } from '../api.ts';
import { fmtDate, fmtInt } from '../format.ts';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';
import { Chart } from './Chart.tsx';

interface ForecastChart {
  history: { date: string; qty: number; outOfStock: boolean }[];
  forecast: null | {
    model: string;
    reason: string;
    demandClass: string;
    generatedAt: string;
    outOfStockPeriods: number;
    backtest: { rmsse?: number; coverage?: Record<string, number> } | null;
    periods: { date: string; mean: number; p50: number; p80: number; p95: number }[];
  };
}

/** History, then the forecast's P50 with its P80/P95 band; the model, why it was chosen and its back-test error. */
export function ForecastPanel({ sku, locations }: { sku: string; locations: string[] }) {
  const [location, setLocation] = useState<string | null>(null);
  const [freq, setFreq] = useState<'D' | 'W'>('D');
  const loc = location ?? locations[0] ?? null;
  const chart = useApi<ForecastChart>(loc ? `/api/forecasts/chart${qs({ sku, location: loc, freq })}` : null, { live: true });
  const { can } = useSession();
  const [running, setRunning] = useState<string | null>(null);
  async function runNow() {
    try {
      const r = await api<{ id: number }>('/api/forecasts/runs', { method: 'POST', body: { freq } });
      for (;;) {
        const s = await api<{ status: string; progress?: { done: number; total: number } }>(`/api/forecasts/runs/${r.id}`);
        setRunning(s.status === 'running' ? `running: ${fmtInt(s.progress?.done ?? 0)} / ${fmtInt(s.progress?.total ?? 0)} series` : s.status);
        if (s.status !== 'running') break;
        await new Promise((res) => setTimeout(res, 1000));
      }
      chart.reload();
    } catch (e) {
      setRunning((e as Error).message);
    }
  }
  const data = chart.data;
  const { days, series } = useMemo(() => {
    if (!data) return { days: [] as string[], series: [] };
    const h = data.history;
    const f = data.forecast?.periods ?? [];
    const days = [...h.map((x) => x.date), ...f.map((x) => x.date)];
    const pad = (n: number) => Array<null>(n).fill(null);
    return {
      days,
      series: [
        { label: 'Demand', values: [...h.map((x) => (x.outOfStock ? null : x.qty)), ...pad(f.length)], color: '#0969da', bars: true },
        { label: 'Forecast P50', values: [...pad(h.length), ...f.map((x) => x.p50)], color: '#1a7f37' },
        { label: 'P80', values: [...pad(h.length), ...f.map((x) => x.p80)], color: '#9a6700', dash: [4, 4] },
        { label: 'P95', values: [...pad(h.length), ...f.map((x) => x.p95)], color: '#cf222e', dash: [2, 4] },
      ],
    };
  }, [data]);
  const fc = data?.forecast;
  return (
    <section className="card" aria-labelledby="forecast">
      <div className="row">
        <h2 id="forecast">Demand forecast</h2>
        <span style={{ flex: 1 }} />
        {locations.length > 1 && (
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
            Location
            <select value={loc ?? ''} onChange={(e) => setLocation(e.target.value)}>
              {locations.map((l) => <option key={l}>{l}</option>)}
            </select>
          </label>
        )}
        <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6, marginRight: 8 }}>
          Per
          <select value={freq} onChange={(e) => setFreq(e.target.value as 'D' | 'W')}>
            <option value="D">day</option>
            <option value="W">week</option>
          </select>
        </label>
        {can('manager') && <button type="button" onClick={runNow} disabled={!!running && running.startsWith('running')}>Run forecast now</button>}
      </div>
      {running && <p className="muted small" role="status">Forecast run {running}</p>}
      {!loc && <p className="muted">No stock location for this product yet.</p>}
      {loc && data && days.length > 0 && <Chart title="Demand history and forecast" days={days} series={series} sameScale />}
      {fc ? (
        <p className="small">
          <strong>{fc.model}</strong> ({fc.demandClass} demand): {fc.reason}
                    {fc.outOfStockPeriods > 0 && <> {fmtInt(fc.outOfStockPeriods)} out-of-stock periods were not taken as zero demand.</>}
          <span className="muted"> Made {fmtDate(fc.generatedAt)}.</span>
        </p>
      ) : (
        loc && data && <p className="muted">No forecast yet for {loc}: forecasts are made nightly{can('manager') ? ', or run one now' : ''}.</p>
      )}
    </section>
  );
}
