import { describe, expect, it } from 'vitest';

import { rrf, weightedSum } from './fusion.js';

const keyword = [
  { id: 1, score: 10 },
  { id: 2, score: 6 },
  { id: 3, score: 2 },
];
const semantic = [
  { id: 3, score: 0.9 },
  { id: 1, score: 0.5 },
];

describe('rrf', () => {
  it('sums 1 / (k + rank) over the lists an id appears in', () => {
    // id 1: 1/61 + 1/62 = 0.032522; id 3: 1/63 + 1/61 = 0.032266; id 2: 1/62 = 0.016129
    const fused = rrf([keyword, semantic]);
    expect(fused.map((hit) => hit.id)).toEqual([1, 3, 2]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
  });

  it('uses the rank constant and per-list weights', () => {
    // k = 1: id 3 gets 2/(1+3) + 1/(1+1) = 1.0; id 1 gets 2/(1+1) + 1/(1+2) = 1.333333
    const fused = rrf([keyword, semantic], { k: 1, weights: [2, 1] });
    expect(fused.map((hit) => hit.id)).toEqual([1, 3, 2]);
    expect(fused[0]!.score).toBeCloseTo(4 / 3, 12);
    expect(fused[1]!.score).toBeCloseTo(1, 12);
  });

  it('returns nothing for empty lists', () => {
    expect(rrf([[], []])).toEqual([]);
  });
});

describe('weightedSum', () => {
  it('sums min-max normalised scores, giving a missing id the list minimum', () => {
    // keyword → 1, 0.5, 0; semantic → id 3: 1, id 1: 0; id 2 is missing there (0).
    // id 1: 0.5·1 + 0.5·0 = 0.5; id 3: 0.5·0 + 0.5·1 = 0.5; id 2: 0.5·0.5 = 0.25
    const fused = weightedSum([keyword, semantic], { weights: [0.5, 0.5] });
    expect(fused).toEqual([
      { id: 1, score: 0.5 },
      { id: 3, score: 0.5 },
      { id: 2, score: 0.25 },
    ]);
  });

  it('weights the lists', () => {
    const fused = weightedSum([keyword, semantic], { weights: [0.2, 0.8] });
    // id 3: 0.8; id 1: 0.2; id 2: 0.1
    expect(fused.map((hit) => hit.id)).toEqual([3, 1, 2]);
    expect(fused[0]!.score).toBeCloseTo(0.8, 12);
  });

  it('standardises scores with z-score normalisation', () => {
    // keyword: mean 6, σ = √(32/3) = 3.265986 → 1.224745, 0, −1.224745
    // semantic: mean 0.7, σ = 0.2 → id 3: 1, id 1: −1; id 2 gets the floor −1
    const fused = weightedSum([keyword, semantic], { normalization: 'z-score' });
    expect(fused.map((hit) => hit.id)).toEqual([1, 3, 2]);
    expect(fused[0]!.score).toBeCloseTo(1.224745 - 1, 5);
    expect(fused[2]!.score).toBeCloseTo(-1, 12);
  });

  it('maps a list of equal scores to 1 rather than dividing by zero', () => {
    const fused = weightedSum([[{ id: 7, score: 3 }], []]);
    expect(fused).toEqual([{ id: 7, score: 1 }]);
  });
});
