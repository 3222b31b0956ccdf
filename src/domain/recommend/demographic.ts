/**
 * Recommendations for an anonymous shopper with a demographic (camera kiosk: gender × age group).
 * Hard filter by the catalog's gender / audience fields, then rank by recent and seasonal popularity in that
 * slice, learning from the store's own sales tagged with the kiosk's demographic (shrunk towards all sales
 * until the slice has enough of its own).
 */
import { decay } from './interactions.ts';
import { stockAwareRerank, type StockOptions } from './rerank.ts';
import type { Recommendation } from './types.ts';
import { DAY_MS } from './types.ts';

export type Gender = 'male' | 'female' | 'unknown';
export type AgeGroup = 'child' | 'teen' | 'adult' | 'senior' | 'unknown';
/** The catalog's gender field (fashion catalogs: Men / Women / Boys / Girls / Unisex; case-insensitive). */
export type CatalogGender = 'men' | 'women' | 'boys' | 'girls' | 'unisex';
export type Season = 'spring' | 'summer' | 'fall' | 'winter';

export interface CatalogItem {
  item: number;
  gender: string;
  /** For unisex items: 'kids' or 'adults' when known (e.g. "Kids" in the name); otherwise suitable for all. */
  audience?: 'kids' | 'adults';
  season?: string;
  year?: number;
}

export interface DemographicSale {
  item: number;
  time: number;
  quantity?: number;
  /** The kiosk's estimate for the shopper, when the sale was tagged. */
  gender?: Gender;
  ageGroup?: AgeGroup;
}

export interface Demographic {
  gender: Gender;
  ageGroup: AgeGroup;
}

export interface DemographicOptions extends StockOptions {
  n?: number;
  /** Reference time (ms): "now" for recency and the current season. Required: the domain has no clock. */
  now: number;
  /** Half-life of recent popularity (days). Default 14. */
  halfLifeDays?: number;
  /** Sales older than this do not count as recent (days). Default 8 half-lives. */
  recentWindowDays?: number;
  /** Window around the same date in earlier years counted as seasonal (days either side). Default 28. */
  seasonWindowDays?: number;
  /** Weight of last years' same-season sales vs recent sales. Default 0.5. */
  seasonalWeight?: number;
  /** Bonus for items whose catalog season is the current one. Default 0.1. */
  seasonMatchWeight?: number;
  /** Tagged slice sales needed to trust the slice half-way over all sales. Default 50. */
  sliceShrink?: number;
  /** Southern hemisphere flips the seasons. */
  southern?: boolean;
}

/** Age band from an age in years (kiosk estimates). */
export function ageGroupOf(age: number): AgeGroup {
  if (!Number.isFinite(age)) return 'unknown';
  if (age < 13) return 'child';
  if (age < 18) return 'teen';
  if (age < 65) return 'adult';
  return 'senior';
}

/** "Kids" in a product name marks a unisex item as a children's item. */
export function audienceFromName(name: string): 'kids' | 'adults' | undefined {
  return /\bkid/i.test(name) ? 'kids' : undefined;
}

/** Catalog genders a shopper may be shown (the hard filter). */
export function allowedCatalogGenders(d: Demographic): Set<CatalogGender> {
  const kids = d.ageGroup === 'child' || d.ageGroup === 'teen' || d.ageGroup === 'unknown';
  const adults = d.ageGroup !== 'child';
  const out = new Set<CatalogGender>(['unisex']);
  if (d.gender !== 'female') {
    if (adults) out.add('men');
    if (kids) out.add('boys');
  }
  if (d.gender !== 'male') {
    if (adults) out.add('women');
    if (kids) out.add('girls');
  }
  return out;
}

/** True if the item passes the hard filter for this shopper. */
export function fitsDemographic(item: CatalogItem, d: Demographic): boolean {
  const g = item.gender.trim().toLowerCase() as CatalogGender;
  if (!allowedCatalogGenders(d).has(g)) return false;
  if (g === 'unisex' && item.audience) {
    if (item.audience === 'kids' && (d.ageGroup === 'adult' || d.ageGroup === 'senior')) return false;
    if (item.audience === 'adults' && d.ageGroup === 'child') return false;
  }
  return true;
}

export function seasonOf(time: number, southern = false): Season {
  const m = new Date(time).getUTCMonth();
  const north: Season = m === 11 || m <= 1 ? 'winter' : m <= 4 ? 'spring' : m <= 7 ? 'summer' : 'fall';
  if (!southern) return north;
  return ({ winter: 'summer', summer: 'winter', spring: 'fall', fall: 'spring' } as const)[north];
}

