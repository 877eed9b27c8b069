import { englishAnalyzer, queryTerms } from '../analyze/index.js';
import { rrf, weightedSum } from '../fusion/index.js';
import type { ScoreNormalization } from '../fusion/index.js';
import { KeywordIndex, searchWithFeedback } from '../keyword/index.js';
import type { Bm25Options, FeedbackOptions } from '../keyword/index.js';
import type { Analyzer, Embedder, ScoredId, SearchMode, VectorIndex } from '../types.js';

/** How keyword and semantic hits are combined in hybrid mode. */
export type FusionSettings =
  | {
      method: 'weighted-sum';
      normalization?: ScoreNormalization;
      /** Weight of the keyword list, then of the semantic list. */
      weights?: readonly [number, number];
    }
  | { method: 'rrf'; k?: number; weights?: readonly [number, number] };

export interface SearchIndexOptions {
  /** Analyzer for query text; must be the one that produced the chunks' terms. */
  analyzer?: Analyzer;
  /** BM25 parameters of the keyword index (Lucene's k1 0.9, b 0.4 by default). */
  bm25?: Bm25Options;
  /**
   * An existing keyword index to search instead of a new, empty one (`bm25` is then its
   * own): an index whose semantic side is replaced, after an embedding model change, keeps
   * the keyword side, which no model affects.
   */
  keyword?: KeywordIndex;
  /** Where chunk vectors live: an {@link ExactVectorIndex} or an approximate index. */
  vectors?: VectorIndex;
  /** Embeds query text for semantic and hybrid search; must match the stored vectors. */
  embedder?: Embedder;
  /**
   * Nearest neighbours from vectors kept outside the process (pgvector's HNSW index in server
   * mode), used instead of `vectors`. Returns cosine similarities, best first.
   */
  nearest?: (query: Float32Array, k: number) => Promise<ScoredId[]>;
  /** Hybrid fusion; equal-weight min-max weighted sum by default (measured on Cranfield). */
  fusion?: FusionSettings;
  /** Semantic hits less similar than this (cosine) are not returned. */
  minSimilarity?: number;
  /** RM3 settings used when a search asks for feedback (Anserini's 10 docs, 20 terms, 0.5). */
  feedback?: FeedbackOptions;
  /** Hits taken from each retriever before fusion, at least `limit`. */
  candidates?: number;
}

export interface SearchOptions {
  /** `hybrid` (default) fuses keyword and semantic hits. */
  mode?: SearchMode;
  /** Largest number of hits returned (10 by default). */
  limit?: number;
  /** Keeps out chunks the caller may not see; applied inside each retriever. */
  filter?: (id: number) => boolean;
  /**
   * RM3 pseudo-relevance feedback on the keyword side; off by default. In keyword mode that
   * keeps a query word in every hit. In hybrid mode the semantic side already brings in
   * chunks without the query's words, and feedback would double the keyword side's cost for
   * no measured gain through the product (docs/retrieval-quality.md).
   */
  feedback?: boolean;
}

/** How many more neighbours to ask an outside index for when a filter will drop some. */
const NEAREST_OVERFETCH = 4;

/**
 * Defaults chosen by measurement (docs/retrieval-quality.md). The similarity floor suits
 * the built-in LSA embedder, whose cosine similarities run lower than those of neural
 * models: 5% of judged-relevant Cranfield documents score below 0.1, the median top hit 0.68.
 */
export const SEARCH_DEFAULTS = {
  limit: 10,
  candidates: 100,
  minSimilarity: 0.1,
  fusion: { method: 'weighted-sum', normalization: 'min-max', weights: [0.5, 0.5] },
} as const;

/**
 * Keyword, semantic and hybrid search over one project's chunks, identified by numeric ids.
 *
 * Relevance floor — a query with nothing relevant returns nothing:
 * - keyword: only chunks containing at least one query term are hits, so a query whose
 *   terms are all absent from the project (or that analyzes to no term at all, such as
 *   punctuation or only stop words) returns [];
 * - semantic: hits with cosine similarity below `minSimilarity` are dropped, and a query
 *   the embedder cannot place (the LSA embedder knows none of its terms) returns [];
 * - hybrid: needs keyword evidence. When no query term occurs in the project the result is
 *   [], even if the embedder finds something vaguely similar, so a nonsense query like
 *   "zxqv blorp" never returns purely semantic junk. Semantic hits below the floor are
 *   dropped before fusion; keyword hits are all kept.
 */
export class SearchIndex {
  readonly keyword: KeywordIndex;
  readonly vectors: VectorIndex | undefined;
  readonly embedder: Embedder | undefined;
  private readonly nearest: SearchIndexOptions['nearest'];
  /** The analyzer applied to queries; chunks' terms must come from the same one. */
  readonly analyzer: Analyzer;
  private readonly fusion: FusionSettings;
  private readonly minSimilarity: number;
  private readonly feedbackOptions: FeedbackOptions;
  private readonly candidates: number;

