import { describe, expect, it } from 'vitest';
import { ExactVectorIndex } from './exact-index.js';
import { randomVectors } from './test-support/random-vectors.js';
import { DimensionMismatchError } from './vectors.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

const vec = (...values: number[]) => Float32Array.from(values);

describe('ExactVectorIndex', () => {
  it('returns the k most similar ids with their cosine similarity, best first', () => {
    const vectors = randomVectors(500, 16, 7);
    const [query] = randomVectors(1, 16, 8);
    const index = new ExactVectorIndex(16);
    vectors.forEach((vector, id) => index.add(id, vector));

    const expected = vectors
      .map((vector, id) => ({ id, score: cosine(vector, query!) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    const hits = index.search(query!, 10);

    expect(hits.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 5));
  });

  it('keeps quantized similarities within 0.002 of exact at 128 dimensions', () => {
    const vectors = randomVectors(2_000, 128, 11);
    const queries = randomVectors(20, 128, 12);
    const index = new ExactVectorIndex(128, { quantized: true, capacity: 10 });
    vectors.forEach((vector, id) => index.add(id, vector));
    // Removal moves the last slot's vector and scale into the hole.
    index.remove(3);
    expect(index.size).toBe(1_999);

    let worst = 0;
    for (const query of queries) {
      const ids = [0, 1, 2, 1_999, 500];
      index.similarities(query, ids).forEach((score, i) => {
        worst = Math.max(worst, Math.abs(score - cosine(vectors[ids[i]!]!, query)));
      });
      const hits = index.search(query, 5);
      hits.forEach((hit) => {
        worst = Math.max(worst, Math.abs(hit.score - cosine(vectors[hit.id]!, query)));
      });
    }
    expect(worst).toBeLessThan(0.002);
    expect(index.similarities(queries[0]!, [3])[0]).toBe(0);
  });

  it('replaces the vector of an id that is added again', () => {
    const index = new ExactVectorIndex(2);
    index.add(1, vec(1, 0));
    index.add(2, vec(0, 1));
    index.add(1, vec(0, 2));

    expect(index.size).toBe(2);
    expect(index.search(vec(0, 1), 2)).toEqual([
      { id: 1, score: 1 },
      { id: 2, score: 1 },
    ]);
  });

  it('forgets removed ids and keeps the others searchable', () => {
    const index = new ExactVectorIndex(2);
    index.add(1, vec(1, 0));
    index.add(2, vec(0.9, 0.1));
    index.add(3, vec(0, 1));
    index.remove(1);
    index.remove(42);

    expect(index.size).toBe(2);
    expect(index.has(1)).toBe(false);
    expect(index.search(vec(1, 0), 5).map((hit) => hit.id)).toEqual([2, 3]);
  });

  it('only returns ids the filter accepts', () => {
    const index = new ExactVectorIndex(8);
    randomVectors(200, 8, 3).forEach((vector, id) => index.add(id, vector));
    const [query] = randomVectors(1, 8, 4);

    const hits = index.search(query!, 10, (id) => id % 7 === 0);

    expect(hits).toHaveLength(10);
    expect(hits.every((hit) => hit.id % 7 === 0)).toBe(true);
    expect(index.search(query!, 10, () => false)).toEqual([]);
  });

  it('refuses vectors and queries whose length differs from the dimension', () => {
    const index = new ExactVectorIndex(3);

    expect(() => index.add(1, vec(1, 2))).toThrow(DimensionMismatchError);
    expect(() => index.search(vec(1, 2, 3, 4), 1)).toThrow(/4 dimensions .* 3-dimensional/);
    expect(index.size).toBe(0);
  });

  it('refuses invalid ids and non-finite components', () => {
    const index = new ExactVectorIndex(2);

    expect(() => index.add(-1, vec(1, 0))).toThrow(RangeError);
    expect(() => index.add(1.5, vec(1, 0))).toThrow(RangeError);
    expect(() => index.add(1, vec(Number.NaN, 0))).toThrow(/finite/);
  });

  it('scores a zero vector as unrelated to everything', () => {
    const index = new ExactVectorIndex(2);
    index.add(1, vec(0, 0));

    expect(index.search(vec(1, 1), 1)).toEqual([{ id: 1, score: 0 }]);
  });

  it('returns nothing for an empty index or a non-positive k', () => {
    const index = new ExactVectorIndex(2);
    expect(index.search(vec(1, 0), 3)).toEqual([]);

    index.add(1, vec(1, 0));
    expect(index.search(vec(1, 0), 0)).toEqual([]);
    expect(index.search(vec(1, 0), 5)).toHaveLength(1);
  });

  it('grows past its initial capacity without losing vectors', () => {
    const index = new ExactVectorIndex(4);
    const vectors = randomVectors(1000, 4, 11);
    vectors.forEach((vector, id) => index.add(id, vector));

    expect(index.size).toBe(1000);
    expect(index.search(vectors[999]!, 1)[0]!.id).toBe(999);
  });
});
