import { useEffect, useState } from 'react';
import { qs } from '../api.ts';
import { navigate, useLocation } from '../router.tsx';
import { ProductTile } from './ProductTile.tsx';
import { useCustomer, useShopApi, type Facets, type RecItem, type ShopCard } from './shop-api.ts';

const KEYS = ['q', 'category', 'gender', 'size', 'colour', 'minPrice', 'maxPrice', 'inStock', 'sort', 'page'] as const;

/** Browse: search and filters in the URL (linkable), a grid of styles, recommendations on the first page. */
export function CatalogView() {
  const { search } = useLocation();
  const f = Object.fromEntries(KEYS.map((k) => [k, search.get(k) ?? ''])) as Record<(typeof KEYS)[number], string>;
  const page = Math.max(1, Number(f.page || 1));
  const [wide] = useState(() => window.matchMedia('(min-width: 1000px)').matches); // filters folded on phones
  const list = useShopApi<{ items: ShopCard[]; total: number; totalCapped: boolean; hasMore: boolean; pageSize: number }>(`/api/shop/products${qs({ ...f, page, pageSize: 24 })}`);
  const facets = useShopApi<Facets>('/api/shop/facets');
  const me = useCustomer();
  const filtered = KEYS.some((k) => k !== 'page' && k !== 'sort' && f[k]);
  const recs = useShopApi<{ basis: string; items: RecItem[] }>(!filtered && page === 1 && me !== undefined ? `/api/shop/recommendations?limit=8&_=${me?.id ?? 0}` : null);
  const set = (patch: Partial<Record<(typeof KEYS)[number], string>>) => navigate(`/shop${qs({ ...f, page: '', ...patch })}`);
  useEffect(() => {
    document.title = f.q ? `“${f.q}” · Shelfwise shop` : 'Shelfwise shop';
  }, [f.q]);
  const total = list.data?.total ?? 0;
  const hasMore = list.data?.hasMore ?? false;
  const countText = list.data ? `${total.toLocaleString('en-GB')}${list.data.totalCapped ? '+' : ''} styles` : 'Loading…';
  const opt = (xs: { value: string; n: number }[] | undefined) => xs?.map((x) => <option key={x.value} value={x.value}>{x.value} ({x.n})</option>);
  return (
    <div className="shop-browse">
      <details className="shop-filters" open={wide}>
        <summary>Filters</summary>
        <form onSubmit={(e) => e.preventDefault()} aria-label="Filters">
          <label>Category<select value={f.category} onChange={(e) => set({ category: e.target.value })}><option value="">All</option>{opt(facets.data?.categories)}</select></label>
          <label>For<select value={f.gender} onChange={(e) => set({ gender: e.target.value })}><option value="">Everyone</option>{opt(facets.data?.genders)}</select></label>
          <label>Size<select value={f.size} onChange={(e) => set({ size: e.target.value })}><option value="">Any</option>{opt(facets.data?.sizes)}</select></label>
          <label>Colour<select value={f.colour} onChange={(e) => set({ colour: e.target.value })}><option value="">Any</option>{opt(facets.data?.colours)}</select></label>
          <label>Min £<input type="number" min={0} inputMode="decimal" defaultValue={f.minPrice} onBlur={(e) => set({ minPrice: e.target.value })} /></label>
          <label>Max £<input type="number" min={0} inputMode="decimal" defaultValue={f.maxPrice} onBlur={(e) => set({ maxPrice: e.target.value })} /></label>
          <label className="shop-check"><input type="checkbox" checked={f.inStock === 'true'} onChange={(e) => set({ inStock: e.target.checked ? 'true' : '' })} /> In stock only</label>
          <label>Sort<select value={f.sort} onChange={(e) => set({ sort: e.target.value })}>
            <option value="">Relevance</option><option value="price_asc">Price: low to high</option><option value="price_desc">Price: high to low</option><option value="newest">Newest</option><option value="name">Name</option>
          </select></label>
          {filtered && <button type="button" className="shop-link-button" onClick={() => navigate('/shop')}>Clear all</button>}
        </form>
      </details>
      <section className="shop-results" aria-labelledby="shop-results-h">
        {recs.data && recs.data.items.length > 0 && (
          <section className="shop-recs" aria-labelledby="shop-recs-h">
            <h2 id="shop-recs-h">{recs.data.basis === 'customer' ? 'Picked for you' : 'Popular right now'}</h2>
            <ul className="shop-row">{recs.data.items.map((r) => <ProductTile key={r.sku} {...r} note={r.reason} />)}</ul>
          </section>
        )}
        <h1 id="shop-results-h" className="shop-h1">{f.q ? `Results for “${f.q}”` : 'All products'} <span className="shop-count" aria-live="polite">{countText}</span></h1>
        {list.error && <p className="shop-error" role="alert">{list.error}</p>}
        <ul className="shop-grid">{list.data?.items.map((p) => <ProductTile key={p.style} {...p} />)}</ul>
        {list.data && list.data.items.length === 0 && <p className="shop-empty">Nothing matches. Try fewer filters.</p>}
        {(page > 1 || hasMore) && (
          <nav className="shop-pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => set({ page: String(page - 1) })}>Previous</button>
            <span>Page {page}</span>
            <button type="button" disabled={!hasMore} onClick={() => set({ page: String(page + 1) })}>Next</button>
          </nav>
        )}
      </section>
    </div>
  );
}
