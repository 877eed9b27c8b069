export { rrf, weightedSum } from './fusion.js';
export type { RrfOptions, ScoreNormalization, WeightedSumOptions } from './fusion.js';
