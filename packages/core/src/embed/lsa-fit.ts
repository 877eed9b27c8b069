import { ensureCapacity } from '../keyword/growable.js';
import { LsaModel } from './lsa-model.js';
import type { LsaWeighting } from './lsa-model.js';
import { truncatedSvd } from './randomized-svd.js';
import type { SparseColumns } from './randomized-svd.js';

/** How to fit an LSA model; only `dimension` is required. */
export interface LsaFitOptions {
  /**
   * Length of the embeddings (128 by default, measured). A corpus with fewer independent
   * directions than this fills the rest with zeros, so the length never depends on the data.
   */
  dimension?: number;
  /** Term weighting; `log-entropy` unless measured otherwise (docs/retrieval-quality.md). */
  weighting?: LsaWeighting;
  /** Terms in fewer chunks than this carry no co-occurrence signal and are left out. */
  minDocumentFrequency?: number;
  /** The most frequent terms (by chunk count) kept; bounds model size and fitting memory. */
  maxVocabulary?: number;
  /**
   * Exponent applied to the singular values in the term vectors: 0 compares texts by their
   * projection on the latent axes (classic LSI), 1 stresses the strongest axes.
   */
  singularValueExponent?: number;
  /** Scale each chunk's weighted column to unit length before the SVD. */
  normalizeDocuments?: boolean;
  /**
   * Larger corpora are fitted on a uniform random sample of this many chunks: the cost of
   * fitting grows with the chunks read, while the co-occurrence statistics of a few tens of
   * thousands of chunks already describe a project's vocabulary well.
   */
  maxDocuments?: number;
  /**
   * Chunks in the whole corpus when `corpus` is already a sample of it (drawn with
   * {@link lsaFitSample}); recorded as the model's `documentCount`.
   */
  corpusSize?: number;
  /** Randomized SVD settings, see {@link truncatedSvd}. */
  powerIterations?: number;
  oversampling?: number;
  seed?: number;
  /** Recorded in the model so that an embedder can refuse terms from another analyzer. */
  analyzerId?: string;
}

/** Defaults chosen by measurement on Cranfield (docs/retrieval-quality.md). */
export const DEFAULT_LSA_OPTIONS = {
  dimension: 128,
  weighting: 'log-entropy' as LsaWeighting,
  minDocumentFrequency: 2,
  maxVocabulary: 32_768,
  singularValueExponent: 0,
  normalizeDocuments: true,
  maxDocuments: 20_000,
  powerIterations: 2,
  oversampling: 16,
  seed: 1,
};

/**
 * Fits an LSA model to the analyzed term lists of a corpus (one list per chunk, read once):
 * a weighted term × chunk matrix is reduced by a truncated SVD, and each vocabulary term
 * keeps its row of the left singular vectors. Deterministic for a given corpus and options.
 */
export function fitLsaModel(
  corpus: Iterable<readonly string[]>,
  options: LsaFitOptions = {},
): LsaModel {
  const settings = { ...DEFAULT_LSA_OPTIONS, ...options };
  // A uniform sample, read once, holding references to the kept documents only.
  const sample = reservoir(corpus, settings.maxDocuments, settings.seed);
  const counts = countTerms(sample.documents);
  const vocabulary = chooseVocabulary(
    counts,
    settings.minDocumentFrequency,
    settings.maxVocabulary,
  );
  const matrix = weightedMatrix(counts, vocabulary.oldToNew, vocabulary.terms.length, settings);

  const dimension = settings.dimension;
  const svd = truncatedSvd(matrix.columns, {
    rank: dimension,
    oversampling: settings.oversampling,
    powerIterations: settings.powerIterations,
    seed: settings.seed,
  });

  // Term vectors: rows of U scaled by σ^exponent, padded with zeros up to `dimension`.
  const termVectors = new Float32Array(vocabulary.terms.length * dimension);
  for (let t = 0; t < vocabulary.terms.length; t++) {
    for (let c = 0; c < svd.rank; c++) {
      const sigma = svd.singularValues[c]!;
      const scale = sigma > 0 ? Math.pow(sigma, settings.singularValueExponent) : 0;
      termVectors[t * dimension + c] = svd.leftVectors[t * svd.rank + c]! * scale;
    }
  }

  return new LsaModel({
    dimension,
    weighting: settings.weighting,
    analyzerId: options.analyzerId,
    documentCount: options.corpusSize ?? sample.total,
    vocabulary: vocabulary.terms,
    globalWeights: matrix.globalWeights,
    termVectors,
    singularValues: Float32Array.from(svd.singularValues),
  });
}

/**
 * The positions, in increasing order, of the chunks {@link fitLsaModel} fits on when given
 * `total` chunks: callers that read chunks from storage load only these, then pass them
 * with `corpusSize: total`, and get the same model.
 */
export function lsaFitSample(total: number, options: LsaFitOptions = {}): number[] {
  const settings = { ...DEFAULT_LSA_OPTIONS, ...options };
  return reservoir(positions(total), settings.maxDocuments, settings.seed).documents;
}

function* positions(total: number): Generator<number> {
  for (let index = 0; index < total; index++) yield index;
}

/** Seeded reservoir sampling of `max` items, kept in the order they were read. */
function reservoir<T>(items: Iterable<T>, max: number, seed: number) {
  let state = (seed ^ 0x5bd1e995) >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const kept: { index: number; item: T }[] = [];
  let total = 0;
  for (const item of items) {
    if (kept.length < max) kept.push({ index: total, item });
    else {
      const slot = Math.floor(random() * (total + 1));
      if (slot < max) kept[slot] = { index: total, item };
    }
    total++;
  }
  kept.sort((a, b) => a.index - b.index);
  return { documents: kept.map((entry) => entry.item), total };
}

