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
    parts[i] = value.toPrecision(9);
  }
  return `[${parts.join(',')}]`;
}

/** Parses pgvector's text output, `[1,2.5,-3e-05]`, which is also valid JSON. */
export function fromVectorLiteral(literal: string): Float32Array {
  return Float32Array.from(JSON.parse(literal) as number[]);
}

/**
 * Encodes numbers in pgvector's binary wire format: dimension and a reserved zero as int16,
 * then each component as a big-endian float4.
 *
 * Inserts send vectors this way because parsing text is what dominates bulk inserts: PGlite's
 * WebAssembly `strtof` takes microseconds per component, and formatting floats as text costs
 * about as much again in JavaScript. Both drivers send a Buffer parameter in binary format
 * (PGlite once `useBinaryVectorParameters` has registered the type).
 */
export function toVectorBinary(values: ArrayLike<number>): Buffer {
  const bytes = Buffer.allocUnsafe(4 + 4 * values.length);
  bytes.writeInt16BE(values.length, 0);
  bytes.writeInt16BE(0, 2);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      throw new RangeError(`vector component ${i} is ${value}; pgvector accepts finite numbers`);
    }
    bytes.writeFloatBE(value, 4 + 4 * i);
  }
  return bytes;
}

/** Decodes pgvector's binary format (see `toVectorBinary`). */
export function fromVectorBinary(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimension = view.getInt16(0);
  const values = new Float32Array(dimension);
  for (let i = 0; i < dimension; i += 1) values[i] = view.getFloat32(4 + 4 * i);
  return values;
}

/**
 * A pgvector `vector` column without a fixed dimension: one table holds embeddings from
 * models of any size, and `dimension` says which. Similarity queries cast to `vector(d)`
 * so that a per-dimension expression index can serve them. Values are written in binary
 * and read as text.
 */
export const vector = customType<{ data: Float32Array; driverData: string | Uint8Array }>({
  dataType() {
    return 'vector';
  },
  toDriver(value) {
    return toVectorBinary(value);
  },
  fromDriver(value) {
    return typeof value === 'string' ? fromVectorLiteral(value) : fromVectorBinary(value);
  },
});

/**
 * `bytea` as a Uint8Array. Both drivers return a Buffer (a Uint8Array subclass; PGlite
 * through the embedded store's parser) and send any Uint8Array as binary.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
});
