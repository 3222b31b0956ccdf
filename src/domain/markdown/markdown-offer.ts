import type { CoPurchasePair } from './types.ts';
import { invalid, normCdf, normPdf } from './stats.ts';

/**
 * Markdown optimisation. Demand at discount d follows the constant-elasticity curve
 * rate(d) = baseRate · (1 − d)^β (β < 0), applied from today to the target date. Units sold by the
 * target date are min(stock, demand) — deterministic, or E[min(N, stock)] with N ~ Poisson — and
 * what is left is salvaged at `salvageValue` a unit (0 = written off). With an elasticity sd the
 * outcome is averaged over β ~ Normal(β, sd) (5-point Gauss–Hermite).
 */

export interface MarkdownInput {
  sku: string;
  price: number;
  cost: number;
  onHand: number;
  /** Units per day at the regular price (the forecast). */
  baseDailyDemand: number;
  /** Days from now to the target date (the offer runs this long). */
  daysToTarget: number;
  elasticity: number;
  elasticitySd?: number;
  /** Units that must be sold by the target date for the offer to "clear" (default: all on hand). Pass
   * the excess to clear only that, with `salvageValue` set to what a remaining unit is still worth. */
  clearUnits?: number;
}

export interface MarkdownOptions {
  /** Discount ladder (fractions). Default 0, 0.1 … 0.5. Ignored when `continuous`. */
  ladder?: number[];
  /** Search depths 0 … maxDepth in `step` increments instead of a ladder. */
  continuous?: { maxDepth: number; step?: number };
  objective?: 'revenue' | 'margin';
  demand?: 'deterministic' | 'poisson';
  /** Value per leftover unit at the target date (default 0: written off). */
  salvageValue?: number;
  /** Units short of the clearing target still counted as cleared. Default 0.5. */
  leftoverTolerance?: number;
  /** Never price below cost (default false: clearing may sell below cost). */
  floorAtCost?: boolean;
}

export interface MarkdownOutcome {
  depth: number;
  price: number;
  /** Demand multiplier (1 − d)^β − 1, e.g. 0.45 = +45 % units per day. */
  uplift: number;
  expectedDemand: number;
  clearedUnits: number;
  leftover: number;
  revenue: number;
  /** Revenue − cost of the units sold + (salvage − cost) × leftover. */
  margin: number;
  clears: boolean;
}

export interface MarkdownOffer {
  sku: string;
  chosen: MarkdownOutcome;
  /** The no-markdown outcome for comparison. */
  baseline: MarkdownOutcome;
  /** True when no depth clears the stock; `chosen` is then the best objective among all depths. */
  cannotClear: boolean;
  candidates: MarkdownOutcome[];
}

/** E[min(N, s)] for N ~ Poisson(mu): exact sum for mu ≤ 500, normal loss function above. */
export function expectedMinPoisson(mu: number, s: number): number {
  if (s <= 0 || mu <= 0) return 0;
  if (mu > 500) {
    const sd = Math.sqrt(mu);
    const z = (s - mu) / sd;
    const loss = sd * (normPdf(z) - z * (1 - normCdf(z)));
    return Math.min(s, mu - loss);
  }
  const S = Math.floor(s);
  let pmf = Math.exp(-mu);
  let cdf = pmf;
  let sum = 0; // Σ_{k=0}^{S-1} P(N > k) = Σ (1 − F(k))
  for (let k = 0; k < S; k++) {
    sum += 1 - cdf;
    pmf *= mu / (k + 1);
    cdf += pmf;
    if (1 - cdf < 1e-12) {
      // The rest of the terms are ~0: remaining mass is negligible.
      break;
    }
  }
  // Fractional stock: linear share of the next unit.
  const frac = s - S;
  if (frac > 0) sum += frac * Math.max(0, 1 - cdfAt(mu, S));
  return Math.min(sum, mu);
}

function cdfAt(mu: number, k: number): number {
  let pmf = Math.exp(-mu);
  let cdf = pmf;
  for (let j = 0; j < k; j++) {
    pmf *= mu / (j + 1);
    cdf += pmf;
  }
  return cdf;
}

const GH_X = [-2.0201828705, -0.9585724646, 0, 0.9585724646, 2.0201828705];
const GH_W = [0.0199532421, 0.3936193232, 0.9453087205, 0.3936193232, 0.0199532421].map((w) => w / Math.sqrt(Math.PI));

