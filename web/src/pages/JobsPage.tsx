import { useEffect, useState } from 'react';
import { api, qs, type Job } from '../api.ts';
import { fmtDate } from '../format.ts';
import { useTitle } from '../router.tsx';

const STATUSES = ['', 'queued', 'running', 'done', 'failed', 'cancelled'];

/** Background jobs: progress bars for running ones, attempts and errors, retry and cancel; refreshes every second. */
export default function JobsPage() {
  useTitle('Jobs');
  const [items, setItems] = useState<Job[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [status, setStatus] = useState('');
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');

  async function load() {
    try {
      const r = await api<{ items: Job[]; counts: Record<string, number> }>(`/api/jobs${qs({ status, limit: 100 })}`);
      setItems(r.items);
      setCounts(r.counts);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), 1000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);

  async function act(path: string, done: string) {
    setError('');
    try {
      await api(path, { method: 'POST' });
      setMsg(done);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>Jobs</h1>
        <div className="row">
          <button type="button" onClick={async () => {
            setError('');
            try {
              const r = await api<{ id: number }>('/api/jobs', { method: 'POST', body: { type: 'forecast.run', payload: { freq: 'D' } } });
              setMsg(`Forecast run queued as job ${r.id}.`);
              await load();
            } catch (e) {
              setError((e as Error).message);
            }
          }}>Run a forecast</button>
        </div>
      </div>
      <p className="ok" role="status">{msg}</p>
      {error && <p className="err" role="alert">{error}</p>}
      <div className="jobs-counts row">
        {STATUSES.map((s) => (
          <button key={s || 'all'} type="button" className={`secondary small${status === s ? ' jobs-active' : ''}`} aria-pressed={status === s} onClick={() => setStatus(s)}>
            {s || 'all'}{s ? ` (${counts[s] ?? 0})` : ''}
          </button>
        ))}
      </div>
      <div className="card table-card">
        <table className="data" aria-label="Jobs">
          <thead>
            <tr><th scope="col">#</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Attempts</th><th scope="col">Worker</th><th scope="col">Created</th><th scope="col">Error / result</th><th scope="col" /></tr>
          </thead>
          <tbody>
            {items.map((j) => {
              const pct = j.progress.total > 0 ? Math.round((100 * j.progress.done) / j.progress.total) : j.status === 'done' ? 100 : 0;
              return (
                <tr key={j.id} data-job={j.id} className={j.status === 'failed' ? 'out' : undefined}>
                  <td>{j.id}</td>
                  <td>{j.type}</td>
                  <td><span className={`tag jobs-${j.status}`}>{j.status}</span></td>
                  <td className="jobs-progress">
                    <progress max={100} value={pct} aria-label={`job ${j.id} progress`} /> <span className="small">{j.progress.total ? `${j.progress.done}/${j.progress.total}` : ''} {j.progress.note ?? ''}</span>
                  </td>
                  <td>{j.attempts}/{j.maxAttempts}</td>
                  <td className="small">{j.lockedBy ?? '—'}</td>
                  <td className="nowrap">{fmtDate(j.createdAt)}</td>
                  <td className="small jobs-detail">{j.error ?? (j.result ? JSON.stringify(j.result).slice(0, 120) : '')}</td>
                  <td className="nowrap">
                    {(j.status === 'failed' || j.status === 'cancelled') && <button type="button" className="secondary small" onClick={() => void act(`/api/jobs/${j.id}/retry`, `Job ${j.id} queued again.`)}>Retry</button>}
                    {j.status === 'queued' && <button type="button" className="secondary small" onClick={() => void act(`/api/jobs/${j.id}/cancel`, `Job ${j.id} cancelled.`)}>Cancel</button>}
                  </td>
                </tr>
              );
            })}
            {items.length === 0 && <tr><td colSpan={9} className="empty">No jobs{status ? ` ${status}` : ''}.</td></tr>}
          </tbody>
        </table>
      </div>
    </>
  );
}
