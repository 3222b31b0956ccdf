import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { api } from '../api.ts';

/** Shop data shapes (server: src/api/routes/storefront.routes.ts) and the cart, kept in localStorage. */
export interface ShopCard {
  sku: string;
  style: string;
  name: string;
  category: string;
  subcategory: string | null;
  gender: string | null;
  colour: string | null;
  brand: string | null;
  sizes: string[];
  listPrice: number;
  price: number;
  onSale: boolean;
  available: number;
}
export interface Variant { sku: string; size: string | null; colour: string | null; available: number; status: 'in_stock' | 'low' | 'out'; listPrice: number; price: number; onSale: boolean }
export interface ShopProduct extends Omit<ShopCard, 'sizes'> {
  articleType: string | null;
  season: string | null;
  usage: string | null;
  size: string | null;
  variants: Variant[];
}
export interface RecItem { sku: string; name: string; category: string; colour: string | null; available: number; reason: string; listPrice: number; price: number; onSale: boolean }
export interface Facets {
  categories: { value: string; n: number }[];
  genders: { value: string; n: number }[];
  colours: { value: string; n: number }[];
  sizes: { value: string; n: number }[];
  price: { min: number; max: number };
}
export interface ShopConfig { currency: string; reservationMinutes: number; providers: { name: string; label: string; publishableKey?: string }[] }
export interface Customer { id: number; email: string; name: string | null }
export interface ShopOrder {
  id: number;
  ref: string;
  name: string;
  email: string;
  address: string | null;
  status: string;
  paymentProvider: string;
  paymentStatus: string;
  currency: string;
  subtotal: number;
  total: number;
  refundedTotal: number;
  createdAt: string;
  expiresAt: string;
  lines: { line: number; sku: string; name: string; qty: number; listPrice: number; unitPrice: number; refundedQty: number }[];
}

export interface CartLine { sku: string; name: string; size: string | null; price: number; qty: number }

const KEY = 'shelfwise.cart';
const listeners = new Set<() => void>();
let cache: CartLine[] | null = null;
function read(): CartLine[] {
  if (cache) return cache;
  try {
    cache = JSON.parse(localStorage.getItem(KEY) ?? '[]') as CartLine[];
  } catch {
    cache = [];
  }
  return cache;
}
function write(lines: CartLine[]) {
  cache = lines;
  localStorage.setItem(KEY, JSON.stringify(lines));
  listeners.forEach((f) => f());
}
window.addEventListener('storage', (e) => {
  if (e.key === KEY) {
    cache = null;
    listeners.forEach((f) => f());
  }
});

export function useCart() {
  const lines = useSyncExternalStore((f) => (listeners.add(f), () => void listeners.delete(f)), read);
  return {
    lines,
    count: lines.reduce((a, l) => a + l.qty, 0),
    total: Math.round(lines.reduce((a, l) => a + l.qty * l.price, 0) * 100) / 100,
    add(l: Omit<CartLine, 'qty'>, qty = 1) {
      const cur = read();
      const hit = cur.find((x) => x.sku === l.sku);
      write(hit ? cur.map((x) => (x.sku === l.sku ? { ...x, qty: Math.min(20, x.qty + qty) } : x)) : [...cur, { ...l, qty }]);
    },
    setQty(sku: string, qty: number) {
      write(qty <= 0 ? read().filter((x) => x.sku !== sku) : read().map((x) => (x.sku === sku ? { ...x, qty: Math.min(20, qty) } : x)));
    },
    clear: () => write([]),
  };
}

/** The signed-in customer (own session cookie sw_shop), shared by the header and the pages. */
let me: Customer | null | undefined;
const meListeners = new Set<() => void>();
export function setCustomer(c: Customer | null) {
  me = c;
  meListeners.forEach((f) => f());
}
export function useCustomer(): Customer | null | undefined {
  const c = useSyncExternalStore((f) => (meListeners.add(f), () => void meListeners.delete(f)), () => me);
  useEffect(() => {
    if (me === undefined) api<{ customer: Customer | null }>('/api/shop/account').then((r) => setCustomer(r.customer), () => setCustomer(null));
  }, []);
  return c;
}

/** GET with loading/error, for the shop's views. */
export function useShopApi<T>(path: string | null) {
  const [s, set] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return set({ data: null, error: null });
    let live = true;
    api<T>(path).then((data) => live && set({ data, error: null }), (e: Error) => live && set((x) => ({ data: x.data, error: e.message })));
    return () => void (live = false);
  }, [path, tick]);
  return { ...s, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export function money(n: number, currency = 'GBP') {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(n);
}

const SWATCH: Record<string, string> = {
  black: '#222', white: '#f4f4f4', blue: '#2f5fb3', navy: '#1f2d55', 'navy blue': '#1f2d55', red: '#c0392b', green: '#2e8b57', grey: '#888', 'grey melange': '#9a9a9a',
  brown: '#7b4a2a', pink: '#e58fb1', purple: '#6b3fa0', yellow: '#e9c43b', orange: '#e67e22', beige: '#d9c5a0', cream: '#efe6cf', maroon: '#6d1f2b', silver: '#c0c0c0',
  gold: '#c9a640', olive: '#6b7a3a', teal: '#1f7a7a', khaki: '#b4a36b', charcoal: '#3b3b3b', magenta: '#b0307a', peach: '#f2b79a', lavender: '#b7a6d8', 'off white': '#f1eee6',
};
/** A colour for the product tile (the catalog has no photos). */
export function swatch(colour: string | null): string {
  return SWATCH[(colour ?? '').toLowerCase()] ?? '#b9b3a8';
}
