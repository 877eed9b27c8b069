import { cholesky, crossProduct, gram, invertUpper, multiplySmall } from './dense.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * A sparse terms × documents matrix stored by document (compressed sparse columns):
 * the entries of document j are `terms[e]`, `weights[e]` for e in starts[j] .. starts[j + 1].
 */
export interface SparseColumns {
  rows: number;
  columns: number;
  starts: Int32Array;
  terms: Int32Array;
  weights: Float64Array;
}

export interface TruncatedSvdOptions {
  /** Number of singular triplets wanted. */
  rank: number;
  /** Extra directions carried through the iteration; more is slower and more accurate. */
  oversampling?: number;
  /** Power iterations; each sharpens the gap between kept and dropped directions. */
  powerIterations?: number;
  /** Seed of the random start, so that a fit is reproducible. */
  seed?: number;
}

/** Left singular vectors (rows × rank, row-major) and singular values, largest first. */
export interface TruncatedSvd {
  rank: number;
  leftVectors: Float64Array;
  singularValues: Float64Array;
}

/**
 * Top-`rank` singular values and left singular vectors of a sparse matrix A by randomized
 * subspace iteration (Halko, Martinsson and Tropp, 2011): Y = A·Ω for a Gaussian Ω, then
 * `powerIterations` times Y = A·Aᵀ·orth(Y), then a Rayleigh–Ritz step on Qᵀ·A·Aᵀ·Q.
 *
 * Memory is two rows × l Float64 blocks (l = rank + oversampling); A·Aᵀ·Q is computed one
 * document at a time, so nothing of size documents × l is ever allocated. Time is
 * O((2·nnz·l + rows·l²) · (powerIterations + 2)).
 */
export function truncatedSvd(matrix: SparseColumns, options: TruncatedSvdOptions): TruncatedSvd {
  const width = Math.min(options.rank + (options.oversampling ?? 16), matrix.rows, matrix.columns);
  const rank = Math.min(options.rank, width);
  if (width <= 0)
    return { rank: 0, leftVectors: new Float64Array(0), singularValues: new Float64Array(0) };
  const random = gaussianSource(options.seed ?? 1);

  let y = sketch(matrix, width, random);
  for (let i = 0; i < (options.powerIterations ?? 2); i++) {
    y = multiplyGram(matrix, orthonormalize(y, matrix.rows, width, 1), width);
  }

  const q = orthonormalize(y, matrix.rows, width, 2);
  const aatq = multiplyGram(matrix, q, width);
  const projected = symmetrize(crossProduct(q, aatq, matrix.rows, width), width);
  const { values, vectors } = symmetricEigen(projected, width);

  const leftVectors = multiplySmall(q, vectors, matrix.rows, width, rank);
  const singularValues = new Float64Array(rank);
  for (let i = 0; i < rank; i++) singularValues[i] = Math.sqrt(Math.max(values[i]!, 0));
  return { rank, leftVectors, singularValues };
}

/** Y = A·Ω with Ω a columns × width Gaussian matrix drawn one document at a time. */
function sketch(matrix: SparseColumns, width: number, random: () => number): Float64Array {
  const { starts, terms, weights } = matrix;
  const y = new Float64Array(matrix.rows * width);
  const omega = new Float64Array(width);
  for (let j = 0; j < matrix.columns; j++) {
    for (let c = 0; c < width; c++) omega[c] = random();
    for (let e = starts[j]!; e < starts[j + 1]!; e++) {
      addScaled(y, terms[e]! * width, omega, weights[e]!, width);
    }
  }
  return y;
}

/**
 * Columns of Q handled per pass over the corpus in {@link multiplyGram}: a block of
 * vocabulary × 32 values (4 MB at 32k terms in Float32, plus as much for the result) stays
 * in the processor's cache while documents gather random rows of it.
 */
const COLUMN_BLOCK = 32;

/**
 * A·Aᵀ·Q, one document at a time: z = Aᵀ_j·Q, then each of the document's rows of the
 * result gains a_tj·z. This pass dominates fitting time on large corpora, as it gathers
 * 2 × nnz random rows; it runs per block of columns, with the block of Q in Float32, so
 * that the rows it gathers come from cache rather than memory.
 */
