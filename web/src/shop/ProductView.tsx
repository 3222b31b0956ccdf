import { useEffect, useState } from 'react';
import { Link } from '../router.tsx';
import { ProductTile } from './ProductTile.tsx';
import { money, swatch, useCart, useShopApi, type RecItem, type ShopProduct } from './shop-api.ts';

const STATUS = { in_stock: 'In stock', low: 'Low stock', out: 'Sold out' } as const;

/** A product page: every size of the style with its own stock, add to cart, similar items. */
export function ProductView({ sku }: { sku: string }) {
  const p = useShopApi<ShopProduct>(`/api/shop/products/${encodeURIComponent(sku)}`);
  const recs = useShopApi<{ items: RecItem[] }>(`/api/shop/recommendations?sku=${encodeURIComponent(sku)}&limit=8`);
  const cart = useCart();
  const [chosen, setChosen] = useState(sku);
  const [added, setAdded] = useState('');
  useEffect(() => {
    setChosen(sku);
    setAdded('');
  }, [sku]);
  useEffect(() => {
    if (p.data) document.title = `${p.data.name} · Shelfwise shop`;
  }, [p.data]);
  if (p.error) return <div className="shop-panel"><h1>Not found</h1><p className="shop-error" role="alert">{p.error}</p><Link to="/shop">Back to the shop</Link></div>;
  if (!p.data) return <p className="shop-loading" aria-busy="true">Loading…</p>;
  const d = p.data;
  const v = d.variants.find((x) => x.sku === chosen) ?? d.variants[0];
  const sized = d.variants.some((x) => x.size);
  const add = () => {
    const inCart = cart.lines.find((l) => l.sku === v.sku)?.qty ?? 0;
    if (inCart >= v.available) return setAdded(`Only ${v.available} available: all of them are in your cart.`);
    cart.add({ sku: v.sku, name: d.name, size: v.size, price: v.price });
    setAdded(`Added to your cart${v.size ? ` (size ${v.size})` : ''}.`);
  };
  return (
    <article className="shop-product">
      <p className="shop-crumbs"><Link to="/shop">Shop</Link> › <Link to={`/shop?category=${encodeURIComponent(d.category)}`}>{d.category}</Link>{d.subcategory && <> › <Link to={`/shop?category=${encodeURIComponent(d.subcategory)}`}>{d.subcategory}</Link></>}</p>
      <div className="shop-product-grid">
        <div className="shop-hero" style={{ background: swatch(d.colour) }} aria-hidden="true">{(d.articleType ?? d.category).slice(0, 1)}</div>
        <div className="shop-buy">
          <h1>{d.name}</h1>
          <p className="shop-price shop-price-big">
            {v.onSale && <s>{money(v.listPrice)}</s>} <strong className={v.onSale ? 'shop-sale' : ''}>{money(v.price)}</strong>
            {v.onSale && <span className="shop-sale-tag">Sale</span>}
          </p>
          {sized && (
            <fieldset className="shop-sizes-pick">
              <legend>Size</legend>
              {d.variants.map((x) => (
                <label key={x.sku} className={`shop-size ${x.status}`}>
                  <input type="radio" name="size" value={x.sku} checked={x.sku === v.sku} onChange={() => setChosen(x.sku)} />
                  <span>{x.size ?? x.sku}</span>
                  <small>{STATUS[x.status]}</small>
                </label>
              ))}
            </fieldset>
          )}
          <p className={`shop-stock ${v.available > 0 ? 'in' : 'out'}`} aria-live="polite">
            {v.available > 0 ? (v.available <= 3 ? `Only ${v.available} left${v.size ? ` in ${v.size}` : ''}` : 'In stock') : `Sold out${v.size ? ` in ${v.size}` : ''}`}
          </p>
          <button type="button" className="shop-primary" disabled={v.available <= 0} onClick={add}>Add to cart</button>
          <p className="shop-added" role="status">{added}{added.startsWith('Added') && <> <Link to="/shop/cart">View cart</Link></>}</p>
          <dl className="shop-attrs">
            {d.gender && <><dt>For</dt><dd>{d.gender}</dd></>}
            {d.colour && <><dt>Colour</dt><dd>{d.colour}</dd></>}
            {d.articleType && <><dt>Type</dt><dd>{d.articleType}</dd></>}
            {d.season && <><dt>Season</dt><dd>{d.season}</dd></>}
            {d.usage && <><dt>Occasion</dt><dd>{d.usage}</dd></>}
            <dt>Item</dt><dd>{v.sku}</dd>
          </dl>
        </div>
      </div>
      {recs.data && recs.data.items.length > 0 && (
        <section className="shop-recs" aria-labelledby="shop-similar-h">
          <h2 id="shop-similar-h">You may also like</h2>
          <ul className="shop-row">{recs.data.items.map((r) => <ProductTile key={r.sku} {...r} />)}</ul>
        </section>
      )}
    </article>
  );
}
