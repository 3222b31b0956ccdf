import { useEffect, useState } from 'react';
import { qs, type Paged } from '../api.ts';
import { fmtInt, fmtMoney } from '../format.ts';
import { Link, navigate, useLocation, useTitle } from '../router.tsx';
import { useApi } from '../useApi.ts';

interface ProductRow {
  sku: string;
  name: string;
  category: string;
  subcategory: string | null;
  colour: string | null;
  size: string | null;
  price: number;
  cost: number;
  status: string;
}

export default function ProductsPage() {
  useTitle('Products');
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const [text, setText] = useState(q);
  const list = useApi<Paged<ProductRow>>(`/api/products${qs({ q, page, pageSize: 50 })}`);
  useEffect(() => {
    if (text.trim() === q) return;
    const t = setTimeout(() => navigate(`/products${qs({ q: text.trim() })}`, { replace: true }), 250);
    return () => clearTimeout(t);
  }, [text, q]);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / 50));
  return (
    <>
      <h1>Products</h1>
      <form className="filters card" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="SKU, name or barcode" />
        </label>
      </form>
      {list.error && <p className="err" role="alert">{list.error.message}</p>}
      <div className="card table-card">
        <table className="data" aria-busy={list.loading}>
          <thead>
            <tr><th scope="col">SKU</th><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Colour / size</th><th className="num" scope="col">Price</th><th className="num" scope="col">Cost</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {list.data?.items.map((p) => (
              <tr key={p.sku}>
                <td><Link to={`/products/${encodeURIComponent(p.sku)}`}>{p.sku}</Link></td>
                <td className="name">{p.name}</td>
                <td>{[p.category, p.subcategory].filter(Boolean).join(' › ')}</td>
                <td>{[p.colour, p.size].filter(Boolean).join(' / ')}</td>
                <td className="num">{fmtMoney(p.price)}</td>
                <td className="num">{fmtMoney(p.cost)}</td>
                <td>{p.status}</td>
              </tr>
            ))}
            {list.data && list.data.items.length === 0 && <tr><td colSpan={7} className="empty">No products match.</td></tr>}
          </tbody>
        </table>
        <div className="pager">
          <span aria-live="polite">{list.data ? `${fmtInt(total)} products · page ${page} of ${fmtInt(pages)}` : 'Loading…'}</span>
          <span className="spacer" />
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => navigate(`/products${qs({ q, page: page - 1 })}`)}>Previous</button>
          <button type="button" className="secondary" disabled={page >= pages} onClick={() => navigate(`/products${qs({ q, page: page + 1 })}`)}>Next</button>
        </div>
      </div>
    </>
  );
}
