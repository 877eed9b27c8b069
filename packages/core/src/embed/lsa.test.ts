import { describe, expect, it } from 'vitest';

import { englishAnalyzer } from '../analyze/index.js';
import type { Analyzer } from '../types.js';
import { fitLsaModel, lsaFitSample } from './lsa-fit.js';
import { LsaEmbedder } from './lsa-embedder.js';
import { LsaModel } from './lsa-model.js';
import { lsaRefitDue } from './lsa-refit.js';

/**
 * Two topics. "car" and "automobile" never share a chunk, but both co-occur with engine,
 * wheel and road; cooking chunks share nothing with them.
 */
function synonymCorpus(): string[][] {
  const corpus: string[][] = [];
  for (let i = 0; i < 12; i++) {
    const name = i % 2 === 0 ? 'car' : 'automobile';
    corpus.push([name, 'engine', i % 3 === 0 ? 'wheel' : 'road', 'drive', `v${i}`]);
    corpus.push(['oven', 'bake', i % 3 === 0 ? 'flour' : 'sugar', 'recipe', `c${i}`]);
  }
  return corpus;
}

const dot = (a: Float32Array, b: Float32Array): number =>
  a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('fitLsaModel', () => {
  it('places a query term near chunks that use a synonym it never co-occurs with', () => {
    // Two latent directions: vehicles and cooking; car and automobile share the first.
    const model = fitLsaModel(synonymCorpus(), { dimension: 2 });
    const query = model.embedTerms(['car']);
    const automobileChunk = model.embedTerms(['automobile', 'engine', 'road', 'drive']);
    const cookingChunk = model.embedTerms(['oven', 'bake', 'sugar', 'recipe']);

    expect(dot(query, automobileChunk)).toBeGreaterThan(0.5);
    expect(dot(query, automobileChunk)).toBeGreaterThan(dot(query, cookingChunk) + 0.4);
  });

  it('embeds texts as unit vectors and ignores unknown terms', () => {
    const model = fitLsaModel(synonymCorpus(), { dimension: 4 });
    const vector = model.embedTerms(['engine', 'zxqv']);
    expect(dot(vector, vector)).toBeCloseTo(1, 5);
    expect(vector).toEqual(model.embedTerms(['engine']));
  });

  it('embeds a text with no known term as the zero vector', () => {
    const model = fitLsaModel(synonymCorpus(), { dimension: 4 });
    expect(model.embedTerms(['zxqv', 'blorp']).every((x) => x === 0)).toBe(true);
    expect(model.embedTerms([]).every((x) => x === 0)).toBe(true);
  });

  it('fits the same model on the sample it names as on the whole corpus', () => {
    const corpus = synonymCorpus();
    const options = { dimension: 2, maxDocuments: 10 };
    const positions = lsaFitSample(corpus.length, options);
    expect(positions).toHaveLength(10);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const whole = fitLsaModel(corpus, options);
    const sampled = fitLsaModel(
      positions.map((index) => corpus[index]!),
      { ...options, corpusSize: corpus.length },
    );
    expect(sampled.documentCount).toBe(corpus.length);
    expect(sampled.serialize()).toEqual(whole.serialize());
  });

  it('keeps only terms found in at least two chunks', () => {
    const model = fitLsaModel(synonymCorpus(), { dimension: 4 });
    expect(model.vocabulary).toContain('engine');
    expect(model.vocabulary).not.toContain('v1');
  });

  it('pads the vectors of a corpus with fewer directions than the dimension', () => {
    const model = fitLsaModel(
      [
        ['wing', 'lift'],
        ['wing', 'drag'],
        ['lift', 'drag'],
      ],
      { dimension: 16 },
    );
    expect(model.dimension).toBe(16);
    expect(model.embedTerms(['wing'])).toHaveLength(16);
    expect(Number.isFinite(dot(model.embedTerms(['wing']), model.embedTerms(['lift'])))).toBe(true);
  });

  it('fits an empty corpus to a model that knows no term', () => {
    const model = fitLsaModel([], { dimension: 8 });
    expect(model.vocabulary).toEqual([]);
    expect(model.embedTerms(['wing']).every((x) => x === 0)).toBe(true);
  });

  it('is deterministic and names the model by dimension and content', () => {
    const a = fitLsaModel(synonymCorpus(), { dimension: 4 });
    const b = fitLsaModel(synonymCorpus(), { dimension: 4 });
    const c = fitLsaModel([...synonymCorpus(), ['car', 'oven']], { dimension: 4 });
    expect(a.modelId).toBe(b.modelId);
    expect(a.modelId).toMatch(/^lsa-v1-4d-[0-9a-f]{8}$/);
    expect(c.modelId).not.toBe(a.modelId);
  });

  it('can be fitted on a sample of a large corpus', () => {
    const corpus = Array.from({ length: 300 }, (_, i) => synonymCorpus()[i % 24]!);
    const model = fitLsaModel(corpus, { dimension: 4, maxDocuments: 50 });
    expect(model.documentCount).toBe(300);
    expect(model.vocabulary).toContain('engine');
  });
});

