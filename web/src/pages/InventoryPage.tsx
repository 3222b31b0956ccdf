import { useEffect, useMemo, useState } from 'react';
import { api, qs, type InventoryRow, type Location, type Paged } from '../api.ts';
import { Sparkline } from '../components/Sparkline.tsx';
import { fmtDate, fmtInt } from '../format.ts';
import { Link, navigate, useLocation, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';

const FILTERS = ['q', 'category', 'location', 'status', 'alert', 'sort'] as const;
const COLUMNS: { key: string; label: string; sort?: string; num?: boolean }[] = [
  { key: 'sku', label: 'SKU', sort: 'sku' },
  { key: 'name', label: 'Name', sort: 'name' },
  { key: 'category', label: 'Category', sort: 'category' },
  { key: 'location', label: 'Location', sort: 'location' },
  { key: 'onHand', label: 'On hand', sort: 'on_hand', num: true },
  { key: 'reserved', label: 'Reserved', sort: 'reserved', num: true },
  { key: 'available', label: 'Available', sort: 'available', num: true },
  { key: 'lowThreshold', label: 'Threshold', sort: 'threshold', num: true },
  { key: 'spark', label: 'Sales, 8 wk' },
  { key: 'lastMovementAt', label: 'Last movement', sort: 'last_movement_at' },
];

export default function InventoryPage() {
  useTitle('Inventory');
  const { search } = useLocation();
  const f = Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const pageSize = [25, 50, 100, 200].includes(Number(search.get('pageSize'))) ? Number(search.get('pageSize')) : 50;
  const filterQs = qs({ q: f.q, category: f.category, location: f.location, status: f.status, alert: f.alert, sort: f.sort });
  const inv = useApi<Paged<InventoryRow>>(`/api/inventory${qs({ q: f.q, category: f.category, location: f.location, status: f.status, alert: f.alert, sort: f.sort, page, pageSize })}`, { live: true });
  const locations = useApi<{ items: Location[] }>('/api/locations');
  const categories = useApi<{ items: { category: string; products: number }[] }>('/api/dashboard/categories');
  const [text, setText] = useState(f.q);
  const [sparks, setSparks] = useState<Record<string, number[]>>({});

  function set(changes: Record<string, string | number>) {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === '' || v === undefined) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page');
    const s = next.toString();
    navigate(`/inventory${s ? `?${s}` : ''}`, { replace: 'q' in changes });
    if ('page' in changes || 'pageSize' in changes) window.scrollTo({ top: 0 });
  }
  // Search as you type, debounced; the URL carries the state.
  useEffect(() => {
    if (text === f.q) return;
    const t = setTimeout(() => set({ q: text.trim() }), 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  useEffect(() => setText((t) => (t.trim() === f.q ? t : f.q)), [f.q]);

  const rows = inv.data?.items ?? [];
  // For the browser test's first-meaningful-paint figure: the first time rows are on screen.
  useEffect(() => {
    if (inv.data && performance.getEntriesByName('sw:inventory-rows').length === 0) requestAnimationFrame(() => performance.mark('sw:inventory-rows'));
  }, [inv.data]);
  const keys = useMemo(() => rows.map((r) => `${r.sku}@${r.location}`), [rows]);
  useEffect(() => {
    if (keys.length === 0) return;
    const ac = new AbortController();
    api<{ series: Record<string, number[]> }>(`/api/dashboard/sparklines${qs({ items: keys.join(','), weeks: 8 })}`, { signal: ac.signal })
      .then((r) => setSparks((s) => ({ ...s, ...r.series })))
      .catch(() => undefined);
    return () => ac.abort();
  }, [keys]);

  const total = inv.data?.total ?? 0;
  const exact = inv.data?.totalExact !== false;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const hasNext = exact ? page < pages : rows.length === pageSize;
  const filtered = Boolean(f.q || f.category || f.location || f.status || f.alert);
  const count = exact ? `${fmtInt(total)} items · page ${page} of ${fmtInt(pages)}` : `${filtered ? 'more than' : 'about'} ${fmtInt(filtered ? total - 1 : total)} items · page ${page}`;
  const sortKey = f.sort.replace(/^-/, '');
  const desc = f.sort.startsWith('-');
  const toggleSort = (s: string) => set({ sort: sortKey === s && !desc ? `-${s}` : s });

  return (
    <>
      <div className="page-head">
        <h1>Inventory</h1>
        <a className="button secondary" href={`/api/dashboard/inventory.csv${filterQs}`} download="inventory.csv" data-testid="export-csv">
          Export CSV
        </a>
        <a className="button secondary" href={`/api/dashboard/inventory.xlsx${filterQs}`} download="inventory.xlsx" data-testid="export-xlsx">
          Export XLSX
        </a>
      </div>
      <form className="filters card" role="search" onSubmit={(e) => { e.preventDefault(); set({ q: text.trim() }); }}>
        <label>
          Search
          <input type="search" name="q" value={text} onChange={(e) => setText(e.target.value)} placeholder="SKU, name or barcode" />
        </label>
        <label>
          Category
          <select value={f.category} onChange={(e) => set({ category: e.target.value })}>
            <option value="">All</option>
            {categories.data?.items.map((c) => (
              <option key={c.category} value={c.category}>{c.category || '(none)'} ({c.products})</option>
            ))}
          </select>
        </label>
        <label>
          Location
          <select value={f.location} onChange={(e) => set({ location: e.target.value })}>
            <option value="">All</option>
            {locations.data?.items.map((l) => (
              <option key={l.code} value={l.code}>{l.code} — {l.name}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={f.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">All</option>
            <option value="active">Active</option>
            <option value="discontinued">Discontinued</option>
          </select>
        </label>
        <label>
          Alert
          <select value={f.alert} onChange={(e) => set({ alert: e.target.value })}>
            <option value="">Any</option>
            <option value="low">Below threshold</option>
            <option value="out">Out of stock</option>
            <option value="negative">Negative on hand</option>
          </select>
        </label>
      </form>
      {inv.error && <p className="err" role="alert">{inv.error.message}</p>}
      <div className="card table-card">
        <div className="table-scroll">
          <table className="data" aria-busy={inv.loading} aria-describedby="inv-count">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} className={c.num ? 'num' : undefined} aria-sort={c.sort && sortKey === c.sort ? (desc ? 'descending' : 'ascending') : undefined} scope="col">
                    {c.sort ? (
                      <button type="button" className="sort" onClick={() => toggleSort(c.sort!)}>
                        {c.label}
                        <span aria-hidden="true">{sortKey === c.sort ? (desc ? ' ▼' : ' ▲') : ''}</span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const low = r.lowThreshold !== null && r.available < r.lowThreshold;
                return (
                  <tr key={`${r.sku}@${r.location}`} className={r.available <= 0 ? 'out' : low ? 'low' : undefined}>
                    <td className="sku"><Link to={`/products/${encodeURIComponent(r.sku)}`}>{r.sku}</Link></td>
                    <td className="name">{r.name}{r.status === 'discontinued' && <span className="tag">discontinued</span>}</td>
                    <td>{r.category}</td>
                    <td>{r.location}</td>
                    <td className="num">{fmtInt(r.onHand)}</td>
                    <td className="num">{fmtInt(r.reserved)}</td>
                    <td className="num">{fmtInt(r.available)}{low && <span className="sr-only"> (below threshold)</span>}</td>
                    <td className="num">{fmtInt(r.lowThreshold)}</td>
                    <td><Sparkline values={sparks[`${r.sku}@${r.location}`]} /></td>
                    <td className="nowrap">{fmtDate(r.lastMovementAt)}</td>
                  </tr>
                );
              })}
              {!inv.loading && rows.length === 0 && (
                <tr>
                  <td colSpan={COLUMNS.length} className="empty">No items match.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <div className="pager">
          <span id="inv-count" aria-live="polite">
            {inv.data ? count : 'Loading…'}
          </span>
          <span className="spacer" />
          <label className="inline">
            Rows
            <select value={pageSize} onChange={(e) => set({ pageSize: e.target.value })}>
              {[25, 50, 100, 200].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => set({ page: 1 })} aria-label="First page">«</button>
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => set({ page: page - 1 })}>Previous</button>
          <button type="button" className="secondary" disabled={!hasNext} onClick={() => set({ page: page + 1 })}>Next</button>
          <button type="button" className="secondary" disabled={!exact || page >= pages} onClick={() => set({ page: pages })} aria-label="Last page">»</button>
        </div>
      </div>
    </>
  );
}
