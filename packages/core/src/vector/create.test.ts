import { describe, expect, it } from 'vitest';
import { createVectorIndex, EXACT_SCAN_BUDGET } from './create.js';
import { ExactVectorIndex } from './exact-index.js';
import { HnswVectorIndex } from './hnsw-index.js';

describe('createVectorIndex', () => {
  it('chooses an exact index for up to 20k vectors of 256 dimensions', () => {
    expect(EXACT_SCAN_BUDGET / 256).toBe(20_000);
    const index = createVectorIndex(256, EXACT_SCAN_BUDGET / 256);

    expect(index).toBeInstanceOf(ExactVectorIndex);
    expect(index.dimension).toBe(256);
  });

  it('chooses an HNSW graph for larger collections', () => {
    const index = createVectorIndex(256, EXACT_SCAN_BUDGET / 256 + 1, { expansionSearch: 64 });

    expect(index).toBeInstanceOf(HnswVectorIndex);
    expect(index.dimension).toBe(256);
  });

  it('counts dimensions against the budget, so wide vectors switch to a graph sooner', () => {
    expect(createVectorIndex(1536, 10_000)).toBeInstanceOf(HnswVectorIndex);
    expect(createVectorIndex(128, 40_000)).toBeInstanceOf(ExactVectorIndex);
  });

  it('refuses a dimension that is not a positive integer', () => {
    expect(() => createVectorIndex(0, 10)).toThrow(RangeError);
  });
});
