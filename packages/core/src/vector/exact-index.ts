import type { ScoredId, VectorIndex } from '../types.js';
import { TopK } from './top-k.js';
import { checkDimension, checkId, checkVector, normalized, writeNormalized } from './vectors.js';

const INITIAL_CAPACITY = 256;

/**
 * Brute-force nearest neighbours: every search scans every vector. Vectors are normalised on
 * the way in, so cosine similarity is a plain dot product. Results are exact, filters cost
 * nothing extra, and 20k vectors of 256 dimensions scan in about 13 ms (measurements at
 * `EXACT_SCAN_BUDGET`), so small projects need no graph at all.
 */
export class ExactVectorIndex implements VectorIndex {
  readonly dimension: number;

  // Vectors live in one growable buffer, slot by slot, which keeps the scan cache-friendly.
  private data: Float32Array;
  private readonly idBySlot: number[] = [];
  private readonly slotById = new Map<number, number>();

  /** `capacity`: vectors room is made for at once, when the final size is known. */
  constructor(dimension: number, capacity = INITIAL_CAPACITY) {
    checkDimension(dimension);
    this.dimension = dimension;
    this.data = new Float32Array(Math.max(1, Math.ceil(capacity)) * dimension);
  }

  get size(): number {
    return this.idBySlot.length;
  }

  has(id: number): boolean {
    return this.slotById.has(id);
  }

  /** Up to `count` ids spread evenly over the index, for estimating how selective a filter is. */
  sampleIds(count: number): number[] {
    const step = Math.max(1, this.idBySlot.length / count);
    const ids: number[] = [];
    for (let slot = 0; slot < this.idBySlot.length && ids.length < count; slot += step) {
      ids.push(this.idBySlot[Math.floor(slot)]!);
    }
    return ids;
  }

  add(id: number, vector: Float32Array): void {
    checkId(id);
    checkVector(vector, this.dimension);

    let slot = this.slotById.get(id);
    if (slot === undefined) {
      slot = this.idBySlot.length;
      this.ensureCapacity(slot + 1);
      this.idBySlot.push(id);
      this.slotById.set(id, slot);
    }
    writeNormalized(vector, this.data, slot * this.dimension);
  }

  remove(id: number): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;

    // Fill the hole with the last vector so the buffer stays dense and removal is O(dimension).
    const last = this.idBySlot.length - 1;
    if (slot !== last) {
      const lastId = this.idBySlot[last]!;
      const from = last * this.dimension;
      this.data.copyWithin(slot * this.dimension, from, from + this.dimension);
      this.idBySlot[slot] = lastId;
      this.slotById.set(lastId, slot);
    }
    this.idBySlot.pop();
    this.slotById.delete(id);
  }

  search(query: Float32Array, k: number, filter?: (id: number) => boolean): ScoredId[] {
    checkVector(query, this.dimension);
    const wanted = Math.min(Math.floor(k), this.size);
    if (!(wanted > 0)) return [];

    const q = normalized(query);
    const { data, dimension, idBySlot } = this;
    const best = new TopK(wanted);
    for (let slot = 0; slot < idBySlot.length; slot++) {
      const id = idBySlot[slot]!;
      if (filter && !filter(id)) continue;
      const base = slot * dimension;
      let dot = 0;
      for (let i = 0; i < dimension; i++) dot += data[base + i]! * q[i]!;
      if (dot >= best.threshold) best.push(id, dot);
    }
    return best.sorted();
  }

  /**
   * The cosine similarity of `query` with each of the stored vectors `ids` (0 for an id not
   * in the index): exact scores for candidates found elsewhere.
   */
  similarities(query: Float32Array, ids: readonly number[]): Float64Array {
    checkVector(query, this.dimension);
    const q = normalized(query);
    const { data, dimension } = this;
    const scores = new Float64Array(ids.length);
    ids.forEach((id, i) => {
      const slot = this.slotById.get(id);
      if (slot === undefined) return;
      const base = slot * dimension;
      let dot = 0;
      for (let c = 0; c < dimension; c++) dot += data[base + c]! * q[c]!;
      scores[i] = dot;
    });
    return scores;
  }

  private ensureCapacity(vectors: number): void {
    if (vectors * this.dimension <= this.data.length) return;
    const grown = new Float32Array(
      Math.max(vectors, (this.data.length / this.dimension) * 2) * this.dimension,
    );
    grown.set(this.data.subarray(0, this.idBySlot.length * this.dimension));
    this.data = grown;
  }
}
