import { z } from 'zod';

/** Row formats of `shelfwise import` (README "File formats"). Values arrive as text; these coerce them. */
const text = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) => z.string().trim().max(max).optional();
const num = z.coerce.number({ error: 'must be a number' }).finite();
const int = z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number');
const sku = z.string().trim().min(1, 'is required').max(64).regex(/^[^\s,;]+$/, 'must not contain spaces, commas or semicolons');
const code = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

export const productRow = z.object({
  sku,
  name: text(300),
  barcode: optText(64),
  category: optText(100),
  subcategory: optText(100),
  article_type: optText(100),
  brand: optText(100),
  style_code: optText(64),
  gender: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['men', 'women', 'unisex', 'boys', 'girls']).optional()),
  age_group: optText(32),
  season: optText(32),
  colour: optText(64),
  size: optText(32),
  usage: optText(64),
  price: num.min(0, 'must not be negative').optional(),
  cost: num.min(0, 'must not be negative').optional(),
  status: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['active', 'discontinued']).optional()),
  supplier: code.optional(),
});
export type ProductRow = z.infer<typeof productRow>;

export const stockRow = z.object({
  sku,
  location: code.optional(),
  qty: int.min(0, 'a counted quantity must not be negative').max(1e7),
  unit_cost: num.min(0).optional(),
  low_threshold: int.min(0).optional(),
});
export type StockRow = z.infer<typeof stockRow>;

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date (YYYY-MM-DD) or date-time')
  .transform((s, ctx) => {
    const d = new Date(s.length === 10 ? `${s}T12:00:00Z` : s.replace(' ', 'T') + (/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? '' : 'Z'));
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date' });
      return z.NEVER;
    }
    return d;
  });

export const salesRow = z.object({
  date: isoDate,
  sku,
  qty: int.refine((n) => n !== 0, 'must not be zero').refine((n) => Math.abs(n) <= 1e6, 'is too large'),
  store: code.optional(),
  price: num.min(0, 'must not be negative').optional(),
  promo: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional(),
  customer: optText(64),
  order: optText(64),
});
export type SalesRow = z.infer<typeof salesRow>;

/** Accept common alternative column names. */
export const ALIASES: Record<string, string> = { color: 'colour', quantity: 'qty', on_hand: 'qty', location_code: 'location', unit_price: 'price', order_id: 'order', customer_id: 'customer', threshold: 'low_threshold' };

/** A row's values under the canonical column names (the aliases above applied). */
export function canonicalColumns(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[ALIASES[k] ?? k] = v;
  return out;
}
