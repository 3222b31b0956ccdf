import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type Job } from '../api.ts';
import { fmtDate } from '../format.ts';
import { useApi } from '../useApi.ts';
import { Link, useTitle } from '../router.tsx';

type Kind = 'products' | 'stock' | 'sales';
interface BadRow {
  line: number;
  field?: string;
  reason: string;
}
interface ImportResult {
  kind: Kind;
  file: string;
  rows: number;
  written: number;
  committed: boolean;
  dryRun: boolean;
  badCount: number;
  bad: BadRow[];
  ms: number;
}
interface ImportRecord {
  id: number;
  kind: string;
  file: string;
  rows: number;
  skipped: number;
  actor: string;
  finishedAt: string;
  jobId: number | null;
}

const COLUMNS: Record<Kind, string> = {
  products: 'sku, name, price — optional: cost, category, barcode, brand, gender, age_group, colour, size, season, supplier, status',
  stock: 'sku, qty — optional: location (or choose one below), low_threshold',
  sales: 'date, sku, qty (negative = a return), store — optional: price, customer, order',
};

/**
 * Import a CSV or XLSX from the browser. The file is uploaded, and a background job imports it with the same rules
 * as `shelfwise import` (all or nothing unless "skip bad rows"; every bad row with its line); this page follows
 * the job's progress and shows what it did.
 */
export default function ImportPage() {
  useTitle('Import');
  const [kind, setKind] = useState<Kind>('products');
  const [location, setLocation] = useState('');
  const [skipBad, setSkipBad] = useState(false);
  const [allowNegative, setAllowNegative] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const history = useApi<{ items: ImportRecord[] }>('/api/imports?limit=20');
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  useEffect(() => () => { if (timer.current) clearInterval(timer.current); }, []);

  async function start(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return setError('Choose a CSV or XLSX file first.');
    setError('');
    setJob(null);
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file);
      const q = new URLSearchParams({ kind });
      if (location.trim()) q.set('location', location.trim());
      if (skipBad) q.set('skipBad', 'true');
      if (allowNegative && kind === 'sales') q.set('allowNegative', 'true');
      if (dryRun) q.set('dryRun', 'true');
      const r = await fetch(`/api/imports?${q}`, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
      const body = (await r.json().catch(() => ({}))) as { jobId?: number; error?: string; field?: string };
      if (!r.ok) throw new ApiError(r.status, body.error ?? `HTTP ${r.status}`, body.field);
      const poll = async () => {
        const j = await api<Job>(`/api/jobs/${body.jobId}`);
        setJob(j);
        if (['done', 'failed', 'cancelled'].includes(j.status)) {
          if (timer.current) clearInterval(timer.current);
          timer.current = null;
          setBusy(false);
          history.reload();
        }
      };
      await poll();
      timer.current = setInterval(() => void poll().catch((x: Error) => setError(x.message)), 500);
    } catch (x) {
      setBusy(false);
      setError(x instanceof ApiError && x.field ? `${x.field}: ${x.message}` : (x as Error).message);
    }
  }

  const result = job?.status === 'done' ? (job.result as ImportResult) : null;
  const pct = job ? (job.progress.total > 0 ? Math.round((100 * job.progress.done) / job.progress.total) : job.status === 'done' ? 100 : 0) : 0;
  return (
    <>
      <div className="page-head">
        <h1>Import</h1>
      </div>
      <form className="card import-form" onSubmit={start} aria-label="Import a file">
        <div className="row">
          <label>
            What
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="products">Products (catalog)</option>
              <option value="stock">Stock counts</option>
              <option value="sales">Sales history</option>
            </select>
          </label>
          <label>
            File (CSV or XLSX)
            <input type="file" accept=".csv,.txt,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          {kind !== 'products' && (
            <label>
              Store (for rows without one)
              <input value={location} onChange={(e) => setLocation(e.target.value)} placeholder="e.g. UKR" maxLength={32} />
            </label>
          )}
        </div>
        <p className="muted small">Columns: {COLUMNS[kind]}. Headers are matched without regard to case; XLSX reads the first sheet.</p>
        <div className="row">
          <label className="check"><input type="checkbox" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} /> Skip bad rows (otherwise any bad row → nothing is written)</label>
          {kind === 'sales' && <label className="check"><input type="checkbox" checked={allowNegative} onChange={(e) => setAllowNegative(e.target.checked)} /> Allow stock below zero (history before a stock count)</label>}
          <label className="check"><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> Check only (dry run)</label>
        </div>
        <button type="submit" disabled={busy}>{busy ? 'Importing…' : 'Import'}</button>
      </form>
      {error && <p className="err" role="alert">{error}</p>}
      {job && (
        <section className="card" aria-label="Import progress" data-job={job.id}>
          <h2>Job {job.id}: {job.status}</h2>
          <progress max={100} value={pct} aria-label="import progress" /> <span className="small">{job.progress.note ?? ''}</span>
          {job.status === 'failed' && <p className="err">{job.error}</p>}
          {result && (
            <>
              <p className={result.committed ? 'ok' : result.dryRun && result.badCount === 0 ? 'ok' : 'err'} data-testid="import-outcome">
                {result.committed
                  ? `${result.written.toLocaleString()} of ${result.rows.toLocaleString()} rows written from ${result.file}${result.badCount ? `; ${result.badCount.toLocaleString()} bad rows skipped` : ''}.`
                  : result.dryRun && result.badCount === 0
                    ? `Dry run: all ${result.rows.toLocaleString()} rows are valid; nothing was written.`
                    : `Nothing was written: ${result.badCount.toLocaleString()} bad row(s). Fix them, or tick "Skip bad rows".`}
              </p>
              {result.bad.length > 0 && (
                <table className="data" aria-label="Bad rows">
                  <thead><tr><th scope="col">Line</th><th scope="col">Field</th><th scope="col">Reason</th></tr></thead>
                  <tbody>{result.bad.slice(0, 200).map((b) => <tr key={`${b.line}-${b.field}`}><td>{b.line}</td><td>{b.field ?? ''}</td><td>{b.reason}</td></tr>)}</tbody>
                </table>
              )}
              {result.badCount > 200 && <p className="muted small">First 200 of {result.badCount.toLocaleString()} bad rows shown.</p>}
            </>
          )}
        </section>
      )}
      <h2>Recent imports</h2>
      <section className="card table-card">
        <table className="data" aria-label="Recent imports">
          <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">File</th><th scope="col">Rows written</th><th scope="col">Skipped</th><th scope="col">By</th><th scope="col">Job</th></tr></thead>
          <tbody>
            {(history.data?.items ?? []).map((r) => (
              <tr key={r.id}><td className="nowrap">{fmtDate(r.finishedAt)}</td><td>{r.kind}</td><td>{r.file}</td><td>{r.rows.toLocaleString()}</td><td>{r.skipped.toLocaleString()}</td><td>{r.actor}</td><td>{r.jobId ? <Link to="/jobs">{r.jobId}</Link> : 'CLI'}</td></tr>
            ))}
            {history.data?.items.length === 0 && <tr><td colSpan={7} className="empty">No imports yet.</td></tr>}
          </tbody>
        </table>
      </section>
    </>
  );
}
