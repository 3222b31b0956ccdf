import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from './api.ts';

export interface PageProps {
  params: Record<string, string>;
}
type PageModule = { default: ComponentType<PageProps> };
export interface RouteDef {
  /** URL pattern; ':name' segments become params. */
  path: string;
  /** Label in the side navigation; routes without one are reachable by link only. */
  nav?: string;
  /** Section of the side navigation the label is listed under. */
  group?: NavGroup;
  /** Lowest role that may open the page (admin ⊃ manager ⊃ staff ⊃ kiosk). */
  role: Role;
  /** Loads the page's chunk (called early for the first URL, so it downloads while the session is checked). */
  load: () => Promise<PageModule>;
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

/** Sections of the side navigation, in order: what a store does day to day first. */
export const NAV_GROUPS = ['Store', 'Plan', 'Sell', 'Admin'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

function route(path: string, role: Role, load: () => Promise<PageModule>, nav?: string, group: NavGroup = 'Store'): RouteDef {
  return { path, role, nav, group, load, page: lazy(load) };
}

/**
 * Every page of the dashboard. To add one: write web/src/pages/<Name>Page.tsx with a default export
 * taking PageProps, and add a line here. Pages are split into their own chunks and loaded on first visit.
 */
export const routes: RouteDef[] = [
  route('/', 'staff', () => import('./pages/OverviewPage.tsx'), 'Overview'),
  route('/inventory', 'staff', () => import('./pages/InventoryPage.tsx'), 'Inventory'),
  route('/alerts', 'staff', () => import('./pages/AlertsPage.tsx'), 'Alerts'),
  route('/products', 'staff', () => import('./pages/ProductsPage.tsx'), 'Products'),
  route('/products/:sku', 'staff', () => import('./pages/ProductPage.tsx')),
  route('/reports', 'staff', () => import('./pages/ReportsPage.tsx'), 'Reports', 'Plan'),
  route('/replenishment', 'manager', () => import('./pages/ReplenishmentPage.tsx'), 'Replenishment', 'Plan'),
  route('/purchase-orders', 'staff', () => import('./pages/PurchaseOrdersPage.tsx'), 'Purchase orders', 'Plan'),
  route('/purchase-orders/:id', 'staff', () => import('./pages/PurchaseOrderPage.tsx')),
  route('/waste', 'staff', () => import('./pages/WastePage.tsx'), 'Waste & markdowns', 'Plan'),
  route('/promotions', 'staff', () => import('./pages/PromotionsPage.tsx'), 'Promotions', 'Plan'),
  route('/customers', 'staff', () => import('./pages/CustomersPage.tsx'), 'Customers', 'Sell'),
  route('/customers/:id', 'staff', () => import('./pages/CustomerPage.tsx')),
  route('/demographics', 'manager', () => import('./pages/DemographicsPage.tsx'), 'Demographics', 'Sell'),
  route('/placement', 'manager', () => import('./pages/PlacementPage.tsx'), 'Placement', 'Plan'),
  route('/orders', 'staff', () => import('./pages/OrdersPage.tsx'), 'Shop orders', 'Sell'),
  route('/orders/:id', 'staff', () => import('./pages/OrderPage.tsx')),
  route('/integrations', 'admin', () => import('./pages/IntegrationsPage.tsx'), 'Integrations', 'Admin'),
  route('/import', 'manager', () => import('./pages/ImportPage.tsx'), 'Import', 'Admin'),
  route('/jobs', 'manager', () => import('./pages/JobsPage.tsx'), 'Jobs', 'Admin'),
  route('/receiving', 'staff', () => import('./pages/ReceivingPage.tsx'), 'Receiving'),
  route('/supplier-quality', 'manager', () => import('./pages/SupplierQualityPage.tsx'), 'Supplier quality', 'Admin'),
  route('/users', 'admin', () => import('./pages/UsersPage.tsx'), 'Users', 'Admin'),
  route('/settings', 'staff', () => import('./pages/SettingsPage.tsx'), 'Settings', 'Admin'),
];