describe('LsaModel serialization', () => {
  it('round-trips to identical embeddings and model id', () => {
    const model = fitLsaModel(synonymCorpus(), { dimension: 4, analyzerId: 'en-v1' });
    const bytes = model.serialize();
    // Stored bytes may come back at an odd offset inside a larger buffer.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const restored = LsaModel.deserialize(shifted.subarray(1));

    expect(restored.modelId).toBe(model.modelId);
    expect(restored.analyzerId).toBe('en-v1');
    expect(restored.vocabulary).toEqual(model.vocabulary);
    expect(restored.embedTerms(['car', 'road'])).toEqual(model.embedTerms(['car', 'road']));
  });

  it('rejects bytes that are not a model', () => {
    expect(() => LsaModel.deserialize(new Uint8Array(40))).toThrow(/not an LSA model/);
    const bytes = fitLsaModel(synonymCorpus(), { dimension: 4 }).serialize();
    expect(() => LsaModel.deserialize(bytes.subarray(0, 60))).toThrow();
  });
});

describe('LsaEmbedder', () => {
  it('analyzes texts and embeds them with the model', async () => {
    const model = fitLsaModel(
      synonymCorpus().map((terms) => englishAnalyzer.analyze(terms.join(' '))),
      { dimension: 4, analyzerId: englishAnalyzer.id },
    );
    const embedder = new LsaEmbedder(model, englishAnalyzer);
    const [vector] = await embedder.embed(['Cars and their engines']);

    expect(embedder.modelId).toBe(model.modelId);
    expect(embedder.dimension).toBe(4);
    expect(vector).toEqual(model.embedTerms(englishAnalyzer.analyze('Cars and their engines')));
  });

  it('refuses an analyzer other than the one the model was fitted with', () => {
    const model = fitLsaModel(synonymCorpus(), { dimension: 4, analyzerId: 'en-v1' });
    const other: Analyzer = { id: 'other', analyze: (text) => text.split(' ') };
    expect(() => new LsaEmbedder(model, other)).toThrow(/analyzer/);
  });
});

describe('lsaRefitDue', () => {
  it('fits once a project is large enough and refits when it doubles or halves', () => {
    const model = fitLsaModel(
      Array.from({ length: 100 }, (_, i) => synonymCorpus()[i % 24]!),
      { dimension: 4 },
    );
    expect(lsaRefitDue(undefined, 10)).toBe(false);
    expect(lsaRefitDue(undefined, 50)).toBe(true);
    expect(lsaRefitDue(model, 150)).toBe(false);
    expect(lsaRefitDue(model, 200)).toBe(true);
    expect(lsaRefitDue(model, 50)).toBe(true);
  });
});