function multiplyGram(matrix: SparseColumns, q: Float64Array, width: number): Float64Array {
  const { starts, terms, weights, rows } = matrix;
  const result = new Float64Array(rows * width);
  const z = new Float64Array(COLUMN_BLOCK);

  for (let first = 0; first < width; first += COLUMN_BLOCK) {
    const block = Math.min(COLUMN_BLOCK, width - first);
    const qBlock = new Float32Array(rows * block);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < block; c++) qBlock[r * block + c] = q[r * width + first + c]!;
    }
    const resultBlock = new Float64Array(rows * block);

    for (let j = 0; j < matrix.columns; j++) {
      const start = starts[j]!;
      const end = starts[j + 1]!;
      if (start === end) continue;
      z.fill(0);
      for (let e = start; e < end; e++) {
        const row = terms[e]! * block;
        const w = weights[e]!;
        let c = 0;
        for (; c + 4 <= block; c += 4) {
          z[c] = z[c]! + w * qBlock[row + c]!;
          z[c + 1] = z[c + 1]! + w * qBlock[row + c + 1]!;
          z[c + 2] = z[c + 2]! + w * qBlock[row + c + 2]!;
          z[c + 3] = z[c + 3]! + w * qBlock[row + c + 3]!;
        }
        for (; c < block; c++) z[c] = z[c]! + w * qBlock[row + c]!;
      }
      for (let e = start; e < end; e++)
        addScaled(resultBlock, terms[e]! * block, z, weights[e]!, block);
    }

    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < block; c++) result[r * width + first + c] = resultBlock[r * block + c]!;
    }
  }
  return result;
}

/** target[row .. row + width) += w · source, unrolled by four. */
function addScaled(
  target: Float64Array,
  row: number,
  source: Float64Array,
  w: number,
  width: number,
) {
  let c = 0;
  for (; c + 4 <= width; c += 4) {
    target[row + c] = target[row + c]! + w * source[c]!;
    target[row + c + 1] = target[row + c + 1]! + w * source[c + 1]!;
    target[row + c + 2] = target[row + c + 2]! + w * source[c + 2]!;
    target[row + c + 3] = target[row + c + 3]! + w * source[c + 3]!;
  }
  for (; c < width; c++) target[row + c] = target[row + c]! + w * source[c]!;
}

/**
 * An orthonormal basis of Y's column space by CholeskyQR (Q = Y·R⁻¹ with Rᵀ·R = Yᵀ·Y),
 * repeated up to `rounds` times: one round is enough between power iterations; the final
 * basis gets a second round (CholeskyQR2) when Y is ill-conditioned. When a Cholesky pivot vanishes (a corpus with fewer
 * independent directions than asked for) the eigen-decomposition of Yᵀ·Y is used instead,
 * and directions with a negligible eigenvalue become zero columns, which later yield zero
 * singular values instead of noise.
 */
function orthonormalize(y: Float64Array, rows: number, width: number, rounds: number) {
  let q = y;
  for (let round = 0; round < rounds; round++) {
    const r = cholesky(gram(q, rows, width), width);
    if (!r) return eigenOrthonormalize(y, rows, width);
    q = multiplySmall(q, invertUpper(r, width), rows, width, width, true);
    // One round leaves an orthogonality error of about κ(Y)²·ε. The bound below may
    // underestimate κ a few times; under 10³ the error stays below 10⁻⁸ and a second
    // round would only cost time.
    if (conditionBound(r, width) < 1e3) break;
  }
  return q;
}

/** max / min of R's diagonal: a lower bound on the condition number of Y = Q·R. */
function conditionBound(r: Float64Array, width: number): number {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < width; i++) {
    const value = Math.abs(r[i * width + i]!);
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return max / min;
}

function eigenOrthonormalize(y: Float64Array, rows: number, width: number): Float64Array {
  const { values, vectors } = symmetricEigen(gram(y, rows, width), width);
  const floor = Math.max(values[0]!, 0) * 1e-12;
  const scaled = new Float64Array(width * width);
  for (let c = 0; c < width; c++) {
    const value = values[c]!;
    if (!(value > floor)) continue;
    const inverse = 1 / Math.sqrt(value);
    for (let r = 0; r < width; r++) scaled[r * width + c] = vectors[r * width + c]! * inverse;
  }
  return multiplySmall(y, scaled, rows, width, width);
}

/** Averages a square matrix with its transpose: exact symmetry keeps Jacobi rotations clean. */
function symmetrize(matrix: Float64Array, width: number): Float64Array {
  for (let i = 0; i < width; i++) {
    for (let j = i + 1; j < width; j++) {
      const mean = (matrix[i * width + j]! + matrix[j * width + i]!) / 2;
      matrix[i * width + j] = mean;
      matrix[j * width + i] = mean;
    }
  }
  return matrix;
}

/** Standard normal numbers from a seeded 32-bit generator (mulberry32 + Box–Muller). */
function gaussianSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = uniform() || 1e-12;
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}
