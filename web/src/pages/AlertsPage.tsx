import { useEffect, useState } from 'react';
import { api, qs, type Alert, type Keyset } from '../api.ts';
import { fmtDate } from '../format.ts';
import { useLive } from '../live.tsx';
import { Link, useTitle } from '../router.tsx';

export default function AlertsPage() {
  useTitle('Alerts');
  const live = useLive();
  const [open, setOpen] = useState(true);
  const [items, setItems] = useState<Alert[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [loading, setLoading] = useState(true);
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');

  async function load(before?: number) {
    setLoading(true);
    setError('');
    try {
      const r = await api<Keyset<Alert>>(`/api/alerts${qs({ open: open ? 'true' : 'false', limit: 50, before })}`);
      setItems((cur) => (before ? [...cur, ...r.items] : r.items));
      setNext(r.next);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    setSelected(new Set());
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  // New or acknowledged alerts elsewhere: refresh the first page, keeping the selection that still applies.
  useEffect(() => {
    if (live === 0) return;
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live]);

  async function ack(ids: number[]) {
    if (ids.length === 0) return;
    setError('');
    try {
      const r = await api<{ acknowledged: number }>('/api/alerts/ack', { method: 'POST', body: { ids } });
      setMsg(`Acknowledged ${r.acknowledged} alert${r.acknowledged === 1 ? '' : 's'}.`);
      setItems((cur) => cur.filter((a) => !ids.includes(a.id)));
      setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
    } catch (e) {
      setError((e as Error).message);
    }
  }
  const allSelected = items.length > 0 && items.every((a) => selected.has(a.id));
  const toggle = (id: number) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        <div className="toggle" role="group" aria-label="Show">
          <button type="button" aria-pressed={open} onClick={() => setOpen(true)}>Open</button>
          <button type="button" aria-pressed={!open} onClick={() => setOpen(false)}>Acknowledged</button>
        </div>
      </div>
      <p className="ok" role="status">{msg}</p>
      {error && <p className="err" role="alert">{error}</p>}
      <div className="card table-card">
        {open && (
          <div className="toolbar">
            <button type="button" disabled={selected.size === 0} onClick={() => void ack([...selected])}>
              Acknowledge selected{selected.size ? ` (${selected.size})` : ''}
            </button>
          </div>
        )}
        <table className="data" aria-busy={loading}>
          <thead>
            <tr>
              {open && (
                <th scope="col" className="check">
                  <input type="checkbox" aria-label="Select all" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((a) => a.id)))} />
                </th>
              )}
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">Item</th>
              <th scope="col">Message</th>
              <th scope="col">{open ? '' : 'Acknowledged'}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-alert={a.id} className={a.severity === 'critical' ? 'out' : undefined}>
                {open && (
                  <td className="check">
                    <input type="checkbox" aria-label={`Select alert ${a.id}`} checked={selected.has(a.id)} onChange={() => toggle(a.id)} />
                  </td>
                )}
                <td className="nowrap">{fmtDate(a.createdAt)}</td>
                <td><span className={`tag ${a.severity}`}>{a.kind.replace(/_/g, ' ')}</span></td>
                <td>{a.sku ? <Link to={`/products/${encodeURIComponent(a.sku)}`}>{a.sku}</Link> : '—'}{a.location ? ` @ ${a.location}` : ''}</td>
                <td>{a.message}</td>
                <td>
                  {open ? (
                    <button type="button" className="secondary small" onClick={() => void ack([a.id])} aria-label={`Acknowledge alert ${a.id}`}>Acknowledge</button>
                  ) : (
                    fmtDate(a.acknowledgedAt)
                  )}
                </td>
              </tr>
            ))}
            {!loading && items.length === 0 && (
              <tr><td colSpan={6} className="empty">{open ? 'No open alerts. All clear.' : 'Nothing acknowledged yet.'}</td></tr>
            )}
          </tbody>
        </table>
        {next !== null && (
          <button type="button" className="secondary" disabled={loading} onClick={() => void load(next)}>Older alerts</button>
        )}
      </div>
    </>
  );
}
