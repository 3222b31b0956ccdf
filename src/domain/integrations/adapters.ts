import { z } from 'zod';

/**
 * Incoming events from external shops, turned into one normalized shape (pure functions over parsed JSON).
 *
 * Generic format (POST /api/integrations/incoming/<source> with a Shelfwise-Signature header):
 *   { "id": "evt-1001", "type": "order.created",
 *     "order": { "ref": "1001", "location": "S1", "occurredAt": "2026-11-20T10:00:00Z",
 *                "lines": [{ "sku": "TEE-1", "qty": 2, "unitPrice": 12.5 }] } }
 *   { "id": "evt-1002", "type": "inventory.level",
 *     "level": { "sku": "TEE-1", "location": "S1", "available": 40, "updatedAt": "2026-11-20T10:05:00Z" } }
 * "location" is optional (default: the source's location).
 */
export interface ExternalOrder {
  kind: 'order';
  /** Stable per order: the ledger applies an order once whatever event carries it. */
  orderId: string;
  ref: string;
  location?: string;
  externalLocation?: string;
  occurredAt?: Date;
  lines: { sku: string; qty: number; unitPrice?: number }[];
  /** Lines without a SKU (gift cards, custom items): not stock, skipped. */
  skippedLines: number;
  /** Set when the order should not move stock (unpaid, cancelled): the reason. */
  ignore?: string;
}
export interface ExternalLevel {
  kind: 'level';
  sku?: string;
  externalItem?: string;
  location?: string;
  externalLocation?: string;
  available: number;
  updatedAt?: Date;
}
export type ExternalEvent = ExternalOrder | ExternalLevel;

const Sku = z.string().min(1).max(64);
const GenericOrder = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('order.created'),
  order: z.object({
    ref: z.string().min(1).max(100),
    location: z.string().min(1).max(32).optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    lines: z.array(z.object({ sku: Sku, qty: z.number().int().positive(), unitPrice: z.number().nonnegative().optional() })).min(1).max(1000),
  }),
});
const GenericLevel = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('inventory.level'),
  level: z.object({ sku: Sku, location: z.string().min(1).max(32).optional(), available: z.number().int(), updatedAt: z.iso.datetime({ offset: true }).optional() }),
});
export const GenericEvent = z.discriminatedUnion('type', [GenericOrder, GenericLevel]);

export function fromGeneric(json: unknown): { id: string; topic: string; event: ExternalEvent } {
  const e = GenericEvent.parse(json);
  if (e.type === 'order.created') {
    const o = e.order;
    return {
      id: e.id,
      topic: e.type,
      event: { kind: 'order', orderId: o.ref, ref: o.ref, location: o.location, occurredAt: o.occurredAt ? new Date(o.occurredAt) : undefined, lines: o.lines, skippedLines: 0 },
    };
  }
  const l = e.level;
  return { id: e.id, topic: e.type, event: { kind: 'level', sku: l.sku, location: l.location, available: l.available, updatedAt: l.updatedAt ? new Date(l.updatedAt) : undefined } };
}

const money = z.union([z.string(), z.number()]).transform((v) => Number(v));
const ShopifyOrder = z.object({
  id: z.union([z.number(), z.string()]),
  name: z.string().optional(),
  order_number: z.number().optional(),
  created_at: z.string().optional(),
  processed_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  location_id: z.union([z.number(), z.string()]).nullish(),
  line_items: z.array(z.object({ sku: z.string().nullish(), quantity: z.number().int(), price: money.optional(), requires_shipping: z.boolean().optional() })),
});

/** Shopify `orders/create` (REST Admin webhook payload: an Order). */
export function fromShopifyOrder(json: unknown): ExternalOrder {
  const o = ShopifyOrder.parse(json);
  const withSku = o.line_items.filter((l) => l.sku && l.quantity > 0);
  const at = o.processed_at ?? o.created_at;
  return {
    kind: 'order',
    orderId: String(o.id),
    ref: `shopify:${o.name ?? o.order_number ?? o.id}`,
    externalLocation: o.location_id == null ? undefined : String(o.location_id),
    occurredAt: at ? new Date(at) : undefined,
    lines: withSku.map((l) => ({ sku: l.sku!, qty: l.quantity, unitPrice: l.price })),
    skippedLines: o.line_items.length - withSku.length,
    ignore: o.cancelled_at ? 'cancelled' : o.financial_status === 'voided' ? 'voided' : withSku.length === 0 ? 'no lines with a SKU' : undefined,
  };
}

const ShopifyLevel = z.object({
  inventory_item_id: z.union([z.number(), z.string()]),
  location_id: z.union([z.number(), z.string()]),
  available: z.number().int().nullable(),
  updated_at: z.string().optional(),
});

/** Shopify `inventory_levels/update` (an InventoryLevel: item and location ids, not SKUs; mapped by the source). */
export function fromShopifyLevel(json: unknown): ExternalLevel {
  const l = ShopifyLevel.parse(json);
  return {
    kind: 'level',
    externalItem: String(l.inventory_item_id),
    externalLocation: String(l.location_id),
    available: l.available ?? 0,
    updatedAt: l.updated_at ? new Date(l.updated_at) : undefined,
  };
}

/** WooCommerce statuses that mean the goods are sold (paid or being fulfilled). */
const WOO_SOLD = new Set(['processing', 'completed', 'on-hold']);
const WooOrder = z.object({
  id: z.number(),
  number: z.union([z.string(), z.number()]).optional(),
  status: z.string(),
  date_created_gmt: z.string().nullish(),
  date_paid_gmt: z.string().nullish(),
  line_items: z.array(z.object({ sku: z.string().nullish(), quantity: z.number().int(), price: money.optional() })),
});

/** WooCommerce order webhooks (`order.created`, `order.updated`): applied once per order when its status means sold. */
export function fromWooOrder(json: unknown): ExternalOrder {
  const o = WooOrder.parse(json);
  const withSku = o.line_items.filter((l) => l.sku && l.quantity > 0);
  const at = o.date_paid_gmt ?? o.date_created_gmt;
  return {
    kind: 'order',
    orderId: String(o.id),
    ref: `woo:${o.number ?? o.id}`,
    occurredAt: at ? new Date(at.endsWith('Z') ? at : `${at}Z`) : undefined,
    lines: withSku.map((l) => ({ sku: l.sku!, qty: l.quantity, unitPrice: l.price })),
    skippedLines: o.line_items.length - withSku.length,
    ignore: !WOO_SOLD.has(o.status) ? `status ${o.status}` : withSku.length === 0 ? 'no lines with a SKU' : undefined,
  };
}
