import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, type PlacementLayout, type PlacementPlan, type PlacementZone } from '../api.ts';
import { fmtInt, fmtMoney } from '../format.ts';
import { useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

const KIND_COLOUR: Record<string, string> = {
  entrance: '#ffe1b3', window: '#ffd0d6', table: '#d9ecff', aisle_end: '#e3dcff', wall: '#dff3e3', fitting_route: '#fff3bf', back: '#e6e8ec', floor: '#f1f3f5',
};
const KINDS = Object.keys(KIND_COLOUR);

/** Store placement: layout editor (grid + list, JSON import/export), optimiser with what-if, before/after, move list, apply, lift learning. */
export default function PlacementPage() {
  useTitle('Placement');
  const { can } = useSession();
  const locations = useApi<{ items: { code: string; name: string; zones: unknown[] }[] }>('/api/locations');
  // the optimiser needs zones; a store without any can get them by importing a layout (CLI/API)
  const locList = useMemo(() => (locations.data?.items ?? []).filter((l) => l.zones.length > 0), [locations.data]);
  const [location, setLocation] = useState<string | null>(null);
  useEffect(() => {
    if (!location && locList.length) setLocation((locList.find((l) => l.code === 'FASH1') ?? locList[0]).code);
  }, [locList, location]);
  const layout = useApi<PlacementLayout>(location ? `/api/placement/layout?location=${encodeURIComponent(location)}` : null);
  const [plan, setPlan] = useState<PlacementPlan | null>(null);
  const [view, setView] = useState<'before' | 'after'>('after');
  const [busy, setBusy] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok?: string; err?: string }>({});
  const [pins, setPins] = useState<Record<string, string>>({});
  const [lifts, setLifts] = useState<Record<string, number>>({});
  const [weights, setWeights] = useState<{ recommend?: number; demographic?: number; offFloorLift?: number }>({});

  const run = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setMsg({});
    try {
      await fn();
    } catch (e) {
      setMsg({ err: e instanceof ApiError ? `${e.field ? `${e.field}: ` : ''}${e.message}` : String(e) });
    } finally {
      setBusy(null);
    }
  };
  const optimise = (save: boolean) =>
    run(save ? 'optimise' : 'preview', async () => {
      const whatIf = { ...(Object.keys(pins).length ? { pins } : {}), ...(Object.keys(lifts).length ? { lifts } : {}), ...(Object.keys(weights).length ? { weights } : {}) };
      const p = await api<PlacementPlan>('/api/placement/optimise', { method: 'POST', body: { location, save, whatIf } });
      setPlan(p);
      setView('after');
      setMsg({ ok: `${save ? `Plan ${p.id}` : 'What-if preview'}: ${p.moves.length} move${p.moves.length === 1 ? '' : 's'}, ${fmtMoney(p.totalUplift)} expected uplift` });
    });
  const apply = () =>
    run('apply', async () => {
      const r = await api<{ moved: number }>(`/api/placement/plans/${plan!.id}/apply`, { method: 'POST' });
      setPlan({ ...plan!, status: 'applied' });
      layout.reload();
      setMsg({ ok: `Plan ${plan!.id} applied: ${r.moved} units moved` });
    });
  const learn = () =>
    run('learn', async () => {
      const r = await api<{ salesAttributed: number; salesTotal: number }>('/api/placement/learn', { method: 'POST', body: { location } });
      layout.reload();
      setMsg({ ok: `Lifts learned from ${fmtInt(r.salesAttributed)} of ${fmtInt(r.salesTotal)} units sold (attributed by assignment history)` });
    });

  const L = layout.data;
  const zones: PlacementZone[] = L?.zones ?? [];
  const unitKeys = plan ? plan.units.map((u) => u.key) : (L?.assignments.map((a) => a.unit) ?? []);
  return (
    <div className="pl">
      <div className="page-head">
        <h1>Placement</h1>
        <label className="row">
          Location{' '}
          <select value={location ?? ''} onChange={(e) => (setLocation(e.target.value), setPlan(null))} aria-label="Location">
            {locList.map((l) => (
              <option key={l.code} value={l.code}>{l.code} — {l.name}</option>
            ))}
          </select>
        </label>
      </div>
      {layout.error && <p className="err" role="alert">{layout.error.message}</p>}
      <p className="err" role="alert">{msg.err}</p>
      <p className="ok" role="status">{msg.ok}</p>
      <div className="grid2">
        <section className="card">
          <div className="page-head">
            <h2>Store layout</h2>
            {plan && (
              <div className="toggle" role="group" aria-label="Before or after">
                {(['before', 'after'] as const).map((v) => (
                  <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>{v === 'before' ? 'Before' : 'After'}</button>
                ))}
              </div>
            )}
          </div>
          <ZoneGrid zones={zones} plan={plan} view={view} />
          {plan && <ZoneBars plan={plan} />}
        </section>
        <section className="card">
          <h2>Optimise</h2>
          <p className="muted small">Expected margin = forecast demand × zone lift × unit margin, boosted by recommendation frequency and the visitor mix in each zone's busy hours; capacity, keep-together blocks, seasonal rules and pins are hard constraints.</p>
          <div className="pl-weights">
            {(['recommend', 'demographic', 'offFloorLift'] as const).map((w) => (
              <label key={w}>
                {w === 'offFloorLift' ? 'Off-floor lift' : `${w[0].toUpperCase()}${w.slice(1)} weight`}
                <input type="number" step="0.05" min="0" value={weights[w] ?? L?.settings.weights[w] ?? ''} onChange={(e) => setWeights({ ...weights, [w]: Number(e.target.value) })} />
              </label>
            ))}
          </div>
          <PinEditor units={unitKeys} zones={zones} pins={pins} setPins={setPins} />
          <LiftEditor zones={zones} lifts={lifts} setLifts={setLifts} />
          <div className="row">
            <button type="button" disabled={!!busy || !can('manager')} onClick={() => optimise(true)}>{busy === 'optimise' ? 'Optimising…' : 'Run optimiser'}</button>
            <button type="button" className="secondary" disabled={!!busy || !can('manager')} onClick={() => optimise(false)}>{busy === 'preview' ? 'Running…' : 'What-if preview'}</button>
            {plan?.id && plan.status === 'proposed' && (
              <button type="button" disabled={!!busy} onClick={apply}>Apply plan {plan.id}</button>
            )}
          </div>
          {plan && <PlanSummary plan={plan} />}
        </section>
      </div>
      {plan && <MoveList plan={plan} />}
      <LayoutEditor layout={L} location={location} onSaved={() => (layout.reload(), setPlan(null))} run={run} busy={busy} />
      <section className="card">
        <div className="page-head">
          <h2>Zone lift</h2>
          <button type="button" className="secondary" disabled={!!busy || !can('manager')} onClick={learn}>Learn lifts from sales</button>
        </div>
        <p className="muted small">A sale counts for the zone its item's unit was assigned to at the time of the sale. Lifts are re-estimated from items that sold in more than one zone (before/after a move), as a Poisson model with a prior at the configured visibility; the ± is one standard deviation.</p>
        <table className="data">
          <thead><tr><th>Zone</th><th className="num">Configured</th><th className="num">Learned</th><th className="num">Evidence (units)</th></tr></thead>
          <tbody>
            {zones.map((z) => (
              <tr key={z.code}><td>{z.name}</td><td className="num">{z.visibility}</td><td className="num">{z.learnedLift == null ? '—' : `${z.learnedLift.toFixed(3)} ± ${(z.liftSd ?? 0).toFixed(3)}`}</td><td className="num">{fmtInt(z.liftEvidence)}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function ZoneGrid({ zones, plan, view }: { zones: PlacementZone[]; plan: PlacementPlan | null; view: 'before' | 'after' }) {
  const pz = new Map((plan?.zones ?? []).map((z) => [z.code, z]));
  const maxValue = Math.max(1, ...(plan?.zones ?? []).map((z) => Math.max(z.valueBefore, z.valueAfter) / Math.max(z.capacity, 1)));
  return (
    <div className="pl-grid" role="list" aria-label="Zones">
      {zones.map((z) => {
        const p = pz.get(z.code);
        const value = p ? (view === 'before' ? p.valueBefore : p.valueAfter) : null;
        const used = p ? (view === 'before' ? p.usedBefore : p.usedAfter) : null;
        const heat = value == null ? 0 : value / Math.max(z.capacity, 1) / maxValue;
        const units = plan ? plan.units.filter((u) => (view === 'before' ? u.before : u.after) === z.code) : [];
        return (
          <div key={z.code} role="listitem" className="pl-zone" data-zone={z.code} title={units.map((u) => u.key).join(', ')}
            style={{ gridColumn: `${z.x + 1} / span ${z.w}`, gridRow: `${z.y + 1} / span ${z.h}`, background: plan ? `rgba(31, 136, 61, ${0.08 + 0.6 * heat})` : KIND_COLOUR[z.kind] ?? '#f1f3f5' }}>
            <strong>{z.name}</strong>
            <span className="small">{z.kind} · lift {z.learnedLift != null && z.liftEvidence > 0 ? z.learnedLift.toFixed(2) : z.visibility}</span>
            <span className="small">{used != null ? `${fmtInt(used)} / ${fmtInt(z.capacity)} ${z.capacityUnit}` : `${fmtInt(z.capacity)} ${z.capacityUnit}`}</span>
            {value != null && <span className="small">{fmtMoney(value)}</span>}
            {units.length > 0 && <span className="small pl-units">{units.slice(0, 4).map((u) => u.key).join(', ')}{units.length > 4 ? ` +${units.length - 4}` : ''}</span>}
          </div>
        );
      })}
    </div>
  );
}

/** Expected margin per zone, before and after (a bar chart: the quickest read of where the value moves). */
function ZoneBars({ plan }: { plan: PlacementPlan }) {
  const max = Math.max(1, ...plan.zones.flatMap((z) => [z.valueBefore, z.valueAfter]));
  return (
    <figure className="pl-bars" aria-label="Expected margin per zone, before and after">
      <figcaption className="small muted">Expected margin per zone over {plan.inputs.horizonDays} days: <span className="pl-key before" /> before <span className="pl-key after" /> after</figcaption>
      {plan.zones.map((z) => (
        <div key={z.code} className="pl-bar-row">
          <span className="pl-bar-label">{z.name}</span>
          <span className="pl-bar-track">
            <span className="pl-bar before" style={{ width: `${(100 * z.valueBefore) / max}%` }} />
            <span className="pl-bar after" style={{ width: `${(100 * z.valueAfter) / max}%` }} />
          </span>
          <span className="small num">{fmtMoney(z.valueAfter)}</span>
        </div>
      ))}
    </figure>
  );
}

function PlanSummary({ plan }: { plan: PlacementPlan }) {
  return (
    <dl className="pl-summary" aria-label="Plan summary">
      <dt>Expected margin</dt><dd>{fmtMoney(plan.objectiveBefore)} → <strong>{fmtMoney(plan.objectiveAfter)}</strong> ({plan.totalUplift >= 0 ? '+' : ''}{fmtMoney(plan.totalUplift)})</dd>
      <dt>Gap to LP bound</dt><dd>{(plan.gap * 100).toFixed(3)} % (bound {fmtMoney(plan.bound)})</dd>
      <dt>Greedy baseline</dt><dd>{fmtMoney(plan.greedy)}</dd>
      <dt>Solver</dt><dd>{plan.method}, {plan.solver.blocks} blocks, {fmtInt(plan.ms)} ms</dd>
      <dt>Demand from</dt><dd>{fmtInt(plan.inputs.demand.forecast)} forecasts, {fmtInt(plan.inputs.demand.sales)} recent sales, {fmtInt(plan.inputs.demand.prior)} prior (SKUs); {fmtInt(plan.inputs.visitors)} kiosk visitors</dd>
      <dt>Status</dt><dd>{plan.id ? `plan ${plan.id}, ${plan.status}` : 'what-if preview (not saved)'}</dd>
    </dl>
  );
}

function MoveList({ plan }: { plan: PlacementPlan }) {
  const [all, setAll] = useState(false);
  const rows = all ? plan.moves : plan.moves.slice(0, 30);
  return (
    <section className="card" aria-label="Move list">
      <h2>Moves ({fmtInt(plan.moves.length)})</h2>
      <ul className="pl-moves-summary">
        {plan.summary.slice(0, 8).map((s) => (
          <li key={`${s.from}-${s.to}`}>Move {s.units} item{s.units === 1 ? '' : 's'} from {s.fromName} to {s.toName}: <strong className={s.uplift >= 0 ? 'ok' : 'err'}>{s.uplift >= 0 ? '+' : ''}{fmtMoney(s.uplift)}</strong></li>
        ))}
      </ul>
      <div className="table-scroll short">
        <table className="data">
          <thead><tr><th>Item / block</th><th>From</th><th>To</th><th className="num">Size</th><th className="num">Expected uplift</th></tr></thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.key}><td className="name">{m.label}</td><td>{m.from ?? 'off the floor'}</td><td>{m.to ?? 'off the floor'}</td><td className="num">{fmtInt(m.size)}</td><td className={`num ${m.uplift >= 0 ? 'pos' : 'neg'}`}>{fmtMoney(m.uplift)}</td></tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={5} className="empty">Nothing to move: the layout is already the best the optimiser found.</td></tr>}
          </tbody>
        </table>
      </div>
      {plan.moves.length > 30 && <button type="button" className="secondary" onClick={() => setAll(!all)}>{all ? 'Show the top 30' : `Show all ${plan.moves.length}`}</button>}
    </section>
  );
}

function PinEditor({ units, zones, pins, setPins }: { units: string[]; zones: PlacementZone[]; pins: Record<string, string>; setPins: (p: Record<string, string>) => void }) {
  const [unit, setUnit] = useState('');
  const [zone, setZone] = useState('');
  return (
    <fieldset className="pl-fieldset">
      <legend>What-if: pin an item</legend>
      <div className="row">
        <input list="pl-units" placeholder="item or block" value={unit} onChange={(e) => setUnit(e.target.value)} aria-label="Item to pin" />
        <datalist id="pl-units">{units.slice(0, 2000).map((u) => <option key={u} value={u} />)}</datalist>
        <select value={zone} onChange={(e) => setZone(e.target.value)} aria-label="Pin to zone">
          <option value="">zone…</option>
          {zones.map((z) => <option key={z.code} value={z.code}>{z.name}</option>)}
        </select>
        <button type="button" className="secondary" disabled={!unit || !zone} onClick={() => (setPins({ ...pins, [unit]: zone }), setUnit(''))}>Pin</button>
      </div>
      {Object.entries(pins).map(([u, z]) => (
        <span key={u} className="tag">{u} → {z} <button type="button" className="link" aria-label={`Unpin ${u}`} onClick={() => setPins(Object.fromEntries(Object.entries(pins).filter(([k]) => k !== u)))}>×</button></span>
      ))}
    </fieldset>
  );
}

function LiftEditor({ zones, lifts, setLifts }: { zones: PlacementZone[]; lifts: Record<string, number>; setLifts: (l: Record<string, number>) => void }) {
  return (
    <details className="pl-fieldset">
      <summary>What-if: zone lifts</summary>
      <div className="pl-weights">
        {zones.map((z) => (
          <label key={z.code}>{z.name}<input type="number" step="0.05" min="0" value={lifts[z.code] ?? ''} placeholder={String(z.learnedLift != null && z.liftEvidence > 0 ? z.learnedLift.toFixed(2) : z.visibility)} onChange={(e) => setLifts(e.target.value === '' ? Object.fromEntries(Object.entries(lifts).filter(([k]) => k !== z.code)) : { ...lifts, [z.code]: Number(e.target.value) })} /></label>
        ))}
      </div>
    </details>
  );
}

type Run = (what: string, fn: () => Promise<void>) => Promise<void>;

function LayoutEditor({ layout, location, onSaved, run, busy }: { layout: PlacementLayout | null; location: string | null; onSaved: () => void; run: Run; busy: string | null }) {
  const { can } = useSession();
  const [rows, setRows] = useState<PlacementZone[]>([]);
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => setRows(layout?.zones ?? []), [layout]);
  if (!layout || !location) return null;
  const set = (i: number, patch: Partial<PlacementZone>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const body = () => ({
    location,
    settings: layout.settings,
    zones: rows.map(({ code, name, kind, visibility, capacity, capacityUnit, x, y, w, h, busyHours }) => ({ code, name, kind, visibility, capacity, capacityUnit, x, y, w, h, busyHours })),
    assignments: layout.assignments.map((a) => ({ unit: a.unit, zone: a.zone, pinned: a.pinned })),
  });
  const save = () => run('save', async () => (await api('/api/placement/layout', { method: 'PUT', body: body() }), onSaved()));
  const exportJson = () => {
    const blob = new Blob([JSON.stringify(body(), null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `layout-${location}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const importJson = (f: File) => run('import', async () => (await api('/api/placement/layout', { method: 'PUT', body: { ...JSON.parse(await f.text()), location } }), onSaved()));
  const num = (v: string) => (v === '' ? 0 : Number(v));
  return (
    <section className="card">
      <div className="page-head">
        <h2>Layout editor</h2>
        <div className="row">
          <button type="button" className="secondary" onClick={() => setRows([...rows, { code: `Z${rows.length + 1}`, name: 'New zone', kind: 'floor', visibility: 0.5, capacity: 20, capacityUnit: 'facings', x: 0, y: 6, w: 1, h: 1, busyHours: [], learnedLift: null, liftSd: null, liftEvidence: 0 }])}>Add zone</button>
          <button type="button" className="secondary" onClick={exportJson}>Export JSON</button>
          <button type="button" className="secondary" disabled={!can('manager')} onClick={() => file.current?.click()}>Import JSON</button>
          <input ref={file} type="file" accept="application/json,.json" hidden onChange={(e) => e.target.files?.[0] && importJson(e.target.files[0])} />
          <button type="button" disabled={!!busy || !can('manager')} onClick={save}>{busy === 'save' ? 'Saving…' : 'Save layout'}</button>
        </div>
      </div>
      <p className="muted small">{layout.assignments.length} units assigned · blocks by {layout.settings.granularity.replace('_', ' ')}{layout.settings.splitByGender ? ' × gender' : ''} · grid position x, y (columns, rows) and size w × h.</p>
      <div className="table-scroll short">
        <table className="data pl-edit">
          <thead><tr><th>Code</th><th>Name</th><th>Kind</th><th>Lift</th><th>Capacity</th><th>Unit</th><th>x</th><th>y</th><th>w</th><th>h</th><th>Busy hours</th></tr></thead>
          <tbody>
            {rows.map((z, i) => (
              <tr key={i}>
                <td><input value={z.code} onChange={(e) => set(i, { code: e.target.value })} aria-label="Zone code" size={6} /></td>
                <td><input value={z.name} onChange={(e) => set(i, { name: e.target.value })} aria-label={`Name of ${z.code}`} /></td>
                <td><select value={z.kind} onChange={(e) => set(i, { kind: e.target.value })} aria-label={`Kind of ${z.code}`}>{(KINDS.includes(z.kind) ? KINDS : [...KINDS, z.kind]).map((k) => <option key={k}>{k}</option>)}</select></td>
                <td><input type="number" step="0.05" min="0" value={z.visibility} onChange={(e) => set(i, { visibility: num(e.target.value) })} aria-label={`Lift of ${z.code}`} /></td>
                <td><input type="number" min="0" value={z.capacity} onChange={(e) => set(i, { capacity: num(e.target.value) })} aria-label={`Capacity of ${z.code}`} /></td>
                <td><select value={z.capacityUnit} onChange={(e) => set(i, { capacityUnit: e.target.value as 'facings' | 'metres' })} aria-label={`Capacity unit of ${z.code}`}><option>facings</option><option>metres</option></select></td>
                {(['x', 'y', 'w', 'h'] as const).map((k) => (
                  <td key={k}><input type="number" min={k === 'w' || k === 'h' ? 1 : 0} value={z[k]} onChange={(e) => set(i, { [k]: num(e.target.value) })} aria-label={`${k} of ${z.code}`} /></td>
                ))}
                <td><input value={z.busyHours.join(',')} placeholder="all day" onChange={(e) => set(i, { busyHours: e.target.value.split(/[,\s]+/).filter(Boolean).map(Number).filter((h) => Number.isInteger(h)) })} aria-label={`Busy hours of ${z.code}`} size={10} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
