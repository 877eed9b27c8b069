/** Typed-array constructors the index grows. */
type TypedArrayConstructor<T> = { new (length: number): T };

/**
 * Returns `array` if it holds at least `needed` elements, otherwise a copy with room for
 * half as many again, so that appending one element at a time costs amortised O(1).
 */
export function ensureCapacity<T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(
  array: T,
  needed: number,
  Type: TypedArrayConstructor<T>,
): T {
  if (needed <= array.length) return array;
  const grown = new Type(Math.max(needed, Math.ceil(array.length * 1.5), 16));
  grown.set(array);
  return grown;
}