function sameSlice(s: DemographicSale, d: Demographic): boolean {
  if (!s.gender || !s.ageGroup) return false;
  const g = d.gender === 'unknown' || s.gender === d.gender;
  const a = d.ageGroup === 'unknown' || s.ageGroup === d.ageGroup;
  return g && a;
}

/** Days between two times' dates of the year, wrapping around the new year (0..182). */
function dayOfYearDistance(a: number, b: number): number {
  const doy = (t: number) => {
    const d = new Date(t);
    return (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS;
  };
  const x = Math.abs(doy(a) - doy(b));
  return Math.min(x, 365 - x);
}

/**
 * Top-n catalog items for a shopper's demographic, never outside the hard filter, never out of stock.
 * Score = recent popularity (slice share shrunk towards all sales) + seasonalWeight · same-season sales in
 * earlier years + seasonMatchWeight when the catalog season is the current one; each part max-normalised.
 */
export function forDemographic(
  demo: Demographic,
  catalog: CatalogItem[],
  sales: DemographicSale[],
  opts: DemographicOptions,
): Recommendation[] {
  const n = opts.n ?? 10;
  const now = opts.now;
  const halfLife = (opts.halfLifeDays ?? 14) * DAY_MS;
  const recentWindow = (opts.recentWindowDays ?? 8 * (opts.halfLifeDays ?? 14)) * DAY_MS;
  const window = opts.seasonWindowDays ?? 28;
  const seasonalWeight = opts.seasonalWeight ?? 0.5;
  const matchWeight = opts.seasonMatchWeight ?? 0.1;
  const shrink = opts.sliceShrink ?? 50;
  const allowed = new Map<number, CatalogItem>();
  for (const c of catalog) if (fitsDemographic(c, demo)) allowed.set(c.item, c);
  const recentAll = new Map<number, number>();
  const recentSlice = new Map<number, number>();
  const seasonal = new Map<number, number>();
  let sliceSales = 0;
  const add = (m: Map<number, number>, k: number, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const s of sales) {
    if (!allowed.has(s.item) || s.time > now) continue;
    const q = s.quantity ?? 1;
    const inSlice = sameSlice(s, demo);
    if (now - s.time <= recentWindow) {
      const w = q * decay(now - s.time, halfLife);
      add(recentAll, s.item, w);
      if (inSlice) {
        add(recentSlice, s.item, w);
        sliceSales++;
      }
    }
    if (now - s.time > 300 * DAY_MS && dayOfYearDistance(s.time, now) <= window) add(seasonal, s.item, q * (inSlice ? 2 : 1));
  }
  const norm = (m: Map<number, number>) => {
    let mx = 0;
    for (const v of m.values()) if (v > mx) mx = v;
    return (k: number) => (mx > 0 ? (m.get(k) ?? 0) / mx : 0);
  };
  const rAll = norm(recentAll);
  const rSlice = norm(recentSlice);
  const seas = norm(seasonal);
  const trust = sliceSales / (sliceSales + shrink);
  const season = seasonOf(now, opts.southern);
  const label = demoLabel(demo);
  const out: Recommendation[] = [];
  for (const c of allowed.values()) {
    const recent = trust * rSlice(c.item) + (1 - trust) * rAll(c.item);
    const sea = seasonalWeight * seas(c.item);
    const match = c.season && c.season.trim().toLowerCase() === season ? matchWeight : 0;
    const yearTie = c.year ? 1e-6 * Math.max(0, c.year - 2000) : 0;
    const score = recent + sea + match + yearTie;
    let reason: string;
    if (recent > 0 && recent >= sea) reason = trust > 0.5 && rSlice(c.item) > 0 ? `popular with ${label} right now` : 'popular right now';
    else if (sea > 0) reason = `popular around this time last year`;
    else if (match > 0) reason = `in season: ${season}`;
    else reason = 'new in the range';
    out.push({ item: c.item, score, reason });
  }
  return stockAwareRerank(out, n, opts);
}

function demoLabel(d: Demographic): string {
  const who =
    d.ageGroup === 'child' || d.ageGroup === 'teen'
      ? d.gender === 'male'
        ? 'boys'
        : d.gender === 'female'
          ? 'girls'
          : 'children'
      : d.gender === 'male'
        ? 'men'
        : d.gender === 'female'
          ? 'women'
          : 'shoppers';
  return d.ageGroup === 'teen' ? `teenage ${who}` : d.ageGroup === 'senior' ? `older ${who}` : who;
}
