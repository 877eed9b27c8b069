import { describe, expect, it } from 'vitest';

import {
  averagePrecision,
  evaluateRun,
  ndcgAt,
  rankLikeTrecEval,
  recallAt,
  reciprocalRankAt,
} from './metrics.js';
import type { Qrels, Run } from './metrics.js';

// Judgements: d1 grade 3, d2 grade 1, d4 grade 2; d3 judged not relevant (0).
const judgements = new Map([
  ['d1', 3],
  ['d2', 1],
  ['d3', 0],
  ['d4', 2],
]);
const ranking = ['d2', 'd5', 'd1', 'd3', 'd4'];

describe('ndcgAt', () => {
  it('uses grades as linear gains and the ideal ordering of all judged documents', () => {
    // DCG@3 = 1/log2(2) + 0 + 3/log2(4) = 2.5
    // IDCG@3 = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5 = 4.761860
    expect(ndcgAt(ranking, judgements, 3)).toBeCloseTo(2.5 / 4.76186, 5);
  });

  it('discounts deeper ranks by log2(rank + 1)', () => {
    // DCG@5 = 2.5 + 2/log2(6) = 2.5 + 0.773706; the ideal list has only three gains.
    expect(ndcgAt(ranking, judgements, 5)).toBeCloseTo(3.273706 / 4.76186, 5);
  });

  it('is 1 for the ideal ranking and 0 without relevant documents', () => {
    expect(ndcgAt(['d1', 'd4', 'd2'], judgements, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(['d3', 'd5'], judgements, 10)).toBe(0);
    expect(ndcgAt(['d1'], new Map([['d1', 0]]), 10)).toBe(0);
  });
});

describe('averagePrecision', () => {
  it('averages the precision at each relevant document over all relevant ones', () => {
    // relevant at ranks 1, 3, 5: (1/1 + 2/3 + 3/5) / 3 = 0.755556
    expect(averagePrecision(ranking, judgements)).toBeCloseTo(0.755556, 6);
  });

  it('counts relevant documents past the depth as not retrieved', () => {
    // (1/1 + 2/3) / 3 = 0.555556
    expect(averagePrecision(ranking, judgements, 3)).toBeCloseTo(0.555556, 6);
  });
});

describe('recallAt', () => {
  it('is the share of relevant documents in the top k', () => {
    expect(recallAt(ranking, judgements, 3)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranking, judgements, 1)).toBeCloseTo(1 / 3, 12);
    expect(recallAt(ranking, judgements, 100)).toBe(1);
  });
});

describe('reciprocalRankAt', () => {
  it('is one over the rank of the first document with a grade above 0', () => {
    expect(reciprocalRankAt(ranking, judgements, 10)).toBe(1);
    expect(reciprocalRankAt(['d5', 'd3', 'd4'], judgements, 10)).toBeCloseTo(1 / 3, 12);
  });

  it('is 0 when the first relevant document lies beyond k', () => {
    expect(reciprocalRankAt(['d5', 'd3', 'd4'], judgements, 2)).toBe(0);
  });
});

describe('rankLikeTrecEval', () => {
  it('sorts by score, then by document id in descending order', () => {
    const hits = [
      { docId: 'a', score: 1 },
      { docId: 'c', score: 1 },
      { docId: 'b', score: 2 },
    ];
    expect(rankLikeTrecEval(hits)).toEqual(['b', 'c', 'a']);
  });

  it('compares scores as 32-bit floats, as trec_eval reads them', () => {
    const hits = [
      { docId: 'a', score: 0.1 },
      { docId: 'b', score: 0.1 + 1e-12 },
    ];
    expect(rankLikeTrecEval(hits)).toEqual(['b', 'a']);
    expect(rankLikeTrecEval([hits[1]!, { docId: 'c', score: 0.1 }])).toEqual(['c', 'b']);
  });
});

describe('evaluateRun', () => {
  it('averages over judged queries, counting a query missing from the run as 0', () => {
    const qrels: Qrels = new Map([
      ['q1', judgements],
      ['q2', new Map([['x', 1]])],
      ['q3', new Map([['y', 0]])],
    ]);
    const run: Run = new Map([['q1', ranking.map((docId, i) => ({ docId, score: 10 - i }))]]);
    const evaluation = evaluateRun(run, qrels);

    expect(evaluation.queryCount).toBe(2);
    expect(evaluation.mean.map).toBeCloseTo(0.755556 / 2, 6);
    expect(evaluation.mean.mrr10).toBeCloseTo(0.5, 12);
    expect(evaluation.mean.recall100).toBeCloseTo(0.5, 12);
    expect(evaluation.perQuery.get('q2')).toEqual({ ndcg10: 0, map: 0, recall100: 0, mrr10: 0 });
    expect(evaluation.perQuery.has('q3')).toBe(false);
  });
});
