export { createVectorIndex, EXACT_SCAN_BUDGET } from './create.js';
export { ExactVectorIndex } from './exact-index.js';
export { DEFAULT_HNSW, HnswVectorIndex, type HnswOptions } from './hnsw-index.js';
export { DimensionMismatchError } from './vectors.js';
