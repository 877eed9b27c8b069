import type { ScoredId } from '../types.js';
import { ensureCapacity } from './growable.js';
import { TopK } from './top-k.js';
import { bm25Idf } from './bm25-idf.js';

/** BM25 parameters. The defaults are Lucene's and Anserini's (k1 0.9, b 0.4). */
export interface Bm25Options {
  /** Term-frequency saturation: how fast repeated occurrences stop adding score. */
  k1?: number;
  /** Length normalisation: 0 ignores chunk length, 1 fully divides by it. */
  b?: number;
}

/** Term frequencies above this are clamped so they fit the 16-bit posting arrays. */
const MAX_TERM_FREQUENCY = 65_535;

/**
 * Chunks added since the last inversion are scanned directly at search time; once their
 * postings exceed this share of the inverted ones (or the floor below) the index is
 * re-inverted. Re-inverting costs O(all postings), so growing by a fixed share keeps the
 * amortised cost of an add constant while keeping the scanned tail small.
 */
const TAIL_SHARE = 0.125;
const TAIL_FLOOR = 50_000;

/** Removed chunks leave dead slots; above this share of slots the index is compacted. */
const DEAD_SHARE = 0.25;

/**
 * An in-memory BM25 index over the analyzed terms of chunks, scored like Lucene 8+
 * (`BM25Similarity` without the lossy length encoding):
 *
 *   score(q, d) = Σ_t w_t · idf(t) · tf / (tf + k1 · (1 − b + b · |d| / avgdl))
 *   idf(t) = ln(1 + (N − n_t + 0.5) / (n_t + 0.5))
 *
 * where N counts live chunks, n_t the live chunks containing t, |d| the number of terms of
 * the chunk and w_t the weight of t in the query (how often it occurs, or an RM3 weight).
 *
 * Layout: a forward index (each chunk's distinct term ids and frequencies, appended to two
 * typed arrays) is the source of truth; an inverted index in compressed-sparse-row form is
 * rebuilt from it by counting sort. Chunks added since the last rebuild are scanned from the
 * forward index, so adds are cheap and searches never wait on a full rebuild per add.
 * Removal marks the slot dead and updates the statistics at once, so scores always equal
 * those of an index built from the live chunks alone. About 12 bytes per (chunk, term).
 */
export class KeywordIndex {
  readonly k1: number;
  readonly b: number;

  // Term dictionary; ids are dense. `documentFrequencies[t]` counts live chunks only.
  private termIds = new Map<string, number>();
  private termNames: string[] = [];
  private documentFrequencies = new Int32Array(1024);

  // Chunks by slot, in insertion order; a removed chunk's slot stays dead until compaction.
  private slotIds = new Float64Array(1024);
  private slotLengths = new Int32Array(1024);
  private slotLive = new Uint8Array(1024);
  private slotStarts = new Int32Array(1025);
  private slotCount = 0;
  private liveCount = 0;
  private totalLength = 0;
  private readonly idToSlot = new Map<number, number>();

  // Forward index: entries slotStarts[s] .. slotStarts[s + 1] belong to slot s.
  private forwardTerms = new Int32Array(16_384);
  private forwardFrequencies = new Uint16Array(16_384);

  // Inverted index over slots below `invertedSlots` and terms below `invertedTerms`.
  private postingStarts = new Int32Array(1);
  private postingSlots = new Int32Array(0);
  private postingFrequencies = new Uint16Array(0);
  private invertedSlots = 0;
  private invertedTerms = 0;

