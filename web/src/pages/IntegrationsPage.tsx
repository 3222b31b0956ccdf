import { useEffect, useState, type FormEvent } from 'react';
import { api, qs, type IncomingEvent, type IncomingSource, type WebhookDelivery, type WebhookSub } from '../api.ts';
import { fmtDate } from '../format.ts';
import { useTitle } from '../router.tsx';

const EVENTS = ['stock.changed', 'stock.low', 'forecast.updated', 'purchase_order.approved', 'purchase_order.received', 'order.created'];
const POLL_MS = 2000;

/** Webhook subscriptions, the delivery log with replay, and incoming sources with their latest events. */
export default function IntegrationsPage() {
  useTitle('Integrations');
  const [subs, setSubs] = useState<WebhookSub[]>([]);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>([]);
  const [sources, setSources] = useState<IncomingSource[]>([]);
  const [events, setEvents] = useState<IncomingEvent[]>([]);
  const [status, setStatus] = useState('');
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');
  const [secret, setSecret] = useState<{ what: string; value: string } | null>(null);
  const [form, setForm] = useState({ url: '', events: new Set<string>(['stock.changed']), description: '' });
  const [src, setSrc] = useState({ code: '', kind: 'shopify', location: '' });

  async function load() {
    try {
      const [a, b, c, d] = await Promise.all([
        api<{ items: WebhookSub[] }>('/api/integrations/webhooks'),
        api<{ items: WebhookDelivery[] }>(`/api/integrations/deliveries${qs({ status, limit: 50 })}`),
        api<{ items: IncomingSource[] }>('/api/integrations/sources'),
        api<{ items: IncomingEvent[] }>('/api/integrations/events?limit=20'),
      ]);
      setSubs(a.items);
      setDeliveries(b.items);
      setSources(c.items);
      setEvents(d.items);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  useEffect(() => {
    void load();
    // Deliveries move on their own (retries, workers): refresh while the page is open.
    const t = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);

  async function act(fn: () => Promise<string>) {
    setError('');
    setMsg('');
    try {
      setMsg(await fn());
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function subscribe(e: FormEvent) {
    e.preventDefault();
    await act(async () => {
      const r = await api<WebhookSub>('/api/integrations/webhooks', { method: 'POST', body: { url: form.url, events: [...form.events], description: form.description || undefined } });
      setSecret({ what: `webhook ${r.id}`, value: r.secret! });
      setForm({ url: '', events: new Set(['stock.changed']), description: '' });
      return `Subscribed ${r.url}.`;
    });
  }
  async function addSource(e: FormEvent) {
    e.preventDefault();
    await act(async () => {
      const r = await api<IncomingSource>('/api/integrations/sources', { method: 'POST', body: src });
      setSecret({ what: `source ${r.code} (POST to ${location.origin}${r.url})`, value: r.secret! });
      setSrc({ code: '', kind: 'shopify', location: '' });
      return `Added source ${r.code}.`;
    });
  }
  const toggleEvent = (ev: string) =>
    setForm((f) => {
      const s = new Set(f.events);
      if (s.has(ev)) s.delete(ev);
      else s.add(ev);
      return { ...f, events: s };
    });

  return (
    <>
      <div className="page-head">
        <h1>Integrations</h1>
      </div>
      <p className="ok" role="status">{msg}</p>
      {error && <p className="err" role="alert">{error}</p>}
      {secret && (
        <div className="card int-secret" role="note">
          <strong>Signing secret for {secret.what}</strong> (shown once; keep it with the receiver): <code>{secret.value}</code>{' '}
          <button type="button" className="secondary small" onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      <div className="grid2">
        <div className="card">
          <h2>Outgoing webhooks</h2>
          <table className="data">
            <thead>
              <tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Deliveries</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {subs.map((s) => (
                <tr key={s.id} data-sub={s.id}>
                  <td className="int-url">{s.url}{!s.active && <span className="tag">paused</span>}</td>
                  <td>{s.events.join(', ')}</td>
                  <td className="nowrap">{Object.entries(s.deliveries).map(([k, v]) => `${v} ${k}`).join(', ') || '—'}</td>
                  <td className="nowrap">
                    <button type="button" className="secondary small" onClick={() => void act(async () => (await api('/api/integrations/webhooks/' + s.id + '/ping', { method: 'POST' }), 'Ping queued.'))}>Ping</button>{' '}
                    <button type="button" className="secondary small" onClick={() => void act(async () => (await api('/api/integrations/webhooks/' + s.id, { method: 'PATCH', body: { active: !s.active } }), s.active ? 'Paused.' : 'Resumed.'))}>{s.active ? 'Pause' : 'Resume'}</button>
                  </td>
                </tr>
              ))}
              {subs.length === 0 && <tr><td colSpan={4} className="empty">No subscriptions yet.</td></tr>}
            </tbody>
          </table>
          <form className="stack" onSubmit={(e) => void subscribe(e)}>
            <label>URL<input type="url" required placeholder="https://example.com/hooks/shelfwise" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} /></label>
            <fieldset className="int-events">
              <legend>Events</legend>
              {EVENTS.map((ev) => (
                <label key={ev} className="inline"><input type="checkbox" checked={form.events.has(ev)} onChange={() => toggleEvent(ev)} />{ev}</label>
              ))}
            </fieldset>
            <label>Description<input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} /></label>
            <button type="submit">Subscribe</button>
          </form>
        </div>
        <div className="card">
          <h2>Incoming sources</h2>
          <table className="data">
            <thead>
              <tr><th scope="col">Source</th><th scope="col">Kind</th><th scope="col">Location</th><th scope="col">Events</th></tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s.code}>
                  <td><code>{s.code}</code><div className="muted small">{s.url}</div></td>
                  <td>{s.kind}</td>
                  <td>{s.location}{s.applyLevels ? '' : <span className="tag">levels recorded</span>}</td>
                  <td className="nowrap">{Object.entries(s.events).map(([k, v]) => `${v} ${k}`).join(', ') || '—'}</td>
                </tr>
              ))}
              {sources.length === 0 && <tr><td colSpan={4} className="empty">No sources yet.</td></tr>}
            </tbody>
          </table>
          <form className="stack" onSubmit={(e) => void addSource(e)}>
            <div className="row int-src-row">
              <label>Code<input required value={src.code} onChange={(e) => setSrc({ ...src, code: e.target.value })} /></label>
              <label>Kind
                <select value={src.kind} onChange={(e) => setSrc({ ...src, kind: e.target.value })}>
                  <option value="shopify">Shopify</option>
                  <option value="woocommerce">WooCommerce</option>
                  <option value="generic">Generic JSON</option>
                </select>
              </label>
              <label>Location<input required value={src.location} onChange={(e) => setSrc({ ...src, location: e.target.value })} /></label>
            </div>
            <button type="submit">Add source</button>
          </form>
          <h3>Latest incoming events</h3>
          <ul className="int-events-list">
            {events.map((e) => (
              <li key={e.id}><span className={`tag ${e.status === 'failed' ? 'critical' : ''}`}>{e.status}</span> {e.source} {e.topic} <span className="muted small">{e.externalId} · {fmtDate(e.receivedAt)}</span>{e.error && <div className="err small">{e.error}</div>}</li>
            ))}
            {events.length === 0 && <li className="muted">Nothing received yet.</li>}
          </ul>
        </div>
      </div>
      <div className="card table-card">
        <div className="toolbar row">
          <h2>Delivery log</h2>
          <label className="inline">Status
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">all</option>
              <option value="pending">pending</option>
              <option value="delivered">delivered</option>
              <option value="failed">failed</option>
            </select>
          </label>
        </div>
        <table className="data" aria-label="Delivery log">
          <thead>
            <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Event</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col" /></tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} data-delivery={d.id} className={d.status === 'failed' ? 'out' : undefined}>
                <td>{d.id}{d.replayOf ? <span className="tag">replay of {d.replayOf}</span> : null}</td>
                <td className="nowrap">{fmtDate(d.createdAt)}</td>
                <td>{d.event} <span className="muted small">{d.eventId}</span></td>
                <td className="int-url">{d.url}</td>
                <td><span className={`tag int-${d.status}`}>{d.status}</span></td>
                <td>{d.attempts}</td>
                <td className="small">{d.lastStatus ? `HTTP ${d.lastStatus}` : ''}{d.lastMs !== null ? ` · ${d.lastMs} ms` : ''}{d.lastError ? ` · ${d.lastError}` : ''}</td>
                <td>
                  <button type="button" className="secondary small" aria-label={`Replay delivery ${d.id}`} onClick={() => void act(async () => {
                    const r = await api<{ deliveryId: number }>(`/api/integrations/deliveries/${d.id}/replay`, { method: 'POST' });
                    return `Replaying as delivery ${r.deliveryId}.`;
                  })}>Replay</button>
                </td>
              </tr>
            ))}
            {deliveries.length === 0 && <tr><td colSpan={8} className="empty">No deliveries yet.</td></tr>}
          </tbody>
        </table>
      </div>
    </>
  );
}
