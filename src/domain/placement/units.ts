import type { Segment, ValueUnit } from './value.ts';

/**
 * Placement units from the products at a location. A unit is a SKU, or a category block (all SKUs of an
 * article type / sub-category / category, split by gender when asked): a block always stays in one zone,
 * which is how "a category stays together" is kept. With SKU granularity, keepTogether groups SKUs by style
 * or category instead. A block's size is its SKU count / skusPerFacing (rounded up), in the zones' capacity unit.
 */
export type Granularity = 'sku' | 'article_type' | 'subcategory' | 'category';
export type KeepTogether = 'none' | 'style' | 'category' | 'subcategory';

export interface PlacementProduct {
  id: number;
  sku: string;
  name: string;
  category: string;
  subcategory: string | null;
  articleType: string | null;
  styleCode: string | null;
  gender: string | null;
  season: string | null;
  /** Forecast units over the horizon. */
  demand: number;
  margin: number;
  /** How often recommended (raw count). */
  recommended: number;
}

export interface UnitOptions {
  granularity: Granularity;
  splitByGender: boolean;
  keepTogether: KeepTogether;
  skusPerFacing: number;
}

export interface BuiltUnit extends Omit<ValueUnit, 'current' | 'pinned'> {
  label: string;
  productIds: number[];
}

export function segmentOf(gender: string | null): Segment | null {
  switch ((gender ?? '').toLowerCase()) {
    case 'men':
      return 'male-adult';
    case 'women':
      return 'female-adult';
    case 'boys':
      return 'male-kids';
    case 'girls':
      return 'female-kids';
    default:
      return null;
  }
}

/** The unit key of a product (also used to attribute a sale to the zone its unit was in). */
export function unitKeyOf(p: Pick<PlacementProduct, 'sku' | 'category' | 'subcategory' | 'articleType' | 'gender'>, o: Pick<UnitOptions, 'granularity' | 'splitByGender'>): string {
  if (o.granularity === 'sku') return p.sku;
  const name = o.granularity === 'category' ? p.category : o.granularity === 'subcategory' ? (p.subcategory ?? p.category) : (p.articleType ?? p.subcategory ?? p.category);
  return o.splitByGender && p.gender ? `${name || '(none)'} · ${p.gender}` : name || '(none)';
}

function mode(values: (string | null)[]): string | null {
  const c = new Map<string, number>();
  for (const v of values) if (v) c.set(v, (c.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, n] of c) if (best == null || n > c.get(best)!) best = k;
  return best;
}

export function buildUnits(products: PlacementProduct[], o: UnitOptions): BuiltUnit[] {
  const byKey = new Map<string, PlacementProduct[]>();
  for (const p of products) {
    const k = unitKeyOf(p, o);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(p);
  }
  const maxRec = Math.max(1e-9, ...[...byKey.values()].map((ps) => ps.reduce((s, p) => s + p.recommended, 0)));
  const units: BuiltUnit[] = [];
  for (const [key, ps] of byKey) {
    const demand = ps.reduce((s, p) => s + p.demand, 0);
    // demand-weighted margin, so a block's value is Σ demand × margin of its SKUs
    const margin = demand > 0 ? ps.reduce((s, p) => s + p.demand * p.margin, 0) / demand : ps.reduce((s, p) => s + p.margin, 0) / ps.length;
    const genders = new Set(ps.map((p) => (p.gender ?? '').toLowerCase()));
    const first = ps[0];
    let group: string | null = null;
    if (o.granularity === 'sku' && o.keepTogether !== 'none') {
      group = o.keepTogether === 'style' ? (first.styleCode ? `style:${first.styleCode}` : null) : o.keepTogether === 'category' ? `category:${first.category}` : `subcategory:${first.subcategory ?? first.category}`;
    }
    units.push({
      key,
      label: o.granularity === 'sku' ? `${first.sku} ${first.name}` : `${key} (${ps.length} SKU${ps.length === 1 ? '' : 's'})`,
      size: o.granularity === 'sku' ? 1 : Math.ceil(ps.length / Math.max(o.skusPerFacing, 1e-9)),
      demand,
      margin,
      recFrequency: ps.reduce((s, p) => s + p.recommended, 0) / maxRec,
      segment: genders.size === 1 ? segmentOf(first.gender) : null,
      attrs: { category: first.category, subcategory: mode(ps.map((p) => p.subcategory)), article_type: mode(ps.map((p) => p.articleType)), gender: genders.size === 1 ? first.gender : 'mixed', season: mode(ps.map((p) => p.season)) },
      group,
      productIds: ps.map((p) => p.id),
    });
  }
  return units.sort((a, b) => a.key.localeCompare(b.key));
}