  // Scratch space reused by add() and search(); searches are synchronous, never interleaved.
  private termCounts = new Int32Array(1024);
  private distinct = new Int32Array(1024);
  private scores = new Float64Array(1024);
  private touched = new Int32Array(1024);

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 0.9;
    this.b = options.b ?? 0.4;
  }

  /** Number of chunks in the index. */
  get size(): number {
    return this.liveCount;
  }

  /** Number of distinct terms in at least one chunk. */
  get vocabularySize(): number {
    let count = 0;
    for (let t = 0; t < this.termNames.length; t++) if (this.documentFrequencies[t]! > 0) count++;
    return count;
  }

  /** Mean number of terms per chunk. */
  get averageLength(): number {
    return this.liveCount === 0 ? 0 : this.totalLength / this.liveCount;
  }

  has(id: number): boolean {
    return this.idToSlot.has(id);
  }

  /** Number of chunks containing `term`. */
  documentFrequency(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.documentFrequencies[t]!;
  }

  /** BM25's idf of `term` over the index: ln(1 + (N − n + 0.5) / (n + 0.5)). */
  idf(term: string): number {
    return bm25Idf(this.liveCount, this.documentFrequency(term));
  }

  /** The distinct terms of chunk `id` with their frequencies, or undefined if absent. */
  termFrequencies(id: number): Map<string, number> | undefined {
    const slot = this.idToSlot.get(id);
    if (slot === undefined) return undefined;
    const result = new Map<string, number>();
    for (let e = this.slotStarts[slot]!; e < this.slotStarts[slot + 1]!; e++) {
      result.set(this.termNames[this.forwardTerms[e]!]!, this.forwardFrequencies[e]!);
    }
    return result;
  }

  /**
   * Adds chunk `id` with its analyzed terms (prefix included), replacing any previous
   * version. An empty term list is allowed: the chunk then counts in N but never matches.
   */
  add(id: number, terms: readonly string[]): void {
    if (this.idToSlot.has(id)) this.remove(id);

    const slot = this.slotCount;
    this.reserveSlot(slot + 1);
    const start = this.slotStarts[slot]!;

    // Count frequencies in a dense scratch array; `distinct` lists the terms seen. Both are
    // reused across calls: a bulk rebuild adds millions of terms and allocation would show.
    this.distinct = ensureCapacity(this.distinct, terms.length, Int32Array);
    const distinct = this.distinct;
    const termIds = this.termIds;
    let distinctCount = 0;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      let t = termIds.get(term);
      if (t === undefined) t = this.newTerm(term);
      const counts = this.termCounts;
      if (counts[t] === 0) distinct[distinctCount++] = t;
      counts[t] = counts[t]! + 1;
    }

    this.forwardTerms = ensureCapacity(this.forwardTerms, start + distinctCount, Int32Array);
    this.forwardFrequencies = ensureCapacity(
      this.forwardFrequencies,
      start + distinctCount,
      Uint16Array,
    );
    const { forwardTerms, forwardFrequencies, termCounts, documentFrequencies } = this;
    let e = start;
    for (let i = 0; i < distinctCount; i++, e++) {
      const t = distinct[i]!;
      forwardTerms[e] = t;
      forwardFrequencies[e] = Math.min(termCounts[t]!, MAX_TERM_FREQUENCY);
      documentFrequencies[t] = documentFrequencies[t]! + 1;
      termCounts[t] = 0;
    }

    this.slotIds[slot] = id;
    this.slotLengths[slot] = terms.length;
    this.slotLive[slot] = 1;
    this.slotStarts[slot + 1] = e;
    this.slotCount += 1;
    this.liveCount += 1;
    this.totalLength += terms.length;
    this.idToSlot.set(id, slot);
  }

  /** Removes chunk `id`; statistics change at once, storage is reclaimed later. */
  remove(id: number): void {
    const slot = this.idToSlot.get(id);
    if (slot === undefined) return;

    for (let e = this.slotStarts[slot]!; e < this.slotStarts[slot + 1]!; e++) {
      this.documentFrequencies[this.forwardTerms[e]!]! -= 1;
    }
    this.slotLive[slot] = 0;
    this.liveCount -= 1;
    this.totalLength -= this.slotLengths[slot]!;
    this.idToSlot.delete(id);
  }

  /**
   * The `k` best chunks for the query terms, best first. Repeated query terms weigh more,
   * as in a Lucene boolean query. Only chunks containing at least one query term are
   * returned; `filter` (called only for candidates that would make the top `k`) keeps out
   * chunks the caller may not see.
   */
  search(queryTerms: readonly string[], k: number, filter?: (id: number) => boolean): ScoredId[] {
    const weights = new Map<string, number>();
    for (const term of queryTerms) weights.set(term, (weights.get(term) ?? 0) + 1);
    return this.searchWeighted(weights, k, filter);
  }

  /** Like {@link search} with an explicit positive weight per query term (used by RM3). */
  searchWeighted(
    weights: ReadonlyMap<string, number>,
    k: number,
    filter?: (id: number) => boolean,
  ): ScoredId[] {
    if (k <= 0) return [];
    const touchedCount = this.scoreFresh(weights);
    return touchedCount === 0 ? [] : this.selectTop(touchedCount, k, filter);
  }

  /**
   * A query revised after looking at its own best hits, as pseudo-relevance feedback does:
   * scores `first`, passes its best `peek` hits to `revise`, and returns the best `k` chunks
   * for `scale · first + add`. The first pass's scores are kept rather than computed again,
   * so only the terms of `add` are read a second time; for RM3 those are the feedback terms,
   * which exclude the most frequent terms and their long posting lists.
   * Returns nothing when the first pass finds nothing.
   */
  searchRevised(
    first: ReadonlyMap<string, number>,
    peek: number,
    revise: (hits: ScoredId[]) => { scale: number; add: ReadonlyMap<string, number> },
    k: number,
    filter?: (id: number) => boolean,
  ): ScoredId[] {
    if (k <= 0) return [];
    let touchedCount = this.scoreFresh(first);
    const firstHits = this.peekTop(touchedCount, peek, filter);
    if (firstHits.length === 0) {
      this.clearScores(touchedCount);
      return [];
    }

    const { scale, add } = revise(firstHits);
    if (!(scale > 0)) {
      this.clearScores(touchedCount);
      return this.searchWeighted(add, k, filter);
    }
    // Ranking by first + add / scale is ranking by scale · first + add, without touching the
    // first pass's scores again; only the returned scores are scaled.
    const extra = this.resolve(add);
    touchedCount = this.accumulate(
      extra.terms,
      extra.weights.map((weight) => weight / scale),
      touchedCount,
    );
    return this.selectTop(touchedCount, k, filter).map((hit) => ({
      id: hit.id,
      score: hit.score * scale,
    }));
  }

  /** Scores a query into the scratch arrays from scratch; returns how many slots it touched. */
  private scoreFresh(weights: ReadonlyMap<string, number>): number {
    if (this.liveCount === 0) return 0;
    this.prepareForSearch();
    const query = this.resolve(weights);
    return this.accumulate(query.terms, query.weights, 0);
  }

  /** Query terms as ids with their weighted idf; unknown terms match nothing. */
  private resolve(weights: ReadonlyMap<string, number>): { terms: number[]; weights: number[] } {
    const n = this.liveCount;
    const terms: number[] = [];
    const termWeights: number[] = [];
    for (const [term, weight] of weights) {
      const t = this.termIds.get(term);
      if (t === undefined || !(weight > 0)) continue;
      const df = this.documentFrequencies[t]!;
      if (df === 0) continue;
      terms.push(t);
      termWeights.push(weight * bm25Idf(n, df));
    }
    return { terms, weights: termWeights };
  }

  /**
   * Adds every query term's contribution to `scores`, listing newly touched slots after the
   * first `touchedCount`; returns the new count.
   */
  private accumulate(queryTerms: number[], queryWeights: number[], touchedCount: number): number {
    const { k1, b, scores, slotLive, slotLengths } = this;
    const lengthBase = k1 * (1 - b);
    const lengthScale = (k1 * b) / (this.totalLength / this.liveCount);
    const touched = this.touched;

    for (let q = 0; q < queryTerms.length; q++) {
      const t = queryTerms[q]!;
      if (t >= this.invertedTerms) continue;
      const weight = queryWeights[q]!;
      const end = this.postingStarts[t + 1]!;
      for (let p = this.postingStarts[t]!; p < end; p++) {
        const slot = this.postingSlots[p]!;
        if (slotLive[slot] === 0) continue;
        const tf = this.postingFrequencies[p]!;
        if (scores[slot] === 0) touched[touchedCount++] = slot;
        scores[slot]! += (weight * tf) / (tf + lengthBase + lengthScale * slotLengths[slot]!);
      }
    }

    // The tail: chunks added since the last inversion, read from the forward index.
    if (this.invertedSlots < this.slotCount) {
      const weightOf = new Map<number, number>();
      for (let q = 0; q < queryTerms.length; q++) weightOf.set(queryTerms[q]!, queryWeights[q]!);
      for (let slot = this.invertedSlots; slot < this.slotCount; slot++) {
        if (slotLive[slot] === 0) continue;
        const norm = lengthBase + lengthScale * slotLengths[slot]!;
        for (let e = this.slotStarts[slot]!; e < this.slotStarts[slot + 1]!; e++) {
          const weight = weightOf.get(this.forwardTerms[e]!);
          if (weight === undefined) continue;
          const tf = this.forwardFrequencies[e]!;
          if (scores[slot] === 0) touched[touchedCount++] = slot;
          scores[slot]! += (weight * tf) / (tf + norm);
        }
      }
    }
    return touchedCount;
  }

  /** Picks the best `k` touched slots, resets the scratch scores, maps slots to ids. */
  private selectTop(touchedCount: number, k: number, filter?: (id: number) => boolean): ScoredId[] {
    const hits = this.peekTop(touchedCount, k, filter);
    this.clearScores(touchedCount);
    return hits;
  }

  /** The best `k` touched slots as hits, leaving the scratch scores in place. */
  private peekTop(touchedCount: number, k: number, filter?: (id: number) => boolean): ScoredId[] {
    const top = new TopK(Math.min(k, touchedCount));
    for (let i = 0; i < touchedCount; i++) {
      const slot = this.touched[i]!;
      const score = this.scores[slot]!;
      if (!top.accepts(score, slot)) continue;
      if (filter && !filter(this.slotIds[slot]!)) continue;
      top.push(score, slot);
    }
    const { keys, scores } = top.drain();
    return keys.map((slot, i) => ({ id: this.slotIds[slot]!, score: scores[i]! }));
  }

  private clearScores(touchedCount: number): void {
    for (let i = 0; i < touchedCount; i++) this.scores[this.touched[i]!] = 0;
  }

  /**
   * Gives back the room the forward index grew into beyond what it holds (up to a third of
   * it), for an index that was just loaded in bulk and will grow slowly if at all. Later
   * adds grow it again as usual.
   */
  releaseSpareCapacity(): void {
    const used = this.slotStarts[this.slotCount]!;
    if (used < this.forwardTerms.length) {
      this.forwardTerms = this.forwardTerms.slice(0, used);
      this.forwardFrequencies = this.forwardFrequencies.slice(0, used);
    }
  }

  /** Registers a term seen for the first time and returns its id. */
  private newTerm(term: string): number {
    const t = this.termNames.length;
    this.termIds.set(term, t);
    this.termNames.push(term);
    this.documentFrequencies = ensureCapacity(this.documentFrequencies, t + 1, Int32Array);
    this.termCounts = ensureCapacity(this.termCounts, t + 1, Int32Array);
    return t;
  }

  private reserveSlot(slots: number): void {
    this.slotIds = ensureCapacity(this.slotIds, slots, Float64Array);
    this.slotLengths = ensureCapacity(this.slotLengths, slots, Int32Array);
    this.slotLive = ensureCapacity(this.slotLive, slots, Uint8Array);
    this.slotStarts = ensureCapacity(this.slotStarts, slots + 1, Int32Array);
    this.scores = ensureCapacity(this.scores, slots, Float64Array);
    this.touched = ensureCapacity(this.touched, slots, Int32Array);
  }

  /** Compacts if too many slots are dead, and re-inverts if the scanned tail got large. */
  private prepareForSearch(): void {
    const dead = this.slotCount - this.liveCount;
    if (dead > 0 && dead >= DEAD_SHARE * this.slotCount) {
      this.compact();
      this.invert();
      return;
    }
    const inverted = this.slotStarts[this.invertedSlots]!;
    const tail = this.slotStarts[this.slotCount]! - inverted;
    if (tail > Math.max(TAIL_FLOOR, TAIL_SHARE * inverted)) this.invert();
  }

  /** Rebuilds the inverted index of all slots by counting sort over the forward index. */
  private invert(): void {
    const termCount = this.termNames.length;
    const starts = new Int32Array(termCount + 1);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (this.slotLive[slot] === 0) continue;
      for (let e = this.slotStarts[slot]!; e < this.slotStarts[slot + 1]!; e++) {
        starts[this.forwardTerms[e]! + 1]! += 1;
      }
    }
    for (let t = 0; t < termCount; t++) starts[t + 1]! += starts[t]!;

    const total = starts[termCount]!;
    const slots = new Int32Array(total);
    const frequencies = new Uint16Array(total);
    const next = starts.slice(0, termCount);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (this.slotLive[slot] === 0) continue;
      for (let e = this.slotStarts[slot]!; e < this.slotStarts[slot + 1]!; e++) {
        const p = next[this.forwardTerms[e]!]!++;
        slots[p] = slot;
        frequencies[p] = this.forwardFrequencies[e]!;
      }
    }

    this.postingStarts = starts;
    this.postingSlots = slots;
    this.postingFrequencies = frequencies;
    this.invertedSlots = this.slotCount;
    this.invertedTerms = termCount;
  }

  /** Drops dead slots and terms no live chunk contains, renumbering both densely. */
  private compact(): void {
    const termMap = new Int32Array(this.termNames.length).fill(-1);
    const termNames: string[] = [];
    const termIds = new Map<string, number>();
    for (let t = 0; t < this.termNames.length; t++) {
      if (this.documentFrequencies[t]! === 0) continue;
      termMap[t] = termNames.length;
      termIds.set(this.termNames[t]!, termNames.length);
      termNames.push(this.termNames[t]!);
    }
    const documentFrequencies = new Int32Array(Math.max(1024, termNames.length));
    for (let t = 0; t < this.termNames.length; t++) {
      if (termMap[t]! >= 0) documentFrequencies[termMap[t]!] = this.documentFrequencies[t]!;
    }

    let slotOut = 0;
    let entryOut = 0;
    this.idToSlot.clear();
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (this.slotLive[slot] === 0) continue;
      const start = this.slotStarts[slot]!;
      const end = this.slotStarts[slot + 1]!;
      // Entries only move towards the front, so copying in place is safe.
      this.slotStarts[slotOut] = entryOut;
      for (let e = start; e < end; e++, entryOut++) {
        this.forwardTerms[entryOut] = termMap[this.forwardTerms[e]!]!;
        this.forwardFrequencies[entryOut] = this.forwardFrequencies[e]!;
      }
      this.slotIds[slotOut] = this.slotIds[slot]!;
      this.slotLengths[slotOut] = this.slotLengths[slot]!;
      this.slotLive[slotOut] = 1;
      this.idToSlot.set(this.slotIds[slotOut]!, slotOut);
      slotOut++;
    }
    this.slotStarts[slotOut] = entryOut;
    this.slotLive.fill(0, slotOut);
    this.slotCount = slotOut;

    this.termNames = termNames;
    this.termIds = termIds;
    this.documentFrequencies = documentFrequencies;
    this.termCounts = new Int32Array(documentFrequencies.length);
    this.invertedSlots = 0;
    this.invertedTerms = 0;
  }
}
