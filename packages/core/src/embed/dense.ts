/**
 * Dense kernels of the randomized SVD, on row-major Float64Arrays. The tall matrices have
 * one row per vocabulary term and `width` (a few hundred) columns; every kernel walks them
 * four rows at a time so that each load of the small matrix serves four rows, which is
 * what makes these loops run at a useful speed in JavaScript.
 */

/** Aᵀ·B (width × width) for two tall rows × width matrices. */
export function crossProduct(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  width: number,
): Float64Array {
  const result = new Float64Array(width * width);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = r * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    for (let i = 0; i < width; i++) {
      const a0 = a[r0 + i]!;
      const a1 = a[r1 + i]!;
      const a2 = a[r2 + i]!;
      const a3 = a[r3 + i]!;
      const out = i * width;
      for (let j = 0; j < width; j++) {
        result[out + j]! += a0 * b[r0 + j]! + a1 * b[r1 + j]! + a2 * b[r2 + j]! + a3 * b[r3 + j]!;
      }
    }
  }
  for (; r < rows; r++) {
    const base = r * width;
    for (let i = 0; i < width; i++) {
      const ai = a[base + i]!;
      const out = i * width;
      for (let j = 0; j < width; j++) result[out + j]! += ai * b[base + j]!;
    }
  }
  return result;
}

/** Yᵀ·Y (width × width, symmetric): only the upper triangle is computed, then mirrored. */
export function gram(y: Float64Array, rows: number, width: number): Float64Array {
  const result = new Float64Array(width * width);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = r * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    for (let i = 0; i < width; i++) {
      const a0 = y[r0 + i]!;
      const a1 = y[r1 + i]!;
      const a2 = y[r2 + i]!;
      const a3 = y[r3 + i]!;
      const out = i * width;
      for (let j = i; j < width; j++) {
        result[out + j]! += a0 * y[r0 + j]! + a1 * y[r1 + j]! + a2 * y[r2 + j]! + a3 * y[r3 + j]!;
      }
    }
  }
  for (; r < rows; r++) {
    const base = r * width;
    for (let i = 0; i < width; i++) {
      const ai = y[base + i]!;
      const out = i * width;
      for (let j = i; j < width; j++) result[out + j]! += ai * y[base + j]!;
    }
  }
  for (let i = 0; i < width; i++) {
    for (let j = i + 1; j < width; j++) result[j * width + i] = result[i * width + j]!;
  }
  return result;
}

/**
 * A·B for a tall rows × width A and a small width × width B, keeping the first `keep`
 * columns. B is transposed first so that each entry is a dot product of two contiguous rows.
 * With `upperTriangular`, B's entries below the diagonal are known to be 0 and are skipped.
 */
export function multiplySmall(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  width: number,
  keep: number,
  upperTriangular = false,
): Float64Array {
  const bt = new Float64Array(keep * width);
  for (let i = 0; i < width; i++) {
    for (let c = 0; c < keep; c++) bt[c * width + i] = b[i * width + c]!;
  }

  const result = new Float64Array(rows * keep);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const r0 = r * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    for (let c = 0; c < keep; c++) {
      const col = c * width;
      const depth = upperTriangular ? c + 1 : width;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < depth; i++) {
        const v = bt[col + i]!;
        s0 += a[r0 + i]! * v;
        s1 += a[r1 + i]! * v;
        s2 += a[r2 + i]! * v;
        s3 += a[r3 + i]! * v;
      }
      result[r * keep + c] = s0;
      result[(r + 1) * keep + c] = s1;
      result[(r + 2) * keep + c] = s2;
      result[(r + 3) * keep + c] = s3;
    }
  }
  for (; r < rows; r++) {
    const base = r * width;
    for (let c = 0; c < keep; c++) {
      const col = c * width;
      const depth = upperTriangular ? c + 1 : width;
      let s = 0;
      for (let i = 0; i < depth; i++) s += a[base + i]! * bt[col + i]!;
      result[r * keep + c] = s;
    }
  }
  return result;
}

/** Upper-triangular R with Rᵀ·R = G, or undefined when G is not safely positive definite. */
export function cholesky(g: Float64Array, n: number): Float64Array | undefined {
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, g[i * n + i]!);
  const r = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = g[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= r[k * n + j]! * r[k * n + j]!;
    if (!(pivot > 1e-13 * largest)) return undefined;
    const diagonal = Math.sqrt(pivot);
    r[j * n + j] = diagonal;
    for (let i = j + 1; i < n; i++) {
      let value = g[j * n + i]!;
      for (let k = 0; k < j; k++) value -= r[k * n + j]! * r[k * n + i]!;
      r[j * n + i] = value / diagonal;
    }
  }
  return r;
}

/** The inverse of an upper-triangular n × n matrix (itself upper triangular). */
export function invertUpper(r: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  for (let j = n - 1; j >= 0; j--) {
    const diagonal = r[j * n + j]!;
    inverse[j * n + j] = 1 / diagonal;
    for (let c = j + 1; c < n; c++) {
      let sum = 0;
      for (let k = j + 1; k <= c; k++) sum += r[j * n + k]! * inverse[k * n + c]!;
      inverse[j * n + c] = -sum / diagonal;
    }
  }
  return inverse;
}
