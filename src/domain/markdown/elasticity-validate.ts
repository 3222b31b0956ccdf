import { buildPanel, type PanelRow } from './elasticity-panel.ts';
import { fitElasticities, type ElasticityFit, type ElasticityOptions, type ItemElasticity } from './elasticity.ts';
import { invalid } from './stats.ts';

/**
 * Out-of-time checks of the elasticity model. A fit on earlier periods predicts log units of later
 * item-periods as a_i + w_t + β_i log P_it; the week effect w_t is re-estimated on the later periods
 * for every model (the no-price baseline β = 0 included), so all models get the same freedom and only
 * the price response differs.
 */

export interface HoldoutScore {
  label: string;
  /** Mean squared error of log units over the scored item-periods. */
  mse: number;
  /** Same, over item-periods priced > `changedThreshold` away from the item's training mean. */
  mseChanged: number;
  nObs: number;
  nChanged: number;
}

export function holdoutScore(
  fit: ElasticityFit,
  test: PanelRow[],
  label: string,
  betaOf: (it: ItemElasticity) => number,
  changedThreshold = 0.02,
): HoldoutScore {
  const bySku = new Map(fit.items.map((it) => [it.sku, it]));
  const obs = test.filter((r) => bySku.has(r.sku) && r.qty > 0 && r.price > 0);
  const resid = new Float64Array(obs.length);
  const wSum = new Map<number, [number, number]>();
  obs.forEach((r, k) => {
    const it = bySku.get(r.sku)!;
    const b = betaOf(it);
    // level for slope b: mean time-adjusted log Q − b × mean log P (ItemElasticity.level is for `shrunk`)
    const a = it.level + (it.shrunk - b) * it.meanLogPrice;
    resid[k] = Math.log(r.qty) - a - b * Math.log(r.price);
    const s = wSum.get(r.period) ?? [0, 0];
    s[0] += resid[k];
    s[1]++;
    wSum.set(r.period, s);
  });
  let se = 0;
  let seC = 0;
  let nC = 0;
  const lim = Math.log(1 + changedThreshold);
  obs.forEach((r, k) => {
    const s = wSum.get(r.period)!;
    const e = resid[k] - s[0] / s[1];
    se += e * e;
    if (Math.abs(Math.log(r.price) - bySku.get(r.sku)!.meanLogPrice) > lim) {
      seC += e * e;
      nC++;
    }
  });
  return { label, mse: obs.length ? se / obs.length : NaN, mseChanged: nC ? seC / nC : NaN, nObs: obs.length, nChanged: nC };
}

/**
 * Choose the between-item sd τ by an inner time split of the training rows: fit on periods before
 * `splitPeriod` with each candidate τ, score the item posteriors on the periods after (price-changed
 * item-periods), keep the best. Only training data is used, so the choice can be checked on a later
 * hold-out. Returns the scores too.
 */
export function chooseTau(
  rows: PanelRow[],
  splitPeriod: number,
  candidates: number[] = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5],
  opts: ElasticityOptions = {},
): { tau: number; scores: { tau: number; mseChanged: number; mse: number }[] } {
  if (!candidates.length) invalid('no τ candidates', 'candidates');
  const early = buildPanel(rows.filter((r) => r.period < splitPeriod));
  const late = rows.filter((r) => r.period >= splitPeriod);
  const scores = candidates.map((tau) => {
    const s = holdoutScore(fitElasticities(early, { ...opts, tau }), late, String(tau), (i) => i.shrunk);
    return { tau, mseChanged: s.mseChanged, mse: s.mse };
  });
  const key = (s: (typeof scores)[number]) => (Number.isNaN(s.mseChanged) ? s.mse : s.mseChanged);
  const best = scores.reduce((a, b) => (key(b) < key(a) ? b : a));
  return { tau: best.tau, scores };
}
