import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, type DefectRate, type InspectionSettings } from '../api.ts';
import { Chart, type ChartSeries } from '../components/Chart.tsx';
import { FieldError, fieldOf, messageOf } from '../components/FieldError.tsx';
import { fmtDate, fmtMoney } from '../format.ts';
import { useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

interface Report {
  weeks: string[];
  series: { supplier: string; points: (DefectRate | null)[] }[];
  products: (DefectRate & { supplier: string; sku: string; name: string; batches: number; overridden: number; received: number; quarantined: number })[];
  threshold: number;
}
interface SupplierQuality {
  supplier: string;
  name: string;
  windowDays: number;
  window: DefectRate;
  allTime: DefectRate;
  threshold: number;
  aboveThreshold: boolean;
  openAlert: { id: number; message: string } | null;
}
interface CreditLine {
  id: number;
  supplier: string;
  sku: string;
  batchId: number;
  poId: number | null;
  qty: number;
  unitCost: number;
  amount: number;
  reason: string | null;
  createdAt: string;
}

const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#57606a'];
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

export default function SupplierQualityPage() {
  useTitle('Supplier quality');
  const [weeks, setWeeks] = useState(26);
  const report = useApi<Report>(`/api/inspection/quality?weeks=${weeks}`, { live: true });
  const suppliers = useApi<{ items: { code: string }[] }>('/api/suppliers');
  const credits = useApi<{ items: CreditLine[] }>('/api/inspection/credit-notes?limit=50', { live: true });
  const [quality, setQuality] = useState<SupplierQuality[] | null>(null);
  useEffect(() => {
    if (!suppliers.data) return;
    Promise.all(suppliers.data.items.map((s) => api<SupplierQuality>(`/api/suppliers/${encodeURIComponent(s.code)}/quality`)))
      .then(setQuality)
      .catch(() => setQuality([]));
  }, [suppliers.data, report.data]);

  const r = report.data;
  const series = useMemo<ChartSeries[]>(() => {
    if (!r) return [];
    return [
      ...r.series.map((s, i) => ({ label: s.supplier, color: COLORS[i % COLORS.length], values: s.points.map((p) => (p?.rate == null ? null : +(p.rate * 100).toFixed(2))), points: true, format: (v: number) => `${v} %` })),
      { label: 'Alert threshold', color: '#9a6700', dash: [6, 4], values: r.weeks.map(() => +(r.threshold * 100).toFixed(2)), format: (v: number) => `${v} %` },
    ];
  }, [r]);

  return (
    <>
      <div className="page-head">
        <h1>Supplier quality</h1>
        <div className="toggle" role="group" aria-label="Period">
          {[13, 26, 52].map((w) => (
            <button key={w} type="button" aria-pressed={weeks === w} onClick={() => setWeeks(w)}>{w} weeks</button>
          ))}
        </div>
      </div>
      <section className="card" aria-labelledby="q-chart">
        <h2 id="q-chart">Defect rate at receiving inspection, by week</h2>
        {r && r.series.length === 0 && <p className="muted">No inspections in this period yet: inspect a receipt on the Receiving page.</p>}
        {r && r.series.length > 0 && <Chart days={r.weeks} series={series} sameScale title="Weekly defect rate per supplier (% of inspected units defective, final calls)" />}
        <p className="muted note">Share of inspected units whose final (human) call was defective; weeks without inspections are gaps.</p>
      </section>
      <section className="card table-card" aria-labelledby="q-sup">
        <h2 id="q-sup" className="insp-pad">Suppliers</h2>
        <div className="table-scroll short">
          <table className="data">
            <thead><tr><th>Supplier</th><th className="num">Inspected (window)</th><th className="num">Defect rate</th><th>95 % interval</th><th className="num">All time</th><th>Status</th></tr></thead>
            <tbody>
              {(quality ?? []).map((q) => (
                <tr key={q.supplier} data-supplier={q.supplier}>
                  <td><strong>{q.supplier}</strong> <span className="muted">{q.name}</span></td>
                  <td className="num">{q.window.inspected} <span className="muted">/ {q.windowDays} d</span></td>
                  <td className="num">{pct(q.window.rate)}</td>
                  <td>{q.window.rate === null ? '—' : `${pct(q.window.low)} – ${pct(q.window.high)}`}</td>
                  <td className="num">{pct(q.allTime.rate)} <span className="muted">of {q.allTime.inspected}</span></td>
                  <td>{q.aboveThreshold ? <span className="tag warning" title={q.openAlert?.message}>above {pct(q.threshold)}</span> : <span className="muted">ok</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card table-card" aria-labelledby="q-prod">
        <h2 id="q-prod" className="insp-pad">By supplier and product ({weeks} weeks)</h2>
        <div className="table-scroll short">
          <table className="data">
            <thead><tr><th>Supplier</th><th>SKU</th><th className="num">Batches</th><th className="num">Inspected</th><th className="num">Defective</th><th className="num">Rate</th><th className="num">Model overridden</th><th className="num">Quarantined / received</th></tr></thead>
            <tbody>
              {(r?.products ?? []).map((p) => (
                <tr key={`${p.supplier}:${p.sku}`}>
                  <td>{p.supplier}</td><td>{p.sku} <span className="muted">{p.name}</span></td><td className="num">{p.batches}</td><td className="num">{p.inspected}</td>
                  <td className="num">{p.defective}</td><td className="num">{pct(p.rate)}</td><td className="num">{p.overridden}</td><td className="num">{p.quarantined} / {p.received}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card table-card" aria-labelledby="q-credit">
        <h2 id="q-credit" className="insp-pad">Credit-note lines (returns to suppliers)</h2>
        {credits.data?.items.length === 0 && <p className="muted insp-pad">No returns yet.</p>}
        <div className="table-scroll short">
          <table className="data">
            <thead><tr><th>Date</th><th>Supplier</th><th>SKU</th><th>Batch</th><th>PO</th><th className="num">Qty</th><th className="num">Unit cost</th><th className="num">Amount</th><th>Reason</th></tr></thead>
            <tbody>
              {(credits.data?.items ?? []).map((c) => (
                <tr key={c.id}><td>{fmtDate(c.createdAt)}</td><td>{c.supplier}</td><td>{c.sku}</td><td>#{c.batchId}</td><td>{c.poId ?? '—'}</td><td className="num">{c.qty}</td><td className="num">{fmtMoney(c.unitCost)}</td><td className="num">{fmtMoney(c.amount)}</td><td>{c.reason}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <SettingsCard />
    </>
  );
}

function SettingsCard() {
  const { can } = useSession();
  const admin = can('admin');
  const settings = useApi<InspectionSettings>('/api/inspection/settings');
  const [f, setF] = useState<InspectionSettings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => {
    if (settings.data) setF(settings.data);
  }, [settings.data]);
  if (!f) return null;
  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setMsg('');
    try {
      setF(await api<InspectionSettings>('/api/inspection/settings', { method: 'PUT', body: f }));
      setMsg('Saved.');
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  }
  const num = (k: 'alertWindowDays' | 'alertMinInspected' | 'photoRetentionDays') => ({ type: 'number', value: f[k], disabled: !admin, 'aria-invalid': fieldOf(error) === k || undefined, onChange: (e: { target: { value: string } }) => setF({ ...f, [k]: Number(e.target.value) }) });
  const sample = f.sampling.mode === 'sample' ? f.sampling : null;
  return (
    <section className="card narrow" aria-labelledby="q-settings">
      <h2 id="q-settings">Inspection settings</h2>
      {!admin && <p className="muted">Only administrators can change these.</p>}
      <form className="stack" onSubmit={save} noValidate>
        <fieldset className="insp-plan">
          <legend>Default sampling plan</legend>
          <label><input type="radio" name="s-plan" disabled={!admin} checked={!sample} onChange={() => setF({ ...f, sampling: { mode: 'all' } })} /> Inspect every unit</label>
          <label><input type="radio" name="s-plan" disabled={!admin} checked={!!sample} onChange={() => setF({ ...f, sampling: { mode: 'sample', n: 5, acceptMax: 0 } })} /> Sample
            <input className="insp-small" type="number" min="1" aria-label="Default sample size" disabled={!admin || !sample} value={sample?.n ?? 5} onChange={(e) => setF({ ...f, sampling: { mode: 'sample', n: Number(e.target.value), acceptMax: sample?.acceptMax ?? 0 } })} /> per receipt, reject the lot above
            <input className="insp-small" type="number" min="0" aria-label="Default acceptance number" disabled={!admin || !sample} value={sample?.acceptMax ?? 0} onChange={(e) => setF({ ...f, sampling: { mode: 'sample', n: sample?.n ?? 5, acceptMax: Number(e.target.value) } })} /> defective
          </label>
        </fieldset>
        <label>Alert when a supplier's defect rate is above (%)
          <input type="number" min="0" max="100" step="0.5" disabled={!admin} value={+(f.alertThreshold * 100).toFixed(2)} aria-invalid={fieldOf(error) === 'alertThreshold' || undefined} onChange={(e) => setF({ ...f, alertThreshold: Number(e.target.value) / 100 })} />
          <FieldError id="q-alertThreshold" name="alertThreshold" error={error} />
        </label>
        <label>…over the last (days)<input {...num('alertWindowDays')} /><FieldError id="q-alertWindowDays" name="alertWindowDays" error={error} /></label>
        <label>…once at least this many units were inspected<input {...num('alertMinInspected')} /><FieldError id="q-alertMinInspected" name="alertMinInspected" error={error} /></label>
        <label className="insp-check"><input type="checkbox" disabled={!admin} checked={f.keepPhotos} onChange={(e) => setF({ ...f, keepPhotos: e.target.checked })} /> Keep inspection photos as evidence for supplier claims (off: photos are classified in memory and never stored)</label>
        <label>Delete kept photos after (days)<input {...num('photoRetentionDays')} /><FieldError id="q-photoRetentionDays" name="photoRetentionDays" error={error} /></label>
        <label>Quarantine location (empty: the first location of kind quarantine)
          <input value={f.quarantineLocation ?? ''} disabled={!admin} onChange={(e) => setF({ ...f, quarantineLocation: e.target.value.trim() || null })} />
        </label>
        {error && !['alertThreshold', 'alertWindowDays', 'alertMinInspected', 'photoRetentionDays'].includes(fieldOf(error) ?? '') && <p className="err" role="alert">{messageOf(error)}</p>}
        <p className="ok" role="status">{msg}</p>
        {admin && <button type="submit">Save</button>}
      </form>
    </section>
  );
}
