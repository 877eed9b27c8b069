/** Thrown when a vector's length differs from the dimension its index was built for. */
export class DimensionMismatchError extends Error {
  readonly code = 'dimension_mismatch';

  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `Vector has ${actual} dimensions but this index holds ${expected}-dimensional vectors; ` +
        'embed with the model the index was built with, or rebuild the index.',
    );
    this.name = 'DimensionMismatchError';
  }
}

/** Refuses vectors of the wrong length or with values that would poison every distance. */
export function checkVector(vector: Float32Array, dimension: number): void {
  if (vector.length !== dimension) throw new DimensionMismatchError(dimension, vector.length);
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) {
      throw new RangeError(`Vector component ${i} is ${vector[i]}; every component must be finite`);
    }
  }
}

/** Ids become unsigned 64-bit keys in the native index, and must survive that round trip. */
export function checkId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new RangeError(`Vector id must be a non-negative safe integer, got ${id}`);
  }
}

export function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new RangeError(`Vector dimension must be a positive integer, got ${dimension}`);
  }
}

/**
 * Writes `vector / |vector|` into `target` at `offset`. A zero vector stays zero: it has no
 * direction, so its cosine similarity to anything is 0, as usearch also reports.
 */
export function writeNormalized(vector: Float32Array, target: Float32Array, offset: number): void {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < vector.length; i++) target[offset + i] = vector[i]! * scale;
}

export function normalized(vector: Float32Array): Float32Array {
  const copy = new Float32Array(vector.length);
  writeNormalized(vector, copy, 0);
  return copy;
}
