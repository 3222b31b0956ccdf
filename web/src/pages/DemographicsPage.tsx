import { useMemo, useState } from 'react';
import { api, ApiError, qs, type DemographicCell, type DemographicsReport, type VisionSettings } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { fmtInt } from '../format.ts';
import { useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

const AGE = ['child', 'teen', '20-29', '30-44', '45-59', '60+'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const F = '#c2417a';
const M = '#2f6fdb';
const DAY = 86_400_000;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x >= 0 ? '' : '−'}${Math.abs(Math.round(x * 1000) / 10)} %`);
const secs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);
const cellOf = (cells: DemographicCell[], a: string, g: string) => cells.find((c) => c.ageGroup === a && c.gender === g);
const show = (c: DemographicCell | undefined) => (!c ? '—' : c.suppressed ? '<k' : fmtInt(c.count));

/** Anonymous visitor analytics from the kiosk and doorway cameras (vision_events; never an image). */
export default function DemographicsPage() {
  useTitle('Demographics');
  const { can } = useSession();
  const [days, setDays] = useState(28);
  const [location, setLocation] = useState('');
  const to = useMemo(() => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000), []);
  const path = `/api/vision/demographics${qs({ from: new Date(to.getTime() - days * DAY).toISOString(), to: to.toISOString(), location, tz: -new Date().getTimezoneOffset() })}`;
  // Live: a visitor recorded by a kiosk or camera shows here within about a second.
  const { data, error, loading } = useApi<DemographicsReport>(path, { live: true });
  const locs = useApi<{ code: string; name: string; kind: string }[] | { items: { code: string; name: string; kind: string }[] }>('/api/locations');
  const stores = (Array.isArray(locs.data) ? locs.data : locs.data?.items ?? []).filter((l) => l.kind === 'store');
  const byDay = useMemo(() => {
    if (!data) return null;
    const ds = data.byDay.map((d) => d.day);
    return { days: ds, series: [{ label: 'Visitors', values: data.byDay.map((d) => d.total), color: '#0969da', bars: true }] };
  }, [data]);
  const maxHour = data ? Math.max(1, ...data.byHour.map((h) => h.female + h.male)) : 1;
  const maxHeat = data ? Math.max(1, ...data.byWeekdayHour.flat()) : 1;
  const maxDwell = data ? Math.max(1, ...data.dwell.buckets.map((b) => b.count)) : 1;

  return (
    <div className="demo-page">
      <div className="card">
        <h1>Demographics</h1>
        <p className="muted small">
          Anonymous visitors seen by the kiosk and doorway cameras: time, store/zone, age group, gender, how long they stayed. No images are kept.
          Cells under {data?.minCount ?? 5} visitors are hidden (&lt;k) so no one can be singled out.
        </p>
        <div className="row">
          <label>
            Period{' '}
            <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Period">
              <option value={7}>Last 7 days</option>
              <option value={28}>Last 28 days</option>
              <option value={90}>Last 90 days</option>
            </select>
          </label>
          <label>
            Store{' '}
            <select value={location} onChange={(e) => setLocation(e.target.value)} aria-label="Store">
              <option value="">All stores</option>
              {stores.map((l) => (
                <option key={l.code} value={l.code}>{l.code} · {l.name}</option>
              ))}
            </select>
          </label>
          {loading && <span className="muted">Loading…</span>}
        </div>
        {error && <p className="err">{error.message}</p>}
      </div>
      {data && (
        <>
          <div className="kpis">
            <div className="kpi" data-kpi="Visitors"><div className="kpi-label">Visitors</div><div className="kpi-value">{fmtInt(data.visitors)}</div></div>
            <div className="kpi" data-kpi="Change"><div className="kpi-label">vs previous {days} days ({fmtInt(data.previous.visitors)})</div><div className="kpi-value">{pct(data.change)}</div></div>
            <div className="kpi" data-kpi="Dwell"><div className="kpi-label">Median dwell time</div><div className="kpi-value">{secs(data.dwell.medianMs)}</div></div>
            <div className="kpi" data-kpi="Attach"><div className="kpi-label">Recommended item sold within the hour</div><div className="kpi-value">{pct(data.attach.rate)}</div></div>
          </div>
          <div className="card">
            <h2>Visitors by day</h2>
            {byDay && byDay.series[0].values.filter((v) => v !== null).length >= 2 ? (
              <Chart days={byDay.days} series={byDay.series} title="Visitors per day" />
            ) : (
              <p className="muted">Too few days with at least {data.minCount} visitors to chart (days under that are hidden).</p>
            )}
          </div>
          <div className="demo-grid">
            <div className="card">
              <h2>Age group × gender</h2>
              <table className="data">
                <thead><tr><th>Age group</th><th>Women</th><th>Men</th><th className="muted">prev. women</th><th className="muted">prev. men</th></tr></thead>
                <tbody>
                  {AGE.map((a) => (
                    <tr key={a} data-age={a}>
                      <td>{a}</td>
                      <td>{show(cellOf(data.cells, a, 'female'))}</td>
                      <td>{show(cellOf(data.cells, a, 'male'))}</td>
                      <td className="muted">{show(cellOf(data.previous.cells, a, 'female'))}</td>
                      <td className="muted">{show(cellOf(data.previous.cells, a, 'male'))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="card">
              <h2>By hour of day</h2>
              <div className="demo-bars" role="img" aria-label="Visitors by hour of day, women and men">
                {data.byHour.filter((h) => h.female + h.male > 0).map((h) => (
                  <div className="demo-bar" key={h.hour}>
                    <span className="small">{String(h.hour).padStart(2, '0')}:00</span>
                    <span style={{ display: 'flex' }}>
                      <span className="demo-fill" style={{ width: `${(h.female / maxHour) * 100}%`, background: F }} title={`women ${h.female}`} />
                      <span className="demo-fill" style={{ width: `${(h.male / maxHour) * 100}%`, background: M }} title={`men ${h.male}`} />
                    </span>
                    <span className="small">{h.female + h.male}</span>
                  </div>
                ))}
              </div>
              <p className="small muted"><span style={{ color: F }}>■</span> women <span style={{ color: M }}>■</span> men</p>
            </div>
          </div>
          <div className="card">
            <h2>Weekday × hour</h2>
            <div style={{ overflowX: "auto" }}>
              <table className="demo-heat" aria-label="Visitors by weekday and hour">
                <thead><tr><th />{Array.from({ length: 24 }, (_, h) => <th key={h}>{h}</th>)}</tr></thead>
                <tbody>
                  {data.byWeekdayHour.map((row, d) => (
                    <tr key={d}>
                      <th>{WEEKDAYS[d]}</th>
                      {row.map((n, h) => (
                        <td key={h} style={{ background: n ? `rgba(9,105,218,${0.12 + (0.88 * n) / maxHeat})` : '#f3f5f9', color: n / maxHeat > 0.5 ? '#fff' : undefined }}>{n || ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div className="demo-grid">
            <div className="card">
              <h2>Dwell time</h2>
              <div className="demo-bars">
                {data.dwell.buckets.map((b) => (
                  <div className="demo-bar" key={b.label}>
                    <span className="small">{b.label}</span>
                    <span className="demo-fill" style={{ width: `${(b.count / maxDwell) * 100}%`, background: '#1a7f37' }} />
                    <span className="small">{fmtInt(b.count)}</span>
                  </div>
                ))}
              </div>
            </div>
            <div className="card">
              <h2>Stores and zones</h2>
              <table className="data">
                <thead><tr><th>Store</th><th>Zone</th><th>Visitors</th><th>Median dwell</th></tr></thead>
                <tbody>
                  {data.byPlace.map((p) => (
                    <tr key={`${p.location}|${p.zone}`}><td>{p.location}</td><td>{p.zone ?? '—'}</td><td>{fmtInt(p.visitors)}</td><td>{secs(p.medianDwellMs)}</td></tr>
                  ))}
                  {data.byPlace.length === 0 && <tr><td colSpan={4} className="muted">No visitors in this period.</td></tr>}
                </tbody>
              </table>
            </div>
            <div className="card">
              <h2>Recommended, then sold</h2>
              <p className="small muted">{fmtInt(data.attach.converted)} of {fmtInt(data.attach.shown)} shoppers shown suggestions had one of them sold at that store within the hour.</p>
              <table className="data">
                <thead><tr><th>Item</th><th>Units</th></tr></thead>
                <tbody>
                  {data.attach.items.map((i) => <tr key={i.sku}><td>{i.name} <span className="muted small">{i.sku}</span></td><td>{fmtInt(i.sold)}</td></tr>)}
                  {data.attach.items.length === 0 && <tr><td colSpan={2} className="muted">None yet.</td></tr>}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
      <CameraSettings canEdit={can('admin')} stores={stores.map((s) => s.code)} />
    </div>
  );
}

function CameraSettings({ canEdit, stores }: { canEdit: boolean; stores: string[] }) {
  const { data, reload } = useApi<VisionSettings>('/api/vision/settings');
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  if (!data) return null;
  const save = async (patch: Partial<VisionSettings>) => {
    setMsg('');
    setErr('');
    try {
      await api('/api/vision/settings', { method: 'PUT', body: patch });
      setMsg('Saved.');
      reload();
    } catch (e) {
      setErr(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <div className="card">
      <h2>Camera settings</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ retentionDays: Number(new FormData(e.currentTarget).get('retention')) });
        }}
      >
        <label>
          Keep anonymous events for{' '}
          <input name="retention" type="number" min={1} max={3650} defaultValue={data.retentionDays} disabled={!canEdit} style={{ width: '6rem' }} aria-label="Retention in days" /> days
        </label>
        {canEdit && <button type="submit">Save</button>}
      </form>
      <p className="small muted">Older events are deleted automatically.</p>
      <ul className="demo-list">
        {stores.map((code) => {
          const off = data.disabledLocations.includes(code);
          return (
            <li key={code}>
              <label>
                <input
                  type="checkbox"
                  checked={!off}
                  disabled={!canEdit}
                  onChange={() => void save({ disabledLocations: off ? data.disabledLocations.filter((c) => c !== code) : [...data.disabledLocations, code] })}
                />{' '}
                Camera features on at {code}
              </label>
            </li>
          );
        })}
      </ul>
      <p className="ok">{msg}</p>
      <p className="err">{err}</p>
    </div>
  );
}
