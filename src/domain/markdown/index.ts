export * from './types.ts';
export * from './classification.ts';
export * from './slow-stock.ts';
export * from './price-index.ts';
export * from './elasticity-panel.ts';
export * from './elasticity.ts';
export * from './elasticity-validate.ts';
export * from './markdown-offer.ts';