  constructor(options: SearchIndexOptions = {}) {
    if (options.vectors && options.embedder) {
      if (options.vectors.dimension !== options.embedder.dimension) {
        throw new Error(
          `embedder ${options.embedder.modelId} makes ${options.embedder.dimension}-d vectors ` +
            `but the vector index holds ${options.vectors.dimension}-d ones`,
        );
      }
    }
    this.keyword = options.keyword ?? new KeywordIndex(options.bm25);
    this.vectors = options.vectors;
    this.embedder = options.embedder;
    this.nearest = options.nearest;
    this.analyzer = options.analyzer ?? englishAnalyzer;
    this.fusion = options.fusion ?? SEARCH_DEFAULTS.fusion;
    this.minSimilarity = options.minSimilarity ?? SEARCH_DEFAULTS.minSimilarity;
    this.feedbackOptions = options.feedback ?? {};
    this.candidates = options.candidates ?? SEARCH_DEFAULTS.candidates;
  }

  /** Number of chunks in the keyword index. */
  get size(): number {
    return this.keyword.size;
  }

  /** How much `term` says across the index: its BM25 idf (for {@link AnswerContext}). */
  termWeight(term: string): number {
    return this.keyword.idf(term);
  }

  /**
   * Adds or replaces chunk `id`: its analyzed terms (prefix included) and, when the index
   * has a vector index, its embedding. A chunk without a vector is found by keyword only.
   */
  add(id: number, terms: readonly string[], vector?: Float32Array): void {
    this.keyword.add(id, terms);
    if (!this.vectors) return;
    if (vector) this.vectors.add(id, vector);
    else this.vectors.remove(id);
  }

  remove(id: number): void {
    this.keyword.remove(id);
    this.vectors?.remove(id);
  }

  /**
   * The best chunks for a query, best first. Any string is accepted: query syntax such as
   * quotes, `AND` or `-` has no special meaning, it is analyzed like document text.
   * Semantic mode without an embedder is an error; hybrid mode without one is keyword mode.
   */
  async search(query: string, options: SearchOptions = {}): Promise<ScoredId[]> {
    const mode = options.mode ?? 'hybrid';
    const limit = Math.max(0, Math.floor(options.limit ?? SEARCH_DEFAULTS.limit));
    if (limit === 0) return [];
    const depth = Math.max(limit, this.candidates);

    if (mode === 'keyword') {
      return this.keywordHits(query, limit, options.feedback ?? false, options.filter);
    }
    if (mode === 'semantic') {
      if (!this.canSearchSemantically) {
        throw new Error('semantic search needs an embedder and a vector index');
      }
      return this.semanticHits(query, limit, options.filter);
    }

    const keywordHits = this.keywordHits(query, depth, options.feedback ?? false, options.filter);
    if (keywordHits.length === 0) return [];
    if (!this.canSearchSemantically) return keywordHits.slice(0, limit);

    const semanticHits = await this.semanticHits(query, depth, options.filter);
    return this.fuse(keywordHits, semanticHits).slice(0, limit);
  }

  private keywordHits(
    query: string,
    k: number,
    feedback: boolean,
    filter?: (id: number) => boolean,
  ): ScoredId[] {
    const terms = queryTerms(this.analyzer, query);
    if (terms.length === 0) return [];
    if (feedback) return searchWithFeedback(this.keyword, terms, k, this.feedbackOptions, filter);
    return this.keyword.search(terms, k, filter);
  }

  private async semanticHits(
    query: string,
    k: number,
    filter?: (id: number) => boolean,
  ): Promise<ScoredId[]> {
    const [vector] = await this.embedder!.embed([query]);
    if (!vector || vector.every((x) => x === 0)) return [];
    const hits = this.nearest
      ? await this.nearestFiltered(vector, k, filter)
      : this.vectors!.search(vector, k, filter);
    return hits.filter((hit) => hit.score >= this.minSimilarity);
  }

  /** Whether semantic hits can be produced: an embedder and somewhere to look vectors up. */
  get canSearchSemantically(): boolean {
    return (
      this.embedder !== undefined && (this.vectors !== undefined || this.nearest !== undefined)
    );
  }

  /**
   * An outside index cannot run the filter, so it is asked for more neighbours than needed
   * and the filter applied here; a very selective filter may then return fewer than `k`.
   */
  private async nearestFiltered(
    vector: Float32Array,
    k: number,
    filter?: (id: number) => boolean,
  ): Promise<ScoredId[]> {
    if (!filter) return this.nearest!(vector, k);
    const hits = await this.nearest!(vector, k * NEAREST_OVERFETCH);
    return hits.filter((hit) => filter(hit.id)).slice(0, k);
  }

  private fuse(keywordHits: ScoredId[], semanticHits: ScoredId[]): ScoredId[] {
    const fusion = this.fusion;
    if (fusion.method === 'rrf') {
      return rrf([keywordHits, semanticHits], { k: fusion.k, weights: fusion.weights });
    }
    return weightedSum([keywordHits, semanticHits], {
      normalization: fusion.normalization,
      weights: fusion.weights,
    });
  }
}
