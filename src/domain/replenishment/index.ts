/** Replenishment domain: pure functions on plain data (see docs/replenishment.md). */
export * from './types.ts';
export * from './distributions.ts';
export * from './lead-time-demand.ts';
export * from './order-math.ts';
export * from './policy.ts';
export * from './projection.ts';
export * from './proposals.ts';
export * from './simulator.ts';
export { mulberry32, type Rng } from './rng.ts';
export * from './compare.ts';
export * from './plot.ts';
export * from './ses-forecaster.ts';
