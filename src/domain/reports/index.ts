export * from './types.ts';
export * from './dates.ts';
export * from './top-sellers.ts';
export * from './category-trends.ts';
export * from './inventory-value.ts';
export * from './forecast-accuracy.ts';
export * from './stockouts.ts';
export * from './replenishment-vs-forecast.ts';
