import type { ScoredId } from '../types.js';
import type { KeywordIndex } from './keyword-index.js';

/** RM3 pseudo-relevance feedback settings; the defaults are Anserini's. */
export interface FeedbackOptions {
  /** How many top chunks of the first pass are taken as relevant. */
  fbDocs?: number;
  /** How many expansion terms the relevance model keeps. */
  fbTerms?: number;
  /** Weight of the original query in the expanded one, between 0 and 1. */
  originalQueryWeight?: number;
  /**
   * Terms found in more than this share of all chunks are never expansion terms: they
   * describe the collection, not the query.
   */
  maxDocumentShare?: number;
}

export const DEFAULT_FEEDBACK: Required<FeedbackOptions> = {
  fbDocs: 10,
  fbTerms: 20,
  originalQueryWeight: 0.5,
  maxDocumentShare: 0.1,
};

/** Expansion terms must be made of letters or digits and be 2 to 20 characters long. */
const EXPANSION_TERM = /^[\p{L}\p{N}]{2,20}$/u;

/**
 * Expands a query with RM3: the relevance model of the top `fbDocs` first-pass hits (see
 * {@link relevanceModel}) mixed as `originalQueryWeight · query + (1 − originalQueryWeight) ·
 * model`, both L1-normalised. Returns the original query weights unchanged when the first
 * pass finds nothing.
 */
export function expandQuery(
  index: KeywordIndex,
  queryTerms: readonly string[],
  firstPass: readonly ScoredId[],
  options: FeedbackOptions = {},
): Map<string, number> {
  const settings = { ...DEFAULT_FEEDBACK, ...options };
  const query = normalizeL1(countTerms(queryTerms));
  const feedbackHits = firstPass.slice(0, settings.fbDocs);
  if (feedbackHits.length === 0) return query;

  const alpha = settings.originalQueryWeight;
  const expanded = new Map<string, number>();
  for (const [term, weight] of query) expanded.set(term, alpha * weight);
  for (const [term, weight] of relevanceModel(index, feedbackHits, settings)) {
    expanded.set(term, (expanded.get(term) ?? 0) + (1 - alpha) * weight);
  }
  return expanded;
}

/**
 * The relevance model Σ_d score(d) · tf(t, d) / |d| over the feedback hits (lengths counted
 * over the eligible terms), cut to the best `fbTerms` terms and L1-normalised.
 */
function relevanceModel(
  index: KeywordIndex,
  feedbackHits: readonly ScoredId[],
  settings: Required<FeedbackOptions>,
): Map<string, number> {
  const maxDocuments = settings.maxDocumentShare * index.size;
  const eligible = new Map<string, boolean>();
  const isEligible = (term: string): boolean => {
    let ok = eligible.get(term);
    if (ok === undefined) {
      ok = EXPANSION_TERM.test(term) && index.documentFrequency(term) <= maxDocuments;
      eligible.set(term, ok);
    }
    return ok;
  };

  const model = new Map<string, number>();
  for (const hit of feedbackHits) {
    const frequencies = index.termFrequencies(hit.id);
    if (!frequencies) continue;
    let length = 0;
    for (const [term, tf] of frequencies) if (isEligible(term)) length += tf;
    if (length === 0) continue;
    for (const [term, tf] of frequencies) {
      if (!isEligible(term)) continue;
      model.set(term, (model.get(term) ?? 0) + (hit.score * tf) / length);
    }
  }

  const kept = [...model].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return normalizeL1(new Map(kept.slice(0, settings.fbTerms)));
}

/**
 * BM25 with RM3 feedback: a first pass for the top `fbDocs` chunks, then the expanded query
 * of {@link expandQuery}, scored by reusing the first pass's scores for the original terms.
 * `filter` applies to both passes, so feedback only ever reads chunks the caller may see.
 * Returns nothing when no query term is in the index.
 */
export function searchWithFeedback(
  index: KeywordIndex,
  queryTerms: readonly string[],
  k: number,
  options: FeedbackOptions = {},
  filter?: (id: number) => boolean,
): ScoredId[] {
  const settings = { ...DEFAULT_FEEDBACK, ...options };
  const query = countTerms(queryTerms);
  let queryLength = 0;
  for (const count of query.values()) queryLength += count;
  const alpha = settings.originalQueryWeight;

  return index.searchRevised(
    query,
    Math.max(settings.fbDocs, 1),
    (firstPass) => {
      const model = relevanceModel(index, firstPass.slice(0, settings.fbDocs), settings);
      const add = new Map<string, number>();
      for (const [term, weight] of model) add.set(term, (1 - alpha) * weight);
      // The expanded query is alpha · query / |query| + (1 − alpha) · model.
      return { scale: alpha / queryLength, add };
    },
    k,
    filter,
  );
}

function countTerms(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function normalizeL1(weights: Map<string, number>): Map<string, number> {
  let sum = 0;
  for (const weight of weights.values()) sum += weight;
  if (sum <= 0) return weights;
  const normalized = new Map<string, number>();
  for (const [term, weight] of weights) normalized.set(term, weight / sum);
  return normalized;
}
