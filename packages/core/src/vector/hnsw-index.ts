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
  /** Vectors expected, so that the copy beside the graph is allocated once, not grown. */
  capacity?: number;
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
 * per query, which is small next to embedding the query in the first place. Recall falls as
 * collections grow; at 100k × 256, with 256/512/1024-wide lists (latency roughly doubling
 * at each step): 0.55/0.76/0.92 on uniform random vectors, 0.84/0.94/0.98 on clustered ones.
 * Large projects that need more should pass a wider `expansionSearch`.
 */
export const DEFAULT_HNSW = Object.freeze({
  connectivity: 32,
  expansionAdd: 128,
  expansionSearch: 256,
});

/** Graph candidates re-scored from the copy per result wanted; see `searchGraph`. */
const RESCORE_OVERFETCH = 3;

/** A filtered search asks the graph for at least this many times `k` candidates. */
const FILTER_OVERFETCH = 4;
/** Requests aim at `k` passing candidates at the estimated pass rate, with this margin. */
const FILTER_MARGIN = 1.5;
/** Ids tried against the filter up front to estimate its pass rate (microseconds of work). */
const FILTER_SAMPLE = 256;
/**
 * One filter call, in multiply-adds of a scan: a closure and a Set or Map lookup take about
 * as long as ten to twenty multiply-adds of the JavaScript dot product.
 */
const FILTER_CALL_COST = 16;

/** Single queries run on the caller's thread: starting workers would cost more than the work. */
const ONE_THREAD = 1;
/** Bulk inserts let usearch use every core. */
const ALL_THREADS = 0;

/**
 * Approximate nearest neighbours over a usearch HNSW graph (cosine metric).
 *
 * usearch's JavaScript binding searches without a predicate, so a filtered search either
 * over-fetches from the graph and filters the candidates, or scans every vector,
 * whichever a simple cost model says is cheaper, in multiply-adds:
 *
 * - a graph search with an `n`-wide candidate list computes about `n × connectivity`
 *   distances, `n × connectivity × dimension` (measured at 100k × 256, connectivity 32: a
 *   256-wide search costs 0.14 of a full scan, a 1024-wide one 0.47, within 2× of this);
 * - a filtered scan calls the filter on every id but computes only the distances of the ids
 *   that pass, `size × (FILTER_CALL_COST + passRate × dimension)`.
 *
 * The pass rate is first estimated from a sample of ids, then from the candidates the graph
 * returned, and the request grows until enough pass or the scan wins. So a filter passing
 * half the ids costs one ordinary graph search, and one passing 1% costs a cheap scan rather
 * than a graph search thousands wide.
 *
 * The scan needs the vectors, which the graph does not give back, so a normalised copy is
 * kept beside it, 8-bit with a scale per vector (`dimension + 4` bytes, 26 MB at 100k × 256):
 * filtered scans, `size`, and the scores of what the graph finds come from it, within about
 * 0.002 of the exact cosine. The graph holds its own 8-bit vectors for its distances, on a
 * coarser fixed scale, so re-scoring its candidates from the copy still sharpens them.
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
      // The graph only chooses candidates; their scores come from the copy below, so
      // it keeps 8-bit vectors: a quarter of the memory, at a recall measured in the tests.
      quantization: ScalarKind.I8,
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
      expansion_search: settings.expansionSearch,
      multi: false,
    });
    this.vectors = new ExactVectorIndex(options.dimension, {
      capacity: options.capacity,
      quantized: true,
    });
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

    return this.searchFiltered(query, wanted, filter);
  }

  private searchFiltered(query: Float32Array, k: number, filter: (id: number) => boolean) {
    const sample = this.vectors.sampleIds(FILTER_SAMPLE);
    let passRate = sample.filter(filter).length / sample.length;
    let observed = sample.length;
    // The graph explores `expansionSearch` candidates whatever `k` is, so asking for that
    // many costs nothing extra.
    let fetch = Math.max(k * FILTER_OVERFETCH, this.expansionSearch);

    for (;;) {
      // No passes among `observed` ids only bounds the rate below 1 / observed; plan with that.
      const planningRate = Math.max(passRate, 1 / observed);
      fetch = Math.max(fetch, Math.ceil((k * FILTER_MARGIN) / planningRate));
      const graphCost = fetch * this.connectivity * this.dimension;
      const scanCost = this.size * (FILTER_CALL_COST + planningRate * this.dimension);
      if (graphCost >= scanCost) return this.vectors.search(query, k, filter);

      // Already many times `k`: the copy's scores re-rank them without asking for more.
      const candidates = this.searchGraph(query, fetch, fetch);
      const kept = candidates.filter((hit) => filter(hit.id));
      // Fewer candidates than asked for means the graph has nothing more to give.
      if (kept.length >= k || candidates.length < fetch) return kept.slice(0, k);

      passRate = kept.length / candidates.length;
      observed = candidates.length;
      fetch *= 2;
    }
  }

  /**
   * The best `k` of the graph's `fetch` candidates, scored against the finer-scaled copy.
   * The graph ranks by its coarse 8-bit distances, so it is asked for more than `k` (by
   * default {@link RESCORE_OVERFETCH} times), which costs almost nothing: it explores
   * `expansionSearch` candidates whatever it returns.
   */
  private searchGraph(query: Float32Array, k: number, fetch = k * RESCORE_OVERFETCH) {
    const { keys } = this.graph.search(query, fetch, ONE_THREAD);
    const ids = Array.from(keys, Number);
    const scores = this.vectors.similarities(query, ids);
    const hits = ids.map((id, i) => ({ id, score: scores[i]! }));
    return hits.sort(compareHits).slice(0, k);
  }
}
