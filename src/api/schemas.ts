import { z } from '@hono/zod-openapi';
import { INVENTORY_SORTS } from '../services/stock-query.service.ts';

/** zod schemas of request bodies, shared by routes and the CLI importers. */
export const Sku = z.string().trim().min(1).max(64).regex(/^[^\s,;]+$/, 'no spaces, commas or semicolons');
export const Code = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
export const Money = z.number().finite().min(0).max(1e9);
export const Qty = z.number().int().refine((n) => n !== 0, 'must not be zero').refine((n) => Math.abs(n) <= 1e7, 'too large');
export const PositiveQty = z.number().int().positive().max(1e7);
export const GenderEnum = z.enum(['men', 'women', 'unisex', 'boys', 'girls']);
export const RoleEnum = z.enum(['admin', 'manager', 'staff', 'kiosk']);

export const ProductBody = z
  .object({
    sku: Sku,
    name: z.string().trim().min(1).max(300),
    barcode: z.string().trim().min(1).max(64).nullish(),
    category: z.string().trim().max(100).optional(),
    subcategory: z.string().trim().max(100).nullish(),
    articleType: z.string().trim().max(100).nullish(),
    brand: z.string().trim().max(100).nullish(),
    styleCode: z.string().trim().max(64).nullish(),
    gender: GenderEnum.nullish(),
    ageGroup: z.string().trim().max(32).nullish(),
    season: z.string().trim().max(32).nullish(),
    colour: z.string().trim().max(64).nullish(),
    size: z.string().trim().max(32).nullish(),
    usage: z.string().trim().max(64).nullish(),
    price: Money.optional(),
    cost: Money.optional(),
    status: z.enum(['active', 'discontinued']).optional(),
    defaultSupplier: Code.nullish(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .openapi('Product');

export const ProductPatch = ProductBody.omit({ sku: true }).partial().strict().openapi('ProductPatch');

export const MovementBody = z
  .object({
    occurredAt: z.coerce.date().optional(),
    lines: z
      .array(
        z.object({
          sku: Sku,
          location: Code,
          kind: z.enum(['receipt', 'adjustment', 'write_off']),
          qty: Qty,
          unitCost: Money.optional(),
          reason: z.string().max(500).optional(),
        }).strict(),
      )
      .min(1)
      .max(5000),
  })
  .strict()
  .openapi('Movements');

export const SaleBody = z
  .object({
    location: Code,
    customer: z.string().trim().min(1).max(64).optional(),
    orderRef: z.string().trim().min(1).max(64).optional(),
    channel: z.enum(['pos', 'online', 'storefront', 'api', 'import']).optional(),
    occurredAt: z.coerce.date().optional(),
    lines: z.array(z.object({ sku: Sku, qty: PositiveQty, unitPrice: Money.optional() }).strict()).min(1).max(1000),
  })
  .strict()
  .openapi('Sale');

/** Filters and sort of the inventory view (GET /api/inventory and its CSV/XLSX exports). */
export const InventoryFilters = {
  q: z.string().max(100).optional(),
  category: z.string().max(100).optional(),
  location: Code.optional(),
  status: z.enum(['active', 'discontinued']).optional(),
  alert: z.enum(['low', 'out', 'negative']).optional(),
  sort: z
    .string()
    .regex(new RegExp(`^-?(${INVENTORY_SORTS.join('|')})$`), `one of ${INVENTORY_SORTS.join(', ')}, optionally prefixed with -`)
    .optional(),
};
