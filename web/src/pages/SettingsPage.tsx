import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { FieldError, fieldOf, messageOf } from '../components/FieldError.tsx';
import { useTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../useApi.ts';

interface Settings {
  storeName: string;
  currency: string;
  defaultLowThreshold: number | null;
}

export default function SettingsPage() {
  useTitle('Settings');
  const { me, can } = useSession();
  const settings = useApi<Settings>('/api/dashboard/settings');
  const health = useApi<{ database: string; demo: string; demoProgress: string | null }>('/api/health');
  const [form, setForm] = useState<Settings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  const admin = can('admin');
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    setError(null);
    setMsg('');
    try {
      const s = await api<Settings>('/api/dashboard/settings', { method: 'PUT', body: form });
      setForm(s);
      setMsg('Saved.');
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  }
  const aria = (name: string) => ({ 'aria-invalid': fieldOf(error) === name || undefined, 'aria-describedby': `s-${name}-error` });
  return (
    <>
      <h1>Settings</h1>
      <section className="card narrow" aria-labelledby="store">
        <h2 id="store">Store</h2>
        {!admin && <p className="muted">Only administrators can change these.</p>}
        {form && (
          <form className="stack" onSubmit={save} noValidate>
            <label>Store name<input value={form.storeName} disabled={!admin} onChange={(e) => setForm({ ...form, storeName: e.target.value })} {...aria('storeName')} /><FieldError id="s-storeName" name="storeName" error={error} /></label>
            <label>Currency (ISO code)<input value={form.currency} disabled={!admin} maxLength={3} onChange={(e) => setForm({ ...form, currency: e.target.value })} {...aria('currency')} /><FieldError id="s-currency" name="currency" error={error} /></label>
            <label>
              Default low-stock threshold (saved for later use; not yet applied to items automatically)
              <input type="number" min="0" step="1" value={form.defaultLowThreshold ?? ''} disabled={!admin} onChange={(e) => setForm({ ...form, defaultLowThreshold: e.target.value === '' ? null : Number(e.target.value) })} {...aria('defaultLowThreshold')} />
              <FieldError id="s-defaultLowThreshold" name="defaultLowThreshold" error={error} />
            </label>
            {error && !['storeName', 'currency', 'defaultLowThreshold'].includes(fieldOf(error) ?? '') && <p className="err" role="alert">{messageOf(error)}</p>}
            <p className="ok" role="status">{msg}</p>
            {admin && <button type="submit">Save</button>}
          </form>
        )}
      </section>
      <section className="card narrow" aria-labelledby="about">
        <h2 id="about">This session</h2>
        <dl className="attrs">
          <div><dt>Signed in as</dt><dd>{me?.email} ({me?.role})</dd></div>
          <div><dt>Database</dt><dd>{health.data?.database ?? '…'}</dd></div>
          <div><dt>Demo data</dt><dd>{health.data ? `${health.data.demo}${health.data.demoProgress ? ` — ${health.data.demoProgress}` : ''}` : '…'}</dd></div>
          <div><dt>API reference</dt><dd><a href="/docs">/docs</a></dd></div>
        </dl>
      </section>
    </>
  );
}
