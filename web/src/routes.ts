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
  /** Lowest role that may open the page (admin ⊃ manager ⊃ staff ⊃ kiosk). */
  role: Role;
  /** Loads the page's chunk (called early for the first URL, so it downloads while the session is checked). */
  load: () => Promise<PageModule>;
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

function route(path: string, role: Role, load: () => Promise<PageModule>, nav?: string): RouteDef {
  return { path, role, nav, load, page: lazy(load) };
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
  route('/reports', 'staff', () => import('./pages/ReportsPage.tsx'), 'Reports'),
  route('/users', 'admin', () => import('./pages/UsersPage.tsx'), 'Users'),
  route('/settings', 'staff', () => import('./pages/SettingsPage.tsx'), 'Settings'),
];
