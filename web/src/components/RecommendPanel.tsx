import { useState } from 'react';
import { qs, type RecommendedItem } from '../api.ts';
import { fmtInt, fmtMoney, fmtNum } from '../format.ts';
import { Link } from '../router.tsx';
import { useApi } from '../useApi.ts';

interface RatingSummary {
  average: number | null;
  count: number;
  predicted: number | null;
  customer?: { code: string; rating: number | null; predicted: number | null };
  modelId: number | null;
}

/** A compact list of recommended products with their reasons (shared by the product and customer pages). */
export function RecList({ items, empty, testId }: { items: RecommendedItem[] | undefined; empty: string; testId?: string }) {
  if (!items) return <p className="muted">Loading…</p>;
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="rec-list" data-testid={testId}>
      {items.map((r) => (
        <li key={r.productId}>
          <div className="rec-head">
            <Link to={`/products/${encodeURIComponent(r.sku)}`}>{r.name}</Link>
            <span className="muted small">{r.sku} · {fmtMoney(r.price)} · {fmtInt(r.available)} available</span>
          </div>
          <div className="rec-reason small">
            {r.because ? (
              <>
                {r.reason.replace(r.because.name, '')}
                <Link to={`/products/${encodeURIComponent(r.because.sku)}`}>{r.because.name}</Link>
              </>
            ) : (
              r.reason
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** "Frequently bought together / similar" and the rating with Funk-SVD's prediction, for the product page. */
export function RecommendPanel({ sku, locations }: { sku: string; locations: string[] }) {
  const [location, setLocation] = useState('');
  const [customer, setCustomer] = useState('');
  const [asked, setAsked] = useState('');
  const where = { location: location || undefined, limit: 6 };
  const together = useApi<{ items: RecommendedItem[] }>(`/api/recommendations/items/${encodeURIComponent(sku)}${qs({ ...where, kind: 'together' })}`);
  const similar = useApi<{ items: RecommendedItem[] }>(`/api/recommendations/items/${encodeURIComponent(sku)}${qs({ ...where, kind: 'similar' })}`);
  const rating = useApi<RatingSummary>(`/api/recommendations/ratings/${encodeURIComponent(sku)}${qs({ customer: asked || undefined })}`);
  return (
    <section className="card" aria-labelledby="recs" data-testid="recommend-panel">
      <div className="page-head">
        <h2 id="recs">Frequently bought together · similar</h2>
        <label className="small">
          In stock at{' '}
          <select value={location} onChange={(e) => setLocation(e.target.value)}>
            <option value="">any location</option>
            {locations.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
      </div>
      {(together.error || similar.error) && <p className="err" role="alert">{(together.error ?? similar.error)!.message}</p>}
      <div className="grid2 rec-grid">
        <div>
          <h3>Frequently bought together</h3>
          <RecList items={together.data?.items} empty="No orders with this product and another in stock yet." testId="rec-together" />
        </div>
        <div>
          <h3>Similar</h3>
          <RecList items={similar.data?.items} empty="Nothing similar in stock." testId="rec-similar" />
        </div>
      </div>
      <div className="rec-rating" data-testid="rec-rating">
        <h3>Rating</h3>
        {rating.error && <p className="err" role="alert">{rating.error.message}</p>}
        {rating.data && (
          <p>
            {rating.data.count > 0 ? <>Average <strong>{fmtNum(rating.data.average)}</strong> of {fmtInt(rating.data.count)} ratings. </> : 'No ratings yet. '}
            {rating.data.predicted !== null ? <>Predicted for a typical customer: <strong>{fmtNum(rating.data.predicted)}</strong> (Funk-SVD, model {rating.data.modelId}).</> : <span className="muted">Predictions appear once the store has ratings and the model is retrained.</span>}
            {rating.data.customer && (
              <> For {rating.data.customer.code}: {rating.data.customer.rating !== null ? <>rated <strong>{fmtNum(rating.data.customer.rating)}</strong></> : rating.data.customer.predicted !== null ? <>predicted <strong>{fmtNum(rating.data.customer.predicted)}</strong></> : 'no prediction'}.</>
            )}
          </p>
        )}
        <form className="rec-inline" onSubmit={(e) => { e.preventDefault(); setAsked(customer.trim()); }}>
          <label className="small">Predict for customer <input value={customer} onChange={(e) => setCustomer(e.target.value)} placeholder="code" size={10} /></label>
          <button type="submit" className="secondary small">Predict</button>
        </form>
      </div>
    </section>
  );
}
