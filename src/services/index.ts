import type { Database } from '../db/connection.ts';
import { AuthService } from './auth.service.ts';
import { CatalogService } from './catalog.service.ts';
import { InventoryService } from './inventory.service.ts';
import { StockQueryService } from './stock-query.service.ts';

/** Every service over one database: built once and shared by the API, the CLI and jobs. */
export interface AppServices {
  database: Database;
  auth: AuthService;
  catalog: CatalogService;
  inventory: InventoryService;
  queries: StockQueryService;
  /** Set by the demo loader while it runs, for /api/health and the dashboard. */
  status: { demo: 'none' | 'loading' | 'loaded' | 'unavailable'; demoProgress?: string };
}

export function createServices(database: Database, opts: { sessionHours?: number } = {}): AppServices {
  const { db } = database;
  return {
    database,
    auth: new AuthService(db, opts.sessionHours),
    catalog: new CatalogService(db),
    inventory: new InventoryService(db),
    queries: new StockQueryService(db),
    status: { demo: 'none' },
  };
}
