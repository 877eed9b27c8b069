import type { VectorIndex } from '../types.js';
import { ExactVectorIndex } from './exact-index.js';
import { HnswVectorIndex, type HnswOptions } from './hnsw-index.js';
import { checkDimension } from './vectors.js';

/**
 * The most vector components (vectors × dimension) an exact scan is trusted with. A scan
 * reads every component once per query, so its cost is proportional to this product.
 * Measured with `test-support/measure-latency.ts` on a 2-vCPU development VM (CPU time per
 * query, p50): 20k × 128 8.5 ms, 20k × 256 13 ms, 20k × 384 25 ms, 100k × 256 61 ms, against
 * 6.5 ms for the HNSW graph at 100k × 256. Up to about 13 ms a scan is comfortably
 * interactive and exact, while a graph would cost about a millisecond of CPU per insert to
 * build, a second copy of the vectors, and some recall; past it, the scan grows linearly and
 * the graph barely does. So: exact up to 20k vectors of 256 dimensions (13k of 384).
 */
export const EXACT_SCAN_BUDGET = 20_000 * 256;

/**
 * An index suited to a collection of about `expectedSize` vectors: exact below
 * `EXACT_SCAN_BUDGET`, HNSW above. The choice is made once; a collection that outgrows it is
 * rebuilt with a new call, which also gives the graph a clean start after heavy churn.
 */
export function createVectorIndex(
  dimension: number,
  expectedSize: number,
  hnsw: Omit<HnswOptions, 'dimension'> = {},
): VectorIndex {
  checkDimension(dimension);
  if (expectedSize * dimension <= EXACT_SCAN_BUDGET) return new ExactVectorIndex(dimension);
  return new HnswVectorIndex({ capacity: expectedSize, ...hnsw, dimension });
}
