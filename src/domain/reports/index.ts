export * from './types.ts';
export * from './dates.ts';
export * from './top-sellers.ts';
export * from './category-trends.ts';
export * from './inventory-value.ts';
