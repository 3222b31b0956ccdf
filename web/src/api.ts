/** The one way the dashboard talks to the server: JSON in, JSON out, errors as ApiError {status, message, field}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when any request answers 401 (the session ended): the app shows the login page. */
export function onUnauthorized(fn: Listener) {
  unauthorizedListeners.add(fn);
  return () => void unauthorizedListeners.delete(fn);
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const r = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await r.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text };
  }
  if (!r.ok) {
    const b = (body ?? {}) as { error?: string; field?: string; detail?: unknown };
    if (r.status === 401 && !path.startsWith('/api/auth/login')) unauthorizedListeners.forEach((f) => f());
    throw new ApiError(r.status, b.error ?? r.statusText ?? `HTTP ${r.status}`, b.field, b.detail);
  }
  return body as T;
}

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export type Role = 'admin' | 'manager' | 'staff' | 'kiosk';
export const roleRank: Record<Role, number> = { kiosk: 0, staff: 1, manager: 2, admin: 3 };
export interface Me {
  id: number;
  email: string;
  role: Role;
}

export interface InventoryRow {
  sku: string;
  name: string;
  category: string;
  status: 'active' | 'discontinued';
  location: string;
  onHand: number;
  reserved: number;
  available: number;
  lowThreshold: number | null;
  lastMovementAt: string | null;
  lastSaleAt: string | null;
}
export interface Paged<T> {
  items: T[];
  total: number;
  /** false when total is an estimate (large listings count exactly only up to a bound). */
  totalExact?: boolean;
  page: number;
  pageSize: number;
}
export interface Keyset<T> {
  items: T[];
  next: number | null;
}
export interface Location {
  id: number;
  code: string;
  name: string;
  kind: string;
}
export interface Movement {
  id: number;
  sku: string;
  location: string;
  kind: string;
  qty: number;
  balanceAfter: number;
  unitCost: number | null;
  unitPrice: number | null;
  reason: string | null;
  saleId: number | null;
  reversesId: number | null;
  actor: string;
  occurredAt: string;
}
export interface Alert {
  id: number;
  kind: string;
  severity: string;
  sku: string | null;
  location: string | null;
  message: string;
  createdAt: string;
  acknowledgedAt: string | null;
}
export interface Anchor {
  today: string;
  historical: boolean;
  latestSaleAt: string | null;
}
