/**
 * Zone lift learning. Sales are attributed to the zone the product's unit was assigned to at the time of the
 * sale (assignment history). Each spell "unit u in zone z for d days, s units sold" is modelled as
 *   s ~ Poisson(rate_u × lift_z × d)
 * with a Gamma prior on each lift centred on the configured visibility (strength = priorWeight expected
 * units). Alternating updates give the unit rates and the lifts' posterior (mean and sd). Only units that sold
 * in more than one zone (before/after a move) inform the lifts; the rest only fit their own rate, so a store
 * that never moves anything keeps its configured lifts, with the prior's uncertainty.
 */
export interface Spell {
  unit: string;
  zone: string;
  days: number;
  sold: number;
}

export interface LiftEstimate {
  zone: string;
  prior: number;
  lift: number;
  sd: number;
  /** Units sold in the zone by units that were also seen elsewhere (the informative evidence). */
  evidence: number;
  spells: number;
}

export function learnLifts(spells: Spell[], priors: Map<string, number>, priorWeight = 20, iterations = 100): LiftEstimate[] {
  const lift = new Map(priors);
  const zonesOf = new Map<string, Set<string>>();
  for (const s of spells) {
    if (!lift.has(s.zone)) continue;
    let z = zonesOf.get(s.unit);
    if (!z) zonesOf.set(s.unit, (z = new Set()));
    z.add(s.zone);
  }
  const informative = spells.filter((s) => lift.has(s.zone) && s.days > 0 && (zonesOf.get(s.unit)?.size ?? 0) > 1);
  const rate = new Map<string, number>();
  let alpha = new Map<string, number>();
  let beta = new Map<string, number>();
  for (let it = 0; it < iterations; it++) {
    const num = new Map<string, number>();
    const den = new Map<string, number>();
    for (const s of informative) {
      num.set(s.unit, (num.get(s.unit) ?? 0) + s.sold);
      den.set(s.unit, (den.get(s.unit) ?? 0) + lift.get(s.zone)! * s.days);
    }
    for (const [u, n] of num) rate.set(u, n / Math.max(den.get(u)!, 1e-12));
    alpha = new Map([...priors.keys()].map((z) => [z, priorWeight]));
    beta = new Map([...priors].map(([z, p]) => [z, priorWeight / Math.max(p, 1e-9)]));
    for (const s of informative) {
      alpha.set(s.zone, alpha.get(s.zone)! + s.sold);
      beta.set(s.zone, beta.get(s.zone)! + rate.get(s.unit)! * s.days);
    }
    let change = 0;
    for (const z of priors.keys()) {
      const next = alpha.get(z)! / beta.get(z)!;
      change = Math.max(change, Math.abs(next - lift.get(z)!));
      lift.set(z, next);
    }
    if (change < 1e-9) break;
  }
  return [...priors].map(([zone, prior]) => ({
    zone,
    prior,
    lift: lift.get(zone)!,
    sd: Math.sqrt(alpha.get(zone) ?? priorWeight) / (beta.get(zone) ?? priorWeight / Math.max(prior, 1e-9)),
    evidence: informative.filter((s) => s.zone === zone).reduce((a, s) => a + s.sold, 0),
    spells: spells.filter((s) => s.zone === zone).length,
  }));
}
