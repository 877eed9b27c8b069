import { Index, MetricKind, ScalarKind } from 'usearch';
import type { ScoredId, VectorIndex } from '../types.js';
import { ExactVectorIndex } from './exact-index.js';
import { compareHits } from './top-k.js';
import { checkDimension, checkId, checkVector } from './vectors.js';

export interface HnswOptions {
  dimension: number;
  /** Graph edges per node (HNSW `M`). More edges: better recall, more memory, slower adds. */
  connectivity?: number;
  /** Candidate list size while inserting (`efConstruction`): graph quality against add time. */
  expansionAdd?: number;
  /** Candidate list size while searching (`ef`): recall against latency. */
  expansionSearch?: number;
}

/**
 * Defaults measured on 20k random 128-dimensional vectors, the worst case for a graph index
 * (uniform random points have no neighbourhoods to exploit; real embeddings are clustered and
 * easier). Recall@10 against an exact scan:
 *
 *   connectivity 16, expansion 128/64:  0.50     connectivity 32, expansion 128/128: 0.87
 *   connectivity 16, expansion 128/256: 0.86     connectivity 32, expansion 128/256: 0.98
 *
 * Edges per node matter most; a wide search list then buys the rest for a few milliseconds
 * per query, which is small next to embedding the query in the first place.
 */
export const DEFAULT_HNSW = Object.freeze({
  connectivity: 32,
  expansionAdd: 128,
  expansionSearch: 256,
});

/** A filtered search first asks the graph for this many times `k` candidates. */
const FILTER_OVERFETCH = 4;
/** Each further round asks for enough to reach `k` at the pass rate seen, with this margin. */
const FILTER_MARGIN = 1.5;

/** Single queries run on the caller's thread: starting workers would cost more than the work. */
const ONE_THREAD = 1;
/** Bulk inserts let usearch use every core. */
const ALL_THREADS = 0;

/**
 * Approximate nearest neighbours over a usearch HNSW graph (cosine metric).
 *
 * usearch's JavaScript binding searches without a predicate, so a filtered search over-fetches
 * from the graph and filters afterwards, asking for more while too few candidates pass. A
 * graph search with an `n`-wide candidate list costs about as much as scanning
 * `n × connectivity` vectors (measured at connectivity 32 on 20k × 128: a 256-wide search
 * took 0.44 of a full scan, i.e. 256 × 34 vectors), so once the request reaches
 * `size / connectivity` an exact scan is as cheap, and exact too. That fallback needs the
 * vectors, which the graph does not give back, so a normalised copy is kept beside it:
 * `dimension × 4` more bytes per vector (100 MB at 100k × 256), paid for exact filtered
 * results and an exact `size`.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly dimension: number;
  private readonly connectivity: number;
  private readonly expansionSearch: number;
  private readonly graph: Index;
  private readonly vectors: ExactVectorIndex;

  constructor(options: HnswOptions) {
    checkDimension(options.dimension);
    const settings = {
      connectivity: options.connectivity ?? DEFAULT_HNSW.connectivity,
      expansionAdd: options.expansionAdd ?? DEFAULT_HNSW.expansionAdd,
      expansionSearch: options.expansionSearch ?? DEFAULT_HNSW.expansionSearch,
    };
    this.dimension = options.dimension;
    this.connectivity = settings.connectivity;
    this.expansionSearch = settings.expansionSearch;
    this.graph = new Index({
      dimensions: options.dimension,
      metric: MetricKind.Cos,
      quantization: ScalarKind.F32,
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
      expansion_search: settings.expansionSearch,
      multi: false,
    });
    this.vectors = new ExactVectorIndex(options.dimension);
  }

  get size(): number {
    return this.vectors.size;
  }

  add(id: number, vector: Float32Array): void {
    this.addMany([id], [vector]);
  }

  /** Adds or replaces many vectors at once; the graph inserts them on every core. */
  addMany(ids: readonly number[], vectors: readonly Float32Array[]): void {
    if (ids.length !== vectors.length) {
      throw new RangeError(`Got ${ids.length} ids for ${vectors.length} vectors`);
    }
    if (new Set(ids).size !== ids.length) throw new RangeError('Ids in one batch must be unique');
    ids.forEach(checkId);
    vectors.forEach((vector) => checkVector(vector, this.dimension));
    if (ids.length === 0) return;

    // usearch refuses duplicate keys, so a replacement is a removal followed by an insert.
    const replaced = ids.filter((id) => this.vectors.has(id));
    if (replaced.length > 0) this.graph.remove(BigUint64Array.from(replaced, BigInt));

    const flat = new Float32Array(ids.length * this.dimension);
    vectors.forEach((vector, i) => flat.set(vector, i * this.dimension));
    const keys = BigUint64Array.from(ids, BigInt);
    try {
      this.graph.add(keys, flat, ids.length === 1 ? ONE_THREAD : ALL_THREADS);
    } catch (error) {
      // Keep the copy consistent with the graph: replaced vectors are gone from both.
      for (const id of replaced) this.vectors.remove(id);
      throw error;
    }
    ids.forEach((id, i) => this.vectors.add(id, vectors[i]!));
  }

  remove(id: number): void {
    if (!this.vectors.has(id)) return;
    this.graph.remove(BigInt(id));
    this.vectors.remove(id);
  }

  search(query: Float32Array, k: number, filter?: (id: number) => boolean): ScoredId[] {
    checkVector(query, this.dimension);
    const wanted = Math.min(Math.floor(k), this.size);
    if (!(wanted > 0)) return [];
    if (!filter) return this.searchGraph(query, wanted);

    // The graph explores `expansionSearch` candidates whatever `k` is, so asking for that
    // many costs nothing extra.
    let fetch = Math.max(wanted * FILTER_OVERFETCH, this.expansionSearch);
    const scanEquivalent = this.size / Math.max(1, this.connectivity);
    for (;;) {
      if (fetch >= scanEquivalent) return this.vectors.search(query, wanted, filter);

      const candidates = this.searchGraph(query, fetch);
      const kept = candidates.filter((hit) => filter(hit.id));
      // Fewer candidates than asked for means the graph has nothing more to give.
      if (kept.length >= wanted || candidates.length < fetch) return kept.slice(0, wanted);

      // When nothing passed, the pass rate is below 1 / candidates: plan as if one had.
      const needed = (wanted * candidates.length * FILTER_MARGIN) / Math.max(1, kept.length);
      fetch = Math.ceil(Math.max(fetch * 2, needed));
    }
  }

  private searchGraph(query: Float32Array, k: number): ScoredId[] {
    const { keys, distances } = this.graph.search(query, k, ONE_THREAD);
    const hits: ScoredId[] = [];
    for (let i = 0; i < keys.length; i++) {
      // usearch's cosine metric is a distance, 1 - cos; Quarry ranks by similarity.
      hits.push({ id: Number(keys[i]), score: 1 - distances[i]! });
    }
    return hits.sort(compareHits);
  }
}
