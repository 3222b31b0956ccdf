import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { FieldError, fieldOf, messageOf } from './FieldError.tsx';

export interface EditableProduct {
  sku: string;
  name: string;
  category: string;
  barcode: string | null;
  price: number;
  cost: number;
  status: string;
}
const FIELDS = ['name', 'category', 'barcode', 'price', 'cost', 'status'];

/** Edits a product's main fields (PATCH /api/products/{sku}, managers and admins); sends only what changed. */
export function ProductEditForm({ product, onSaved, onClose }: { product: EditableProduct; onSaved: () => void; onClose: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const next: Record<string, unknown> = {
      name: text('name'),
      category: text('category'),
      barcode: text('barcode') || null,
      price: text('price') === '' ? undefined : Number(text('price')),
      cost: text('cost') === '' ? undefined : Number(text('cost')),
      status: text('status'),
    };
    const patch = Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== undefined && v !== (product as unknown as Record<string, unknown>)[k]));
    if (Object.keys(patch).length === 0) return onClose();
    setBusy(true);
    setError(null);
    try {
      await api(`/api/products/${encodeURIComponent(product.sku)}`, { method: 'PATCH', body: patch });
      onSaved();
      onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  }
  const aria = (name: string) => ({ 'aria-invalid': fieldOf(error) === name || undefined, 'aria-describedby': `pe-${name}-error` });
  const general = error && !FIELDS.includes(fieldOf(error) ?? '') ? messageOf(error) : '';
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Edit product">
      <label>Name<input name="name" defaultValue={product.name} {...aria('name')} /><FieldError id="pe-name" name="name" error={error} /></label>
      <label>Category<input name="category" defaultValue={product.category} {...aria('category')} /><FieldError id="pe-category" name="category" error={error} /></label>
      <label>Barcode<input name="barcode" defaultValue={product.barcode ?? ''} {...aria('barcode')} /><FieldError id="pe-barcode" name="barcode" error={error} /></label>
      <label>Price<input name="price" type="number" step="0.01" defaultValue={product.price} {...aria('price')} /><FieldError id="pe-price" name="price" error={error} /></label>
      <label>Unit cost<input name="cost" type="number" step="0.0001" defaultValue={product.cost} {...aria('cost')} /><FieldError id="pe-cost" name="cost" error={error} /></label>
      <label>
        Status
        <select name="status" defaultValue={product.status} {...aria('status')}>
          <option value="active">active</option>
          <option value="discontinued">discontinued</option>
        </select>
        <FieldError id="pe-status" name="status" error={error} />
      </label>
      {general && <p className="err" role="alert">{general}</p>}
      <div className="row">
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
        <button type="button" className="secondary" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}
