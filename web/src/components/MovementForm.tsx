import { useState, type FormEvent } from 'react';
import { api, ApiError, type Location } from '../api.ts';
import { useApi } from '../useApi.ts';
import { FieldError, fieldOf, messageOf } from './FieldError.tsx';

type Kind = 'receipt' | 'adjustment' | 'write_off' | 'transfer';
const LABEL: Record<Kind, string> = { receipt: 'Receipt', adjustment: 'Adjustment', write_off: 'Write-off', transfer: 'Transfer' };

/** Records a receipt, adjustment or write-off (POST /api/movements) or a transfer (POST /api/transfers); API errors land under their field. */
export function MovementForm({ sku, defaultLocation, onPosted }: { sku: string; defaultLocation?: string; onPosted: () => void }) {
  const locations = useApi<{ items: Location[] }>('/api/locations');
  const [kind, setKind] = useState<Kind>('receipt');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const num = (k: string) => (text(k) === '' ? undefined : Number(text(k)));
    setBusy(true);
    setError(null);
    setDone('');
    try {
      if (kind === 'transfer') {
        const r = await api<{ movements: { qty: number; balanceAfter: number; location: string }[] }>('/api/transfers', {
          method: 'POST',
          body: { sku, from: text('location'), to: text('to'), qty: num('qty'), reason: text('reason') || undefined },
        });
        setDone(`Moved ${r.movements[1]?.qty ?? ''} from ${r.movements[0]?.location} (now ${r.movements[0]?.balanceAfter}) to ${r.movements[1]?.location} (now ${r.movements[1]?.balanceAfter}).`);
      } else {
        const line = { sku, location: text('location'), kind, qty: num('qty'), unitCost: kind === 'receipt' ? num('unitCost') : undefined, reason: text('reason') || undefined };
        const r = await api<{ movements: { qty: number; balanceAfter: number; location: string }[] }>('/api/movements', { method: 'POST', body: { lines: [line] } });
        const m = r.movements[0];
        setDone(`Recorded ${LABEL[kind].toLowerCase()} of ${m.qty} at ${m.location}: on hand is now ${m.balanceAfter}.`);
      }
      form.reset();
      onPosted();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  }
  // API field names → this form's inputs (a transfer's "from" is the location select).
  const field = fieldOf(error) === 'from' ? 'location' : fieldOf(error);
  const known = new Set(['qty', 'location', 'to', 'unitCost', 'reason']);
  const general = error && !known.has(field ?? '') ? messageOf(error) : '';
  const shown = error && field !== fieldOf(error) ? new ApiError(error.status, error.message, field ?? undefined) : error;
  const aria = (name: string) => ({ 'aria-invalid': field === name || undefined, 'aria-describedby': `mv-${name}-error` });
  const options = locations.data?.items.map((l) => <option key={l.code} value={l.code}>{l.code} — {l.name}</option>);
  const locKey = `${defaultLocation}:${locations.data?.items.length ?? 0}`;
  return (
    <section className="card" aria-labelledby="record">
      <h2 id="record">Record stock</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="toggle" role="radiogroup" aria-label="Kind">
          {(Object.keys(LABEL) as Kind[]).map((k) => (
            <button key={k} type="button" role="radio" aria-checked={kind === k} onClick={() => { setKind(k); setError(null); }}>{LABEL[k]}</button>
          ))}
        </div>
        <label>
          {kind === 'transfer' ? 'From location' : 'Location'}
          <select name="location" required defaultValue={defaultLocation} key={locKey} {...aria('location')}>{options}</select>
          <FieldError id="mv-location" name="location" error={shown} />
        </label>
        {kind === 'transfer' && (
          <label>
            To location
            <select name="to" required key={`to:${locKey}`} defaultValue={locations.data?.items.find((l) => l.code !== defaultLocation)?.code} {...aria('to')}>{options}</select>
            <FieldError id="mv-to" name="to" error={shown} />
          </label>
        )}
        <label>
          Quantity {kind === 'adjustment' ? '(negative to remove)' : kind === 'write_off' ? '(negative)' : ''}
          <input name="qty" type="number" step="1" inputMode="numeric" {...aria('qty')} />
          <FieldError id="mv-qty" name="qty" error={shown} />
        </label>
        {kind === 'receipt' && (
          <label>
            Unit cost (optional)
            <input name="unitCost" type="number" step="0.01" min="0" {...aria('unitCost')} />
            <FieldError id="mv-unitCost" name="unitCost" error={shown} />
          </label>
        )}
        <label>
          Reason (optional)
          <input name="reason" maxLength={500} {...aria('reason')} />
          <FieldError id="mv-reason" name="reason" error={shown} />
        </label>
        {general && <p className="err" role="alert">{general}</p>}
        <p className="ok" role="status">{done}</p>
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Record'}</button>
      </form>
    </section>
  );
}
