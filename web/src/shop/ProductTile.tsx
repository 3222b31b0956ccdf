import { Link } from '../router.tsx';
import { money, swatch } from './shop-api.ts';

/** A product card: colour tile (the catalog has no photos), name, price (struck list price when on sale), stock. */
export function ProductTile(p: { sku: string; name: string; category: string; colour: string | null; price: number; listPrice: number; onSale: boolean; available: number; sizes?: string[]; note?: string; currency?: string }) {
  return (
    <li className="shop-card">
      <Link to={`/shop/p/${encodeURIComponent(p.sku)}`} className="shop-card-link">
        <span className="shop-tile" style={{ background: swatch(p.colour) }} aria-hidden="true">{p.category.slice(0, 1)}</span>
        <span className="shop-card-name">{p.name}</span>
        <span className="shop-price">
          {p.onSale && <s>{money(p.listPrice, p.currency)}</s>} <strong className={p.onSale ? 'shop-sale' : ''}>{money(p.price, p.currency)}</strong>
        </span>
        <span className={`shop-stock ${p.available > 0 ? 'in' : 'out'}`}>{p.available > 0 ? (p.available <= 3 ? `Only ${p.available} left` : 'In stock') : 'Out of stock'}</span>
        {p.sizes && p.sizes.length > 0 && <span className="shop-sizes">In stock: {p.sizes.join(' · ')}</span>}
        {p.note && <span className="shop-why">{p.note}</span>}
      </Link>
    </li>
  );
}
