import { TopK } from '../keyword/top-k.js';
import type { ScoredId, VectorIndex } from '../types.js';

/**
 * A brute-force {@link VectorIndex}: every search compares the query with every stored
 * vector. Exact, so it is the reference an approximate index is checked against, and fast
 * enough for projects up to some 100k chunks at a few hundred dimensions (one pass over
 * dimension × 4 bytes per chunk per query). Vectors are stored unit-length, contiguously,
 * so cosine similarity is a dot product; a zero vector has similarity 0 with everything.
 */
export class BruteForceVectorIndex implements VectorIndex {
  readonly dimension: number;
  private vectors: Float32Array;
  private ids: Float64Array;
  private readonly slots = new Map<number, number>();
  private count = 0;

  constructor(dimension: number) {
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new Error(`a vector index needs a positive integer dimension, got ${dimension}`);
    }
    this.dimension = dimension;
    this.vectors = new Float32Array(dimension * 64);
    this.ids = new Float64Array(64);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return this.slots.has(id);
  }

  add(id: number, vector: Float32Array): void {
    this.checkDimension(vector);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.count++;
      this.reserve(this.count);
      this.slots.set(id, slot);
      this.ids[slot] = id;
    }
    this.vectors.set(normalized(vector), slot * this.dimension);
  }

  /** Removes `id` by moving the last vector into its slot, so storage stays dense. */
  remove(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = this.count - 1;
    if (slot !== last) {
      const d = this.dimension;
      this.vectors.copyWithin(slot * d, last * d, (last + 1) * d);
      const movedId = this.ids[last]!;
      this.ids[slot] = movedId;
      this.slots.set(movedId, slot);
    }
    this.slots.delete(id);
    this.count = last;
  }

  /** The `k` most similar ids by cosine similarity, best first; [] for a zero query. */
  search(query: Float32Array, k: number, filter?: (id: number) => boolean): ScoredId[] {
    this.checkDimension(query);
    const q = normalized(query);
    if (k <= 0 || this.count === 0 || q.every((x) => x === 0)) return [];

    const d = this.dimension;
    const vectors = this.vectors;
    const ids = this.ids;
    const top = new TopK(Math.min(k, this.count));
    for (let slot = 0; slot < this.count; slot++) {
      const base = slot * d;
      let s0 = 0;
      let s1 = 0;
      let c = 0;
      for (; c + 2 <= d; c += 2) {
        s0 += q[c]! * vectors[base + c]!;
        s1 += q[c + 1]! * vectors[base + c + 1]!;
      }
      if (c < d) s0 += q[c]! * vectors[base + c]!;
      const dot = s0 + s1;
      const id = ids[slot]!;
      if (!top.accepts(dot, id)) continue;
      if (filter && !filter(id)) continue;
      top.push(dot, id);
    }
    const { keys, scores } = top.drain();
    return keys.map((id, i) => ({ id, score: scores[i]! }));
  }

  private checkDimension(vector: Float32Array): void {
    if (vector.length !== this.dimension) {
      throw new Error(`expected a vector of dimension ${this.dimension}, got ${vector.length}`);
    }
  }

  private reserve(slots: number): void {
    if (slots <= this.ids.length) return;
    const capacity = Math.max(slots, this.ids.length * 2);
    const vectors = new Float32Array(capacity * this.dimension);
    vectors.set(this.vectors);
    this.vectors = vectors;
    const ids = new Float64Array(capacity);
    ids.set(this.ids);
    this.ids = ids;
  }
}

/** A unit-length copy of `vector` (the zero vector stays zero). */
function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const copy = new Float32Array(vector.length);
  if (norm === 0 || !Number.isFinite(norm)) return copy;
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) copy[i] = vector[i]! * inverse;
  return copy;
}
