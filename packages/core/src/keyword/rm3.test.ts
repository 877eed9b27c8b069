import { describe, expect, it } from 'vitest';

import { KeywordIndex } from './keyword-index.js';
import { expandQuery, searchWithFeedback } from './rm3.js';

/** Jet chunks also talk about engines; chunk 9 is about engines without the word "jet". */
function engineIndex(): KeywordIndex {
  const index = new KeywordIndex();
  for (let id = 0; id < 5; id++) index.add(id, ['jet', 'engine', 'thrust', `note${id}`]);
  for (let id = 5; id < 9; id++) index.add(id, ['wing', 'lift', `note${id}`]);
  index.add(9, ['engine', 'thrust', 'turbine']);
  for (let id = 10; id < 60; id++) index.add(id, ['filler', `other${id}`]);
  return index;
}

describe('RM3 feedback', () => {
  it('adds terms of the top chunks to the query, weighted to sum to one', () => {
    const index = engineIndex();
    const firstPass = index.search(['jet'], 10);
    const expanded = expandQuery(index, ['jet'], firstPass, { fbTerms: 3 });

    expect(expanded.has('engine')).toBe(true);
    expect(expanded.has('thrust')).toBe(true);
    let sum = 0;
    for (const weight of expanded.values()) sum += weight;
    expect(sum).toBeCloseTo(1, 10);
    // The original term keeps at least the original query weight.
    expect(expanded.get('jet')!).toBeGreaterThanOrEqual(0.5);
  });

  it('finds a chunk that shares the expansion terms but not the query word', () => {
    const index = engineIndex();
    expect(index.search(['jet'], 20).map((hit) => hit.id)).not.toContain(9);
    const hits = searchWithFeedback(index, ['jet'], 20);
    expect(hits.map((hit) => hit.id)).toContain(9);
    // The chunks with the query word still rank first.
    expect(hits.slice(0, 5).every((hit) => hit.id < 5)).toBe(true);
  });

  it('never expands with terms found in more than the allowed share of chunks', () => {
    const index = engineIndex();
    const firstPass = index.search(['jet'], 10);
    const expanded = expandQuery(index, ['jet'], firstPass, { maxDocumentShare: 0.05 });
    // engine and thrust are in 6 of 60 chunks (10%), above the 5% limit.
    expect(expanded.has('engine')).toBe(false);
  });

  it('returns the plain query weights when the first pass finds nothing', () => {
    const index = engineIndex();
    expect(expandQuery(index, ['zxqv', 'zxqv'], [])).toEqual(new Map([['zxqv', 1]]));
    expect(searchWithFeedback(index, ['zxqv'], 10)).toEqual([]);
  });

  it('reads feedback only from chunks the filter lets through', () => {
    const index = engineIndex();
    const hits = searchWithFeedback(index, ['jet'], 20, {}, (id) => id !== 9 && id !== 0);
    expect(hits.map((hit) => hit.id)).not.toContain(9);
    expect(hits.map((hit) => hit.id)).not.toContain(0);
  });

  it('with an original query weight of 1 ranks like plain BM25', () => {
    const index = engineIndex();
    const plain = index.search(['jet', 'wing'], 20).map((hit) => hit.id);
    const feedback = searchWithFeedback(index, ['jet', 'wing'], 20, { originalQueryWeight: 1 });
    expect(feedback.map((hit) => hit.id)).toEqual(plain);
  });

  it('scores exactly the expanded query, reusing the first pass', () => {
    const index = engineIndex();
    for (const query of [['jet'], ['jet', 'wing', 'jet'], ['engine', 'lift', 'filler']]) {
      for (const options of [{}, { originalQueryWeight: 0 }, { fbDocs: 3, fbTerms: 2 }]) {
        const firstPass = index.search(query, 10);
        const expected = index.searchWeighted(expandQuery(index, query, firstPass, options), 30);
        const hits = searchWithFeedback(index, query, 30, options);

        expect(hits.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
        hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 12));
      }
    }
  });
});
