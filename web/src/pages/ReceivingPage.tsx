import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Inspection, type InspectionBatch, type InspectionSettings, type Location } from '../api.ts';
import { FieldError, fieldOf, messageOf } from '../components/FieldError.tsx';
import { InspectionCard } from '../components/inspection/InspectionCard.tsx';
import { PhotoCapture, photoDataUrl } from '../components/inspection/PhotoCapture.tsx';
import { fmtDate, fmtInt } from '../format.ts';
import { useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

interface OpenForm {
  supplier: string;
  sku: string;
  location: string;
  qty: string;
  plan: 'default' | 'all' | 'sample';
  n: string;
  acceptMax: string;
  poId: string;
  reference: string;
}
const EMPTY: OpenForm = { supplier: '', sku: '', location: '', qty: '', plan: 'default', n: '5', acceptMax: '0', poId: '', reference: '' };

const planText = (s: InspectionSettings['sampling'] | undefined) => (!s ? '…' : s.mode === 'all' ? 'inspect every unit' : `${s.n} per receipt, reject the lot above ${s.acceptMax} defective`);

export default function ReceivingPage() {
  useTitle('Receiving');
  const { can } = useSession();
  const suppliers = useApi<{ items: { code: string; name: string }[] }>('/api/suppliers');
  const locations = useApi<{ items: Location[] }>('/api/locations');
  const settings = useApi<InspectionSettings>('/api/inspection/settings');
  const open = useApi<{ items: InspectionBatch[] }>('/api/inspection/batches?status=open');
  const quarantined = useApi<{ items: InspectionBatch[] }>('/api/inspection/batches?quarantined=true');
  const recent = useApi<{ items: InspectionBatch[] }>('/api/inspection/batches?status=closed&limit=10');
  const reloadLists = () => [open, quarantined, recent].forEach((x) => x.reload());
  const [form, setForm] = useState<OpenForm>(EMPTY);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [batchId, setBatchId] = useState<number | null>(null);
  const targets = (locations.data?.items ?? []).filter((l) => l.kind !== 'quarantine');

  useEffect(() => {
    if (!form.location && targets.length) setForm((f) => ({ ...f, location: targets[0].code }));
    if (!form.supplier && suppliers.data?.items.length) setForm((f) => ({ ...f, supplier: suppliers.data!.items[0].code }));
  }, [targets.length, suppliers.data, form.location, form.supplier]);

  async function start(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      const b = await api<InspectionBatch>('/api/inspection/batches', {
        method: 'POST',
        body: {
          supplier: form.supplier,
          sku: form.sku.trim(),
          location: form.location,
          qty: Number(form.qty),
          ...(form.plan === 'all' ? { sampling: { mode: 'all' } } : form.plan === 'sample' ? { sampling: { mode: 'sample', n: Number(form.n), acceptMax: Number(form.acceptMax) } } : {}),
          ...(form.poId ? { poId: Number(form.poId) } : {}),
          ...(form.reference.trim() ? { reference: form.reference.trim() } : {}),
        },
      });
      setBatchId(b.id);
      setForm({ ...EMPTY, supplier: form.supplier, location: form.location });
      reloadLists();
    } catch (err) {
      setFormError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  }
  const aria = (name: string) => ({ 'aria-invalid': fieldOf(formError) === name || undefined, 'aria-describedby': `r-${name}-error` });
  const set = (k: keyof OpenForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <>
      <h1>Receiving inspection</h1>
      <div className="grid2">
        <section className="card" aria-labelledby="r-new">
          <h2 id="r-new">Receive and inspect</h2>
          <form className="stack" onSubmit={start} noValidate>
            <label>Supplier
              <select value={form.supplier} onChange={set('supplier')} {...aria('supplier')}>
                {(suppliers.data?.items ?? []).map((s) => <option key={s.code} value={s.code}>{s.code} — {s.name}</option>)}
              </select>
              <FieldError id="r-supplier" name="supplier" error={formError} />
            </label>
            <label>SKU<input value={form.sku} onChange={set('sku')} autoComplete="off" {...aria('sku')} /><FieldError id="r-sku" name="sku" error={formError} /></label>
            <label>Into location
              <select value={form.location} onChange={set('location')} {...aria('location')}>
                {targets.map((l) => <option key={l.code} value={l.code}>{l.code} — {l.name}</option>)}
              </select>
              <FieldError id="r-location" name="location" error={formError} />
            </label>
            <label>Quantity received<input type="number" min="1" step="1" value={form.qty} onChange={set('qty')} {...aria('qty')} /><FieldError id="r-qty" name="qty" error={formError} /></label>
            <fieldset className="insp-plan">
              <legend>Sampling plan</legend>
              <label><input type="radio" name="plan" checked={form.plan === 'default'} onChange={() => setForm({ ...form, plan: 'default' })} /> Store default ({planText(settings.data?.sampling)})</label>
              <label><input type="radio" name="plan" checked={form.plan === 'all'} onChange={() => setForm({ ...form, plan: 'all' })} /> Inspect every unit</label>
              <label><input type="radio" name="plan" checked={form.plan === 'sample'} onChange={() => setForm({ ...form, plan: 'sample' })} /> Sample
                <input className="insp-small" type="number" min="1" value={form.n} onChange={set('n')} aria-label="Sample size" disabled={form.plan !== 'sample'} /> units, reject the lot above
                <input className="insp-small" type="number" min="0" value={form.acceptMax} onChange={set('acceptMax')} aria-label="Acceptance number" disabled={form.plan !== 'sample'} /> defective
              </label>
              <FieldError id="r-n" name="n" error={formError} />
            </fieldset>
            <label>Purchase order id (optional)<input type="number" min="1" value={form.poId} onChange={set('poId')} {...aria('poId')} /><FieldError id="r-poId" name="poId" error={formError} /></label>
            <label>Delivery note / reference (optional)<input value={form.reference} onChange={set('reference')} {...aria('reference')} /></label>
            {formError && !['supplier', 'sku', 'location', 'qty', 'n', 'poId'].includes(fieldOf(formError) ?? '') && <p className="err" role="alert">{messageOf(formError)}</p>}
            <button type="submit">Start inspection</button>
          </form>
        </section>
        <section className="card" aria-labelledby="r-open">
          <h2 id="r-open">Open inspections</h2>
          {open.data?.items.length === 0 && <p className="muted">None open: start one with the form.</p>}
          <ul className="insp-list">
            {(open.data?.items ?? []).map((b) => (
              <li key={b.id}>
                <button type="button" className={batchId === b.id ? '' : 'secondary'} onClick={() => setBatchId(b.id)}>
                  #{b.id} {b.sku} from {b.supplier}: {b.inspected}/{b.sampleSize} inspected
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {batchId !== null && <BatchPanel key={batchId} id={batchId} onChange={() => reloadLists()} />}
      <section className="card" aria-labelledby="r-quar">
        <h2 id="r-quar">In quarantine</h2>
        {quarantined.data?.items.length === 0 && <p className="muted">Nothing in quarantine from inspections.</p>}
        {(quarantined.data?.items ?? []).map((b) => <QuarantineRow key={b.id} b={b} canDispose={can('manager')} onDone={() => reloadLists()} />)}
      </section>
      <section className="card table-card" aria-labelledby="r-recent">
        <h2 id="r-recent" className="insp-pad">Recently closed</h2>
        <div className="table-scroll short">
          <table className="data">
            <thead><tr><th>#</th><th>Closed</th><th>Supplier</th><th>SKU</th><th className="num">Received</th><th>Plan</th><th className="num">Defective calls</th><th className="num">Good</th><th className="num">Quarantined</th></tr></thead>
            <tbody>
              {(recent.data?.items ?? []).map((b) => (
                <tr key={b.id}>
                  <td>{b.id}</td><td>{fmtDate(b.closedAt)}</td><td>{b.supplier}</td><td>{b.sku}</td><td className="num">{fmtInt(b.qtyReceived)}</td>
                  <td>{b.plan === 'all' ? 'all' : `${b.sampleSize} of ${b.qtyReceived}, ≤ ${b.acceptMax}`}</td><td className="num">{b.defectiveCalls}/{b.inspected}</td>
                  <td className="num">{fmtInt(b.goodQty)}</td><td className="num">{fmtInt(b.defectiveQty)}{b.lotRejected ? ' (lot rejected)' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** The batch being inspected: capture a photo, see the model's call, confirm or override, close. */
function BatchPanel({ id, onChange }: { id: number; onChange: () => void }) {
  const batch = useApi<InspectionBatch>(`/api/inspection/batches/${id}`);
  const [previews, setPreviews] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [closed, setClosed] = useState<InspectionBatch | null>(null);
  const b = closed ?? batch.data;
  const refresh = () => {
    batch.reload();
    onChange();
  };
  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError('');
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? messageOf(e) : String(e));
    } finally {
      setBusy(false);
    }
  }
  const onPhoto = (file: Blob) =>
    run(async () => {
      const image = await photoDataUrl(file);
      const ins = await api<Inspection>(`/api/inspection/batches/${id}/photos`, { method: 'POST', body: { image } });
      setPreviews((p) => ({ ...p, [ins.id]: image }));
      refresh();
    });
  const decide = (ins: Inspection, defective: boolean) => run(async () => {
    await api(`/api/inspection/inspections/${ins.id}/decision`, { method: 'POST', body: { defective } });
    refresh();
  });
  const close = () => run(async () => {
    setClosed(await api<InspectionBatch>(`/api/inspection/batches/${id}/close`, { method: 'POST' }));
    onChange();
  });
  if (!b) return <section className="card"><p className="muted">Loading batch {id}…</p></section>;
  const done = b.inspected >= b.sampleSize;
  const list = [...(b.inspections ?? [])].reverse();
  return (
    <section className="card insp-batch" aria-labelledby="r-batch">
      <h2 id="r-batch">Batch #{b.id}: {b.sku} {b.productName !== b.sku ? `(${b.productName})` : ''} from {b.supplier}</h2>
      <p className="muted">
        {fmtInt(b.qtyReceived)} received into {b.location}; {b.plan === 'all' ? 'every unit is inspected' : `sample of ${b.sampleSize}, the lot is rejected above ${b.acceptMax} defective`}
        {b.poId ? ` · PO ${b.poId}` : ''}{b.reference ? ` · ${b.reference}` : ''}
      </p>
      <p className="insp-progress" role="status">
        <strong>{b.inspected}</strong> of {b.sampleSize} inspected · {b.decided} decided · {b.defectiveCalls} defective
      </p>
      {b.status === 'open' && !done && <PhotoCapture onPhoto={onPhoto} disabled={busy} />}
      {busy && <p className="muted" role="status">Working…</p>}
      {error && <p className="err" role="alert">{error}</p>}
      {b.status === 'open' && done && b.decided === b.inspected && (
        <button type="button" onClick={close} disabled={busy}>Close and receive: good units into {b.location}, defective into {b.quarantineLocation}</button>
      )}
      {b.status === 'closed' && (
        <p className="ok" role="status" data-closed>
          Closed: {fmtInt(b.goodQty)} into {b.location}, {fmtInt(b.defectiveQty)} into quarantine {b.quarantineLocation}{b.lotRejected ? ' (lot rejected by the sample)' : ''}.
        </p>
      )}
      <div className="insp-cards">
        {list.map((ins) => (
          <InspectionCard key={ins.id} ins={ins} preview={previews[ins.id]} busy={busy} onDecide={b.status === 'open' ? (d) => decide(ins, d) : undefined} />
        ))}
      </div>
    </section>
  );
}

function QuarantineRow({ b, canDispose, onDone }: { b: InspectionBatch; canDispose: boolean; onDone: () => void }) {
  const [qty, setQty] = useState(String(b.inQuarantine));
  const [err, setErr] = useState('');
  async function go(action: 'return_to_supplier' | 'write_off') {
    setErr('');
    try {
      await api(`/api/inspection/batches/${b.id}/dispose`, { method: 'POST', body: { action, qty: Number(qty) } });
      onDone();
    } catch (e) {
      setErr(e instanceof ApiError ? messageOf(e) : String(e));
    }
  }
  return (
    <div className="insp-quar row" data-batch={b.id}>
      <span>
        #{b.id} <strong>{b.sku}</strong> from {b.supplier}: <strong>{b.inQuarantine}</strong> in {b.quarantineLocation}
        {b.returnedQty ? ` · ${b.returnedQty} returned` : ''}{b.writtenOffQty ? ` · ${b.writtenOffQty} written off` : ''}
      </span>
      {canDispose ? (
        <>
          <input className="insp-small" type="number" min="1" max={b.inQuarantine} value={qty} onChange={(e) => setQty(e.target.value)} aria-label={`Units of batch ${b.id}`} />
          <button type="button" className="small" onClick={() => go('return_to_supplier')}>Return to supplier</button>
          <button type="button" className="small secondary" onClick={() => go('write_off')}>Write off</button>
        </>
      ) : (
        <span className="muted">a manager returns or writes these off</span>
      )}
      {err && <span className="err" role="alert">{err}</span>}
    </div>
  );
}