/** Per-chunk term counts of the whole corpus with corpus-wide statistics, by provisional id. */
interface CorpusCounts {
  names: string[];
  documentCount: number;
  starts: Int32Array;
  terms: Int32Array;
  frequencies: Int32Array;
  documentFrequencies: Int32Array;
  totalFrequencies: Float64Array;
}

function countTerms(corpus: Iterable<readonly string[]>): CorpusCounts {
  const ids = new Map<string, number>();
  const names: string[] = [];
  let starts = new Int32Array(1024);
  let terms = new Int32Array(65_536);
  let frequencies = new Int32Array(65_536);
  let documentFrequencies = new Int32Array(1024);
  let totalFrequencies = new Float64Array(1024);
  let scratch = new Int32Array(1024);
  let documentCount = 0;
  let entries = 0;

  for (const document of corpus) {
    const distinct: number[] = [];
    for (const term of document) {
      let t = ids.get(term);
      if (t === undefined) {
        t = names.length;
        ids.set(term, t);
        names.push(term);
        documentFrequencies = ensureCapacity(documentFrequencies, t + 1, Int32Array);
        totalFrequencies = ensureCapacity(totalFrequencies, t + 1, Float64Array);
        scratch = ensureCapacity(scratch, t + 1, Int32Array);
      }
      if (scratch[t] === 0) distinct.push(t);
      scratch[t]! += 1;
    }

    terms = ensureCapacity(terms, entries + distinct.length, Int32Array);
    frequencies = ensureCapacity(frequencies, entries + distinct.length, Int32Array);
    for (const t of distinct) {
      terms[entries] = t;
      frequencies[entries] = scratch[t]!;
      documentFrequencies[t]! += 1;
      totalFrequencies[t]! += scratch[t]!;
      scratch[t] = 0;
      entries++;
    }
    documentCount++;
    starts = ensureCapacity(starts, documentCount + 1, Int32Array);
    starts[documentCount] = entries;
  }

  return {
    names,
    documentCount,
    starts,
    terms,
    frequencies,
    documentFrequencies,
    totalFrequencies,
  };
}

/** Terms in at least `minDf` chunks, the most frequent `max` of them, by chunk count. */
function chooseVocabulary(counts: CorpusCounts, minDf: number, max: number) {
  const candidates: number[] = [];
  for (let t = 0; t < counts.names.length; t++) {
    if (counts.documentFrequencies[t]! >= minDf) candidates.push(t);
  }
  candidates.sort(
    (a, b) =>
      counts.documentFrequencies[b]! - counts.documentFrequencies[a]! ||
      (counts.names[a]! < counts.names[b]! ? -1 : 1),
  );
  const kept = candidates.slice(0, max);
  const oldToNew = new Int32Array(counts.names.length).fill(-1);
  kept.forEach((t, i) => (oldToNew[t] = i));
  return { terms: kept.map((t) => counts.names[t]!), oldToNew, kept };
}

/** The weighted term × chunk matrix over the vocabulary, and each term's global weight. */
function weightedMatrix(
  counts: CorpusCounts,
  oldToNew: Int32Array,
  size: number,
  settings: { weighting: LsaWeighting; normalizeDocuments: boolean },
): { columns: SparseColumns; globalWeights: Float32Array } {
  const n = counts.documentCount;
  const globalWeights = new Float32Array(size);

  if (settings.weighting === 'tfidf') {
    // The same idf as the keyword index, so both retrievers agree on what is rare.
    for (let old = 0; old < oldToNew.length; old++) {
      const t = oldToNew[old]!;
      if (t < 0) continue;
      const df = counts.documentFrequencies[old]!;
      globalWeights[t] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
  } else {
    // Log-entropy: 1 + Σ_j p·log p / log n with p = tf / total frequency. A term spread
    // evenly over all chunks gets 0, one concentrated in a single chunk gets 1.
    const entropy = new Float64Array(size);
    for (let e = 0; e < counts.starts[n]!; e++) {
      const t = oldToNew[counts.terms[e]!]!;
      if (t < 0) continue;
      const p = counts.frequencies[e]! / counts.totalFrequencies[counts.terms[e]!]!;
      entropy[t]! += p * Math.log(p);
    }
    const logN = Math.log(n);
    for (let t = 0; t < size; t++) globalWeights[t] = logN > 0 ? 1 + entropy[t]! / logN : 1;
  }

  const starts = new Int32Array(n + 1);
  const terms = new Int32Array(counts.starts[n]!);
  const weights = new Float64Array(counts.starts[n]!);
  let out = 0;
  for (let j = 0; j < n; j++) {
    const first = out;
    for (let e = counts.starts[j]!; e < counts.starts[j + 1]!; e++) {
      const t = oldToNew[counts.terms[e]!]!;
      if (t < 0) continue;
      terms[out] = t;
      weights[out] = Math.log1p(counts.frequencies[e]!) * globalWeights[t]!;
      out++;
    }
    if (settings.normalizeDocuments) scaleToUnit(weights, first, out);
    starts[j + 1] = out;
  }

  return {
    columns: { rows: size, columns: n, starts, terms: terms.subarray(0, out), weights },
    globalWeights,
  };
}

function scaleToUnit(values: Float64Array, start: number, end: number): void {
  let norm = 0;
  for (let i = start; i < end; i++) norm += values[i]! * values[i]!;
  if (norm === 0) return;
  const inverse = 1 / Math.sqrt(norm);
  for (let i = start; i < end; i++) values[i]! *= inverse;
}
