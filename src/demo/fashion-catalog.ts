import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Gender } from '../db/schema.ts';

/**
 * The Myntra fashion catalog (44k real products with gender, article type, colour, season, usage) as the
 * clothing store's assortment. The catalog has no prices, costs or stock, so the demo sets, and says so:
 * - list price by sub-category (a small table below; "set your own with `import products`"), cost 45 % of it;
 * - an opening count per product from a hash of its id: about a quarter not stocked, the rest 1-24 units.
 */
export interface FashionProduct {
  sku: string;
  name: string;
  category: string;
  subcategory: string;
  articleType: string;
  gender: Gender;
  ageGroup: 'adult' | 'kids';
  colour: string | null;
  season: string | null;
  usage: string | null;
  year: string | null;
  price: number;
  cost: number;
  openingQty: number;
}

const GENDER: Record<string, Gender> = { Men: 'men', Women: 'women', Boys: 'boys', Girls: 'girls', Unisex: 'unisex' };

/** Placeholder list prices (GBP) by sub-category; anything else 24.99. */
const PRICE: Record<string, number> = {
  Topwear: 24.99, Bottomwear: 34.99, Dress: 39.99, Saree: 49.99, Innerwear: 9.99, 'Loungewear and Nightwear': 19.99,
  Socks: 5.99, Apparel: 24.99, Shoes: 59.99, Sandal: 29.99, Flipflops: 12.99, Watches: 79.99, Bags: 39.99, Belts: 19.99,
  Wallets: 24.99, Eyewear: 49.99, Jewellery: 19.99, Headwear: 14.99, Ties: 17.99, Scarves: 14.99, Gloves: 12.99,
  Fragrance: 34.99, Lips: 9.99, Makeup: 12.99, Nails: 6.99, 'Skin Care': 14.99, Accessories: 12.99,
};

/** A stable pseudo-random number in [0, 1) from an id (FNV-1a), so the demo is the same on every machine. */
export function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

export async function readFashionCatalog(file: string): Promise<FashionProduct[]> {
  const out: FashionProduct[] = [];
  const parser = createReadStream(file).pipe(parse({ columns: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }));
  for await (const r of parser as AsyncIterable<Record<string, string>>) {
    const gender = GENDER[r.gender];
    if (!r.id || !gender || !r.productDisplayName) continue;
    const price = PRICE[r.subCategory] ?? 24.99;
    const u = unitHash(r.id);
    out.push({
      sku: `FP-${r.id}`,
      name: r.productDisplayName.trim(),
      category: r.masterCategory,
      subcategory: r.subCategory,
      articleType: r.articleType,
      gender,
      ageGroup: gender === 'boys' || gender === 'girls' ? 'kids' : 'adult',
      colour: r.baseColour || null,
      season: r.season || null,
      usage: r.usage || null,
      year: r.year || null,
      price,
      cost: Math.round(price * 0.45 * 100) / 100,
      openingQty: u < 0.25 ? 0 : 1 + Math.floor(((u - 0.25) / 0.75) * 24),
    });
  }
  return out;
}
