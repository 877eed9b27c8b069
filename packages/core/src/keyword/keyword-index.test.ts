import { describe, expect, it } from 'vitest';

import { KeywordIndex } from './keyword-index.js';

/**
 * The toy corpus of the hand computations below (k1 = 0.9, b = 0.4):
 *   1: wing lift wing          |d| = 3
 *   2: lift drag               |d| = 2
 *   3: heat transfer heat flow |d| = 4
 * N = 3, avgdl = 9 / 3 = 3.
 */
function toyIndex(): KeywordIndex {
  const index = new KeywordIndex();
  index.add(1, ['wing', 'lift', 'wing']);
  index.add(2, ['lift', 'drag']);
  index.add(3, ['heat', 'transfer', 'heat', 'flow']);
  return index;
}

describe('KeywordIndex', () => {
  it('scores a rare term like Lucene BM25', () => {
    // idf(wing) = ln(1 + (3 − 1 + 0.5) / (1 + 0.5)) = ln(2.666667) = 0.980829
    // doc 1: tf 2, norm = 0.9 · (0.6 + 0.4 · 3/3) = 0.9 → 0.980829 · 2 / 2.9 = 0.676434
    const hits = toyIndex().search(['wing'], 10);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.id).toBe(1);
    expect(hits[0]!.score).toBeCloseTo(0.676434, 6);
  });

  it('scores the same after giving back spare room, and still takes new chunks', () => {
    const index = toyIndex();
    const before = index.search(['wing', 'lift', 'heat'], 10);
    index.releaseSpareCapacity();
    expect(index.search(['wing', 'lift', 'heat'], 10)).toEqual(before);
    index.add(4, ['wing', 'flutter']);
    expect(index.search(['flutter'], 10).map((hit) => hit.id)).toEqual([4]);
    expect(index.termFrequencies(1)).toEqual(
      new Map([
        ['wing', 2],
        ['lift', 1],
      ]),
    );
  });

  it('normalises by chunk length, so the shorter chunk wins a tie on frequency', () => {
    // idf(lift) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.470004
    // doc 2: |d| 2, norm = 0.9 · (0.6 + 0.4 · 2/3) = 0.78 → 0.470004 / 1.78 = 0.264047
    // doc 1: |d| 3, norm = 0.9 → 0.470004 / 1.9 = 0.247370
    const hits = toyIndex().search(['lift'], 10);
    expect(hits.map((hit) => hit.id)).toEqual([2, 1]);
    expect(hits[0]!.score).toBeCloseTo(0.264047, 6);
    expect(hits[1]!.score).toBeCloseTo(0.24737, 5);
  });

  it('sums the contributions of several query terms', () => {
    // doc 1: 0.676434 + 0.247370 = 0.923804; doc 2: 0.264047
    const hits = toyIndex().search(['wing', 'lift'], 10);
    expect(hits.map((hit) => hit.id)).toEqual([1, 2]);
    expect(hits[0]!.score).toBeCloseTo(0.923804, 5);
  });

  it('counts a repeated query term twice, like a Lucene boolean query', () => {
    const once = toyIndex().search(['wing'], 1)[0]!.score;
    const twice = toyIndex().search(['wing', 'wing'], 1)[0]!.score;
    expect(twice).toBeCloseTo(2 * once, 10);
  });

  it('returns only chunks that contain a query term', () => {
    const index = toyIndex();
    expect(index.search(['zxqv'], 10)).toEqual([]);
    expect(index.search([], 10)).toEqual([]);
    expect(index.search(['heat', 'zxqv'], 10).map((hit) => hit.id)).toEqual([3]);
  });

  it('keeps the best k hits in order', () => {
    const index = new KeywordIndex();
    for (let id = 0; id < 50; id++) index.add(id, [...Array(id % 7).fill('wing'), 'filler', 'x']);
    const hits = index.search(['wing'], 5);
    expect(hits).toHaveLength(5);
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits.every((hit) => hit.id % 7 === 6)).toBe(true);
  });

  it('applies the filter before taking the top k', () => {
    const hits = toyIndex().search(['lift'], 1, (id) => id !== 2);
    expect(hits.map((hit) => hit.id)).toEqual([1]);
  });

  it('after a removal scores exactly like an index built without the chunk', () => {
    const index = toyIndex();
    index.remove(3);
    const fresh = new KeywordIndex();
    fresh.add(1, ['wing', 'lift', 'wing']);
    fresh.add(2, ['lift', 'drag']);

    expect(index.size).toBe(2);
    expect(index.search(['heat'], 10)).toEqual([]);
    // N = 2, avgdl = 2.5, idf(lift) = ln(1 + 0.5 / 2.5) = ln(1.2) = 0.182322
    const hits = index.search(['lift', 'wing'], 10);
    expect(hits).toEqual(fresh.search(['lift', 'wing'], 10));
    expect(index.search(['lift'], 10)[0]!.score).toBeCloseTo(
      (0.182322 * 1) / (1 + 0.9 * (0.6 + (0.4 * 2) / 2.5)),
      5,
    );
  });

  it('replaces a chunk that is added again under the same id', () => {
    const index = toyIndex();
    index.add(1, ['drag']);
    expect(index.size).toBe(3);
    expect(index.search(['wing'], 10)).toEqual([]);
    expect(
      index
        .search(['drag'], 10)
        .map((hit) => hit.id)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('ignores the removal of an unknown id', () => {
    const index = toyIndex();
    index.remove(42);
    expect(index.size).toBe(3);
  });

  it('finds chunks added after a search, before and after they are inverted', () => {
    const index = new KeywordIndex();
    for (let id = 0; id < 200; id++) index.add(id, ['common', `term${id}`]);
    expect(index.search(['term5'], 1)[0]!.id).toBe(5);

    index.add(1000, ['late', 'common']);
    expect(index.search(['late'], 1)[0]!.id).toBe(1000);
    expect(index.search(['common'], 300)).toHaveLength(201);
  });

  it('stays correct through many removals that trigger compaction', () => {
    const index = new KeywordIndex();
    const reference = new KeywordIndex();
    for (let id = 0; id < 400; id++) {
      const terms = [`group${id % 10}`, `t${id}`, id % 3 === 0 ? 'three' : 'other'];
      index.add(id, terms);
      if (id % 4 === 0) reference.add(id, terms);
    }
    index.search(['three'], 1);
    for (let id = 0; id < 400; id++) if (id % 4 !== 0) index.remove(id);

    expect(index.size).toBe(100);
    for (const query of [['three'], ['group4', 'other'], ['t8'], ['t9']]) {
      expect(index.search(query, 1000)).toEqual(reference.search(query, 1000));
    }
    expect(index.termFrequencies(8)).toEqual(
      new Map([
        ['group8', 1],
        ['t8', 1],
        ['other', 1],
      ]),
    );
    expect(index.vocabularySize).toBe(reference.vocabularySize);
  });

  it('reports term statistics used by feedback', () => {
    const index = toyIndex();
    expect(index.documentFrequency('lift')).toBe(2);
    expect(index.documentFrequency('zxqv')).toBe(0);
    expect(index.averageLength).toBe(3);
    expect(index.termFrequencies(1)).toEqual(
      new Map([
        ['wing', 2],
        ['lift', 1],
      ]),
    );
    expect(index.termFrequencies(99)).toBeUndefined();
  });

  it('returns nothing from an empty index or for k = 0', () => {
    expect(new KeywordIndex().search(['wing'], 10)).toEqual([]);
    expect(toyIndex().search(['wing'], 0)).toEqual([]);
  });

  it('accepts other BM25 parameters', () => {
    // k1 = 1.2, b = 0.75, doc 2 for "lift": norm = 1.2 · (0.25 + 0.75 · 2/3) = 0.9
    const index = new KeywordIndex({ k1: 1.2, b: 0.75 });
    index.add(1, ['wing', 'lift', 'wing']);
    index.add(2, ['lift', 'drag']);
    index.add(3, ['heat', 'transfer', 'heat', 'flow']);
    const doc2 = index.search(['lift'], 10).find((hit) => hit.id === 2)!;
    expect(doc2.score).toBeCloseTo(Math.log(1.6) / 1.9, 6);
  });
});