export function evaluateMarkdown(input: MarkdownInput, depth: number, opts: MarkdownOptions = {}): MarkdownOutcome {
  const { price, cost, onHand, baseDailyDemand, daysToTarget, elasticity } = input;
  if (!(depth >= 0 && depth < 1)) invalid('depth must be in [0, 1)', 'depth');
  if (!(daysToTarget >= 0)) invalid('daysToTarget must be >= 0', 'daysToTarget');
  const salvage = opts.salvageValue ?? 0;
  const tol = opts.leftoverTolerance ?? 0.5;
  const stock = Math.max(0, onHand);
  const p = price * (1 - depth);
  const sd = input.elasticitySd ?? 0;
  const betas = sd > 0 ? GH_X.map((z) => elasticity + Math.SQRT2 * sd * z) : [elasticity];
  const weights = sd > 0 ? GH_W : [1];
  let demand = 0;
  let sold = 0;
  let mult = 0;
  betas.forEach((b, j) => {
    const m = Math.pow(1 - depth, b);
    const d = Math.max(0, baseDailyDemand) * daysToTarget * m;
    mult += weights[j] * m;
    demand += weights[j] * d;
    sold += weights[j] * (opts.demand === 'poisson' ? expectedMinPoisson(d, stock) : Math.min(stock, d));
  });
  const leftover = stock - sold;
  const revenue = p * sold;
  return {
    depth,
    price: p,
    uplift: mult - 1,
    expectedDemand: demand,
    clearedUnits: sold,
    leftover,
    revenue: revenue + salvage * leftover,
    margin: revenue - cost * sold + (salvage - cost) * leftover,
    clears: sold >= Math.min(stock, input.clearUnits ?? stock) - tol,
  };
}

/**
 * Pick the depth that clears the stock by the target date with the best objective; when none clears,
 * the best objective overall (flagged `cannotClear`). Ties go to the shallower depth.
 */
export function optimiseMarkdown(input: MarkdownInput, opts: MarkdownOptions = {}): MarkdownOffer {
  let depths: number[];
  if (opts.continuous) {
    const step = opts.continuous.step ?? 0.005;
    if (!(step > 0)) invalid('step must be > 0', 'step');
    depths = [];
    for (let d = 0; d <= opts.continuous.maxDepth + 1e-12; d += step) depths.push(Math.round(d * 1e6) / 1e6);
  } else depths = [...new Set([0, ...(opts.ladder ?? [0.1, 0.2, 0.3, 0.4, 0.5])])].sort((a, b) => a - b);
  if (opts.floorAtCost) depths = depths.filter((d) => input.price * (1 - d) >= input.cost - 1e-9);
  if (depths.length === 0) depths = [0];
  const key = opts.objective === 'margin' ? 'margin' : 'revenue';
  const candidates = depths.map((d) => evaluateMarkdown(input, d, opts));
  const pick = (list: MarkdownOutcome[]) => list.reduce((best, c) => (c[key] > best[key] + 1e-9 ? c : best));
  const clearing = candidates.filter((c) => c.clears);
  const chosen = clearing.length ? pick(clearing) : pick(candidates);
  return { sku: input.sku, chosen, baseline: evaluateMarkdown(input, 0, opts), cannotClear: clearing.length === 0, candidates };
}

export interface BundleSuggestion {
  sku: string;
  partner: string;
  score: number;
  partnerDailyDemand: number;
  /** score × partner demand: how many baskets the pairing can reach. */
  reach: number;
}

/**
 * Bundle hook: for each excess SKU, the co-purchase partners (from the recommendations domain) that
 * sell well and are not excess themselves, best `perItem` by score × partner demand.
 */
export function suggestBundles(
  excessSkus: string[],
  pairs: CoPurchasePair[],
  partnerDemand: ReadonlyMap<string, number>,
  opts: { perItem?: number; minScore?: number; minPartnerDemand?: number } = {},
): BundleSuggestion[] {
  const excess = new Set(excessSkus);
  const per = opts.perItem ?? 3;
  const byItem = new Map<string, Map<string, BundleSuggestion>>();
  for (const pr of pairs) {
    if (pr.score < (opts.minScore ?? 0)) continue;
    for (const [s, o] of [
      [pr.a, pr.b],
      [pr.b, pr.a],
    ]) {
      if (!excess.has(s) || excess.has(o) || s === o) continue;
      const dem = partnerDemand.get(o) ?? 0;
      if (dem <= (opts.minPartnerDemand ?? 0)) continue;
      let m = byItem.get(s);
      if (!m) byItem.set(s, (m = new Map()));
      const prev = m.get(o);
      if (!prev || prev.score < pr.score) m.set(o, { sku: s, partner: o, score: pr.score, partnerDailyDemand: dem, reach: pr.score * dem });
    }
  }
  const out: BundleSuggestion[] = [];
  for (const s of excessSkus) {
    const m = byItem.get(s);
    if (m) out.push(...[...m.values()].sort((a, b) => b.reach - a.reach || (a.partner < b.partner ? -1 : 1)).slice(0, per));
  }
  return out;
}
