import { describe, expect, it } from 'vitest';

import { englishAnalyzer } from '../analyze/index.js';
import { LsaEmbedder, fitLsaModel } from '../embed/index.js';
import type { Embedder } from '../types.js';
import { ExactVectorIndex } from '../vector/index.js';
import { SearchIndex } from './search-index.js';

const texts = [
  'Supersonic flow over a swept wing produces shock waves.',
  'Lift and drag of a wing at high angles of attack.',
  'Heat transfer in a laminar boundary layer.',
  'Boundary layer transition on a heated flat plate.',
  'Shock waves in a supersonic wind tunnel.',
  'Buckling of thin cylindrical shells under pressure.',
];

/**
 * A project with the built-in LSA embedder fitted on its own chunks. With six chunks every
 * term is in more than RM3's default 10% of them, so that limit is lifted here.
 */
function lsaProject(): SearchIndex {
  const terms = texts.map((text) => englishAnalyzer.analyze(text));
  const model = fitLsaModel(terms, { dimension: 4, analyzerId: englishAnalyzer.id });
  const index = new SearchIndex({
    vectors: new ExactVectorIndex(4),
    embedder: new LsaEmbedder(model, englishAnalyzer),
    feedback: { maxDocumentShare: 1 },
  });
  terms.forEach((chunkTerms, id) => index.add(id, chunkTerms, model.embedTerms(chunkTerms)));
  return index;
}

/** An embedder that maps chosen words to fixed directions, to test the floor exactly. */
function fixedEmbedder(vectors: Record<string, number[]>): Embedder {
  return {
    modelId: 'fixed',
    dimension: 2,
    batchSize: 8,
    embed: async (queries) => queries.map((q) => Float32Array.from(vectors[q] ?? [0, 0])),
  };
}

describe('SearchIndex', () => {
  it('finds chunks by keyword, semantic and hybrid search', async () => {
    const index = lsaProject();
    for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
      const hits = await index.search('shock waves', { mode });
      expect(hits[0]!.id === 0 || hits[0]!.id === 4).toBe(true);
    }
  });

  it('searches in hybrid mode by default and returns at most `limit` hits', async () => {
    const index = lsaProject();
    const hits = await index.search('wing boundary layer shock', { limit: 2 });
    expect(hits).toHaveLength(2);
  });

  it.each(['keyword', 'semantic', 'hybrid'] as const)(
    'returns nothing in %s mode for a query with no known word',
    async (mode) => {
      const index = lsaProject();
      expect(await index.search('zxqv blorp', { mode })).toEqual([]);
      expect(await index.search('the of and', { mode })).toEqual([]);
      expect(await index.search('?!… 🚀', { mode })).toEqual([]);
    },
  );

  it('treats query syntax as text and never throws', async () => {
    const index = lsaProject();
    for (const query of ['"unbalanced', 'wing AND -lift*', '((', '', 'NOT']) {
      await expect(index.search(query)).resolves.toBeInstanceOf(Array);
    }
    expect((await index.search('"wing" AND -lift*', { mode: 'keyword' }))[0]!.id).toBe(1);
  });

  it('drops semantic hits below the similarity floor', async () => {
    const index = new SearchIndex({
      vectors: new ExactVectorIndex(2),
      embedder: fixedEmbedder({ east: [1, 0] }),
      minSimilarity: 0.5,
    });
    index.add(1, ['a'], Float32Array.from([1, 0.1]));
    index.add(2, ['b'], Float32Array.from([0.3, 1]));
    const hits = await index.search('east', { mode: 'semantic' });
    expect(hits.map((hit) => hit.id)).toEqual([1]);
  });

  it('in hybrid mode returns nothing without a keyword match, even if vectors are close', async () => {
    const index = new SearchIndex({
      vectors: new ExactVectorIndex(2),
      embedder: fixedEmbedder({ 'zxqv blorp': [1, 0] }),
    });
    index.add(1, ['wing'], Float32Array.from([1, 0]));
    expect(await index.search('zxqv blorp', { mode: 'semantic' })).toHaveLength(1);
    expect(await index.search('zxqv blorp', { mode: 'hybrid' })).toEqual([]);
  });

  it('in hybrid mode adds semantic hits above the floor to the keyword hits', async () => {
    const index = new SearchIndex({
      vectors: new ExactVectorIndex(2),
      embedder: fixedEmbedder({ wing: [1, 0] }),
      minSimilarity: 0.5,
    });
    index.add(1, ['wing'], Float32Array.from([0, 1]));
    index.add(2, ['airfoil'], Float32Array.from([1, 0.2]));
    index.add(3, ['shell'], Float32Array.from([0.2, 1]));
    const ids = (await index.search('wing', { feedback: false })).map((hit) => hit.id);
    expect(ids).toContain(1);
    expect(ids).toContain(2);
    expect(ids).not.toContain(3);
  });

  it('never returns chunks the filter keeps out, in any mode', async () => {
    const index = lsaProject();
    for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
      const hits = await index.search('shock waves wing', { mode, filter: (id) => id !== 0 });
      expect(hits.map((hit) => hit.id)).not.toContain(0);
    }
  });

  it('forgets removed chunks in both indexes', async () => {
    const index = lsaProject();
    index.remove(0);
    index.remove(4);
    expect(index.size).toBe(4);
    for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
      const ids = (await index.search('shock waves', { mode })).map((hit) => hit.id);
      expect(ids).not.toContain(0);
      expect(ids).not.toContain(4);
    }
  });

  it('uses RM3 feedback in keyword mode only when asked', async () => {
    const index = lsaProject();
    const plain = await index.search('supersonic', { mode: 'keyword' });
    const expanded = await index.search('supersonic', { mode: 'keyword', feedback: true });
    expect(plain.map((hit) => hit.id).sort()).toEqual([0, 4]);
    expect(expanded.length).toBeGreaterThan(plain.length);
  });

  it('falls back to keyword search in hybrid mode without an embedder', async () => {
    const index = new SearchIndex();
    index.add(1, englishAnalyzer.analyze('wing lift'));
    expect((await index.search('wing')).map((hit) => hit.id)).toEqual([1]);
    await expect(index.search('wing', { mode: 'semantic' })).rejects.toThrow(/embedder/);
  });

  it('asks an outside index for neighbours and applies the filter to what it returns', async () => {
    const asked: number[] = [];
    const index = new SearchIndex({
      embedder: fixedEmbedder({ wing: [1, 0] }),
      nearest: async (_vector, k) => {
        asked.push(k);
        return [
          { id: 1, score: 0.9 },
          { id: 0, score: 0.8 },
          { id: 2, score: 0.05 },
        ];
      },
    });
    texts.forEach((text, id) => index.add(id, englishAnalyzer.analyze(text)));

    expect(await index.search('wing', { mode: 'semantic', limit: 5 })).toEqual([
      { id: 1, score: 0.9 },
      { id: 0, score: 0.8 },
    ]);
    const filtered = await index.search('wing', {
      mode: 'semantic',
      limit: 5,
      filter: (id) => id !== 1,
    });
    expect(filtered.map((hit) => hit.id)).toEqual([0]);
    expect(asked).toEqual([5, 20]);
  });

  it('refuses an embedder whose dimension differs from the vector index', () => {
    expect(
      () => new SearchIndex({ vectors: new ExactVectorIndex(3), embedder: fixedEmbedder({}) }),
    ).toThrow(/dimension|2-d/);
  });
});
