import { customType } from 'drizzle-orm/pg-core';

/**
 * Formats numbers as a pgvector text literal, `[0.1,-2,3e-05]`.
 *
 * Nine significant digits are enough to round-trip any float32 exactly, and printing fewer
 * than JavaScript's 17-digit doubles roughly halves what is sent per vector.
 */
export function toVectorLiteral(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      throw new RangeError(`vector component ${i} is ${value}; pgvector accepts finite numbers`);
    }
    parts[i] = String(Number(value.toPrecision(9)));
  }
  return `[${parts.join(',')}]`;
}

/** Parses pgvector's text output, `[1,2.5,-3e-05]`, which is also valid JSON. */
export function fromVectorLiteral(literal: string): Float32Array {
  return Float32Array.from(JSON.parse(literal) as number[]);
}

/**
 * A pgvector `vector` column without a fixed dimension: one table holds embeddings from
 * models of any size, and `dimension` says which. Similarity queries cast to `vector(d)`
 * so that a per-dimension expression index can serve them.
 */
export const vector = customType<{ data: Float32Array; driverData: string }>({
  dataType() {
    return 'vector';
  },
  toDriver(value) {
    return toVectorLiteral(value);
  },
  fromDriver(value) {
    return fromVectorLiteral(value);
  },
});

/**
 * `bytea` as a Uint8Array. node-postgres returns a Buffer (a Uint8Array subclass) and
 * PGlite a plain Uint8Array; both drivers send any Uint8Array as binary.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
});
