import { describe, expect, it } from 'vitest';

import { TopK } from './top-k.js';

describe('TopK', () => {
  it('keeps the k highest scores, best first', () => {
    const top = new TopK(3);
    [5, 1, 9, 3, 7, 2].forEach((score, key) => top.push(score, key));
    expect(top.drain()).toEqual({ keys: [2, 4, 0], scores: [9, 7, 5] });
  });

  it('breaks ties in favour of the smaller key', () => {
    const top = new TopK(2);
    top.push(1, 8);
    top.push(1, 3);
    top.push(1, 5);
    expect(top.drain().keys).toEqual([3, 5]);
  });

  it('holds nothing with a capacity of zero', () => {
    const top = new TopK(0);
    top.push(1, 1);
    expect(top.accepts(10, 1)).toBe(false);
    expect(top.drain()).toEqual({ keys: [], scores: [] });
  });
});
