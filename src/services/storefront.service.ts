import { loadConfig, type ShopConfig } from '../config/config.ts';
import type { AppServices } from './index.ts';
import { CheckoutService } from './checkout.service.ts';
import { CustomerAuthService } from './customer-auth.service.ts';
import { OrdersService } from './orders.service.ts';
import { InStoreProvider, type PaymentProvider } from './payments/provider.ts';
import { StripeProvider, type StripeSettings } from './payments/stripe.provider.ts';
import { ShopCatalogService } from './shop-catalog.service.ts';

/** The storefront's services over one app: catalog for shoppers, accounts, checkout, orders. */
export interface Storefront {
  catalog: ShopCatalogService;
  customers: CustomerAuthService;
  checkout: CheckoutService;
  orders: OrdersService;
  /** The shop's selling location (resolved lazily: SHOP_LOCATION, else the first warehouse, else the first location). */
  locationId(): Promise<number>;
}

export interface StorefrontOptions {
  location?: string;
  currency?: string;
  reservationMinutes?: number;
  stripe?: StripeSettings;
  /** Extra or replacement providers (tests). */
  providers?: PaymentProvider[];
}

const cache = new WeakMap<AppServices, Storefront>();

export function createStorefront(services: AppServices, opts: StorefrontOptions): Storefront {
  const { db } = services.database;
  const providers = new Map<string, PaymentProvider>();
  providers.set('in_store', new InStoreProvider());
  if (opts.stripe) providers.set('stripe', new StripeProvider(opts.stripe));
  for (const p of opts.providers ?? []) providers.set(p.name, p);
  const settings = { locationCode: opts.location ?? '', currency: opts.currency ?? 'GBP', reservationMinutes: opts.reservationMinutes ?? 15 };
  const checkout = new CheckoutService(db, services.inventory, providers, settings);
  const locationId = async () => (await checkout.shopLocation()).id;
  const s: Storefront = { catalog: new ShopCatalogService(db), customers: new CustomerAuthService(db), checkout, orders: new OrdersService(db), locationId };
  cache.set(services, s);
  return s;
}

/** One storefront per app, configured from the environment on first use (tests call createStorefront first). */
export function storefrontOf(services: AppServices): Storefront {
  const hit = cache.get(services);
  if (hit) return hit;
  const shop: ShopConfig = loadConfig().shop;
  return createStorefront(services, {
    location: shop.location,
    currency: shop.currency,
    reservationMinutes: shop.reservationMinutes,
    stripe: shop.stripe ? { secretKey: shop.stripe.secretKey, webhookSecret: shop.stripe.webhookSecret, publishableKey: shop.stripe.publishableKey, ...apiBase(shop.stripe.apiBase) } : undefined,
  });
}

function apiBase(url: string | undefined): Pick<StripeSettings, 'host' | 'port' | 'protocol'> {
  if (!url) return {};
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol };
}
