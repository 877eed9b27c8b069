import { describe, expect, it } from 'vitest';

import { BruteForceVectorIndex } from './brute-force-vector-index.js';

const v = (...values: number[]): Float32Array => Float32Array.from(values);

describe('BruteForceVectorIndex', () => {
  it('ranks by cosine similarity, whatever the vector lengths', () => {
    const index = new BruteForceVectorIndex(2);
    index.add(1, v(1, 0));
    index.add(2, v(10, 10));
    index.add(3, v(0, 3));
    const hits = index.search(v(2, 1), 3);
    // cos((2,1), (10,10)) = 3/√10 = 0.949; cos((2,1), (1,0)) = 2/√5 = 0.894; then 1/√5.
    expect(hits.map((hit) => hit.id)).toEqual([2, 1, 3]);
    expect(hits[0]!.score).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(hits[1]!.score).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(hits[2]!.score).toBeCloseTo(1 / Math.sqrt(5), 6);
  });

  it('replaces the vector of an id added twice', () => {
    const index = new BruteForceVectorIndex(2);
    index.add(1, v(1, 0));
    index.add(1, v(0, 1));
    expect(index.size).toBe(1);
    expect(index.search(v(0, 1), 1)[0]!.score).toBeCloseTo(1, 6);
  });

  it('removes ids and keeps the others findable', () => {
    const index = new BruteForceVectorIndex(2);
    for (let id = 0; id < 100; id++) index.add(id, v(Math.cos(id), Math.sin(id)));
    for (let id = 0; id < 100; id += 2) index.remove(id);
    index.remove(1000);
    expect(index.size).toBe(50);
    const hits = index.search(v(Math.cos(7), Math.sin(7)), 1);
    expect(hits[0]!.id).toBe(7);
    expect(index.search(v(1, 0), 100).every((hit) => hit.id % 2 === 1)).toBe(true);
  });

  it('applies the filter and the limit', () => {
    const index = new BruteForceVectorIndex(2);
    index.add(1, v(1, 0));
    index.add(2, v(1, 0.1));
    index.add(3, v(1, 0.2));
    expect(index.search(v(1, 0), 2, (id) => id !== 1).map((hit) => hit.id)).toEqual([2, 3]);
  });

  it('finds nothing for the zero vector', () => {
    const index = new BruteForceVectorIndex(2);
    index.add(1, v(1, 0));
    expect(index.search(v(0, 0), 5)).toEqual([]);
  });

  it('rejects vectors of another dimension', () => {
    const index = new BruteForceVectorIndex(3);
    expect(() => index.add(1, v(1, 0))).toThrow(/dimension 3/);
    expect(() => index.search(v(1, 0), 1)).toThrow(/dimension 3/);
  });
});
