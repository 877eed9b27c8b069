import { describe, expect, it } from 'vitest';
import { ExactVectorIndex } from './exact-index.js';
import { HnswVectorIndex } from './hnsw-index.js';
import { randomVectors } from './test-support/random-vectors.js';
import { DimensionMismatchError } from './vectors.js';

const vec = (...values: number[]) => Float32Array.from(values);

/**
 * The graph's hits are scored against its 8-bit copy of each vector, within a few
 * thousandths of the exact cosine even at the low dimensions of these tests.
 */
const expectNearScore = (score: number, exact: number) =>
  expect(Math.abs(score - exact)).toBeLessThan(0.005);

function bothIndexes(count: number, dimension: number, seed: number, options = {}) {
  const vectors = randomVectors(count, dimension, seed);
  const ids = vectors.map((_, i) => i);
  const hnsw = new HnswVectorIndex({ ...options, dimension });
  const exact = new ExactVectorIndex(dimension);
  hnsw.addMany(ids, vectors);
  vectors.forEach((vector, id) => exact.add(id, vector));
  return { hnsw, exact, vectors };
}

describe('HnswVectorIndex', () => {
  it('finds at least 95% of the exact top 10 on 20k random 128-dimensional vectors', () => {
    const { hnsw, exact } = bothIndexes(20_000, 128, 1);
    const queries = randomVectors(100, 128, 2);

    let found = 0;
    for (const query of queries) {
      const truth = new Set(exact.search(query, 10).map((hit) => hit.id));
      found += hnsw.search(query, 10).filter((hit) => truth.has(hit.id)).length;
    }

    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  }, 180_000);

  it('scores hits by cosine similarity, best first, like the exact index', () => {
    const { hnsw, exact } = bothIndexes(300, 8, 5);
    const [query] = randomVectors(1, 8, 6);

    const approximate = hnsw.search(query!, 5);
    const reference = exact.search(query!, 5);

    expect(approximate.map((hit) => hit.id)).toEqual(reference.map((hit) => hit.id));
    approximate.forEach((hit, i) => expectNearScore(hit.score, reference[i]!.score));
  });

  it('replaces the vector of an id that is added again', () => {
    const index = new HnswVectorIndex({ dimension: 2 });
    index.add(1, vec(1, 0));
    index.add(2, vec(0, 1));
    index.add(1, vec(-1, 0));

    expect(index.size).toBe(2);
    const [best] = index.search(vec(-1, 0), 1);
    expect(best!.id).toBe(1);
    expectNearScore(best!.score, 1);
    expect(index.search(vec(1, 0), 2).map((hit) => hit.id)).toEqual([2, 1]);
  });

  it('forgets removed ids, and can take them back later', () => {
    const index = new HnswVectorIndex({ dimension: 2 });
    index.add(1, vec(1, 0));
    index.add(2, vec(0, 1));
    index.remove(1);
    index.remove(99);

    expect(index.size).toBe(1);
    expect(index.search(vec(1, 0), 5).map((hit) => hit.id)).toEqual([2]);

    index.add(1, vec(1, 0));
    expect(index.search(vec(1, 0), 1)[0]!.id).toBe(1);
  });

  // A sparse graph with a narrow search makes a graph search cheap next to a scan of these
  // small indexes, so the cost model sends moderate filters through the graph.
  const sparse = { connectivity: 8, expansionSearch: 64 };

  it('returns only filtered ids, matching the exact index for a moderate filter', () => {
    const { hnsw, exact } = bothIndexes(3_000, 16, 9, sparse);
    const queries = randomVectors(20, 16, 10);
    const everyThird = (id: number) => id % 3 === 0;
    let calls = 0;
    const counted = (id: number) => {
      calls++;
      return everyThird(id);
    };

    let found = 0;
    for (const query of queries) {
      const hits = hnsw.search(query, 10, counted);
      expect(hits).toHaveLength(10);
      expect(hits.every((hit) => everyThird(hit.id))).toBe(true);
      const truth = new Set(exact.search(query, 10, everyThird).map((hit) => hit.id));
      found += hits.filter((hit) => truth.has(hit.id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    // The graph served these: a scan would have asked about all 3000 ids for each query.
    expect(calls / queries.length).toBeLessThan(500);
  });

  it('falls back to an exact scan when the filter accepts very few ids', () => {
    const { hnsw, exact } = bothIndexes(3_000, 16, 12, sparse);
    const [query] = randomVectors(1, 16, 13);
    const allowed = new Set([5, 500, 1500, 2999]);
    const calls = new Set<number>();
    const rare = (id: number) => {
      calls.add(id);
      return allowed.has(id);
    };

    const hits = hnsw.search(query!, 10, rare);

    const reference = exact.search(query!, 10, (id) => allowed.has(id));
    expect(hits.map((hit) => hit.id)).toEqual(reference.map((hit) => hit.id));
    hits.forEach((hit, i) => expectNearScore(hit.score, reference[i]!.score));
    expect(hits).toHaveLength(4);
    // The scan asked about every vector.
    expect(calls.size).toBe(3_000);
  });

  it('refuses vectors and queries whose length differs from the dimension', () => {
    const index = new HnswVectorIndex({ dimension: 3 });

    expect(() => index.add(1, vec(1, 2))).toThrow(DimensionMismatchError);
    expect(() => index.addMany([1, 2], [vec(1, 2, 3), vec(1)])).toThrow(DimensionMismatchError);
    expect(() => index.search(vec(1, 2), 1)).toThrow(DimensionMismatchError);
    expect(index.size).toBe(0);
  });

  it('refuses a batch whose ids and vectors do not pair up', () => {
    const index = new HnswVectorIndex({ dimension: 2 });

    expect(() => index.addMany([1, 2], [vec(1, 0)])).toThrow(/2 ids for 1 vectors/);
    expect(() => index.addMany([1, 1], [vec(1, 0), vec(0, 1)])).toThrow(/unique/);
  });

  it('returns nothing from an empty index', () => {
    expect(new HnswVectorIndex({ dimension: 2 }).search(vec(1, 0), 5)).toEqual([]);
  });
});
