/** Recommendations domain: pure models over typed arrays. See docs/recommendations.md. */
export * from './types.ts';
export { trainRecommender, recommendForUser, rankForUser, scoreComponent, DEFAULT_BLEND } from './recommender.ts';
export type { RecommenderModel, RecommenderOptions, RecommendOptions, BlendOptions, Component } from './recommender.ts';
export { similarItems, boughtTogether, rankBoughtTogether, type ItemOptions, type SimilarOptions } from './item-recs.ts';
export { stockAwareRerank, type StockOptions } from './rerank.ts';
export * from './demographic.ts';
export { trainFunkSvd, predictRating, latentSimilarItems } from './funk-svd.model.ts';
export type { FunkSvdModel, FunkSvdOptions, RatingColumns } from './funk-svd.model.ts';
export { trainEase, scoreEase } from './ease.model.ts';
export { trainIals, scoreIals, ialsLoss } from './ials.model.ts';
export { trainItemKnn, scoreItemKnn } from './item-knn.model.ts';
export { trainFbt, scoreFbt } from './fbt.model.ts';
export { trainPopularity } from './popularity.model.ts';
export { trainBuyAgain } from './buy-again.model.ts';
export { buildInteractionData } from './interactions.ts';
export * from './evaluate.ts';
export { parseOnlineRetail, parseMovieLens, NON_PRODUCT_CODE } from './datasets.ts';
export { evaluateRatings, evaluateRetail } from './evaluation-runs.ts';
