/**
 * Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations.
 * Used on the l × l matrices of the randomized SVD (l is a few hundred), where its O(l³)
 * per sweep is negligible next to the passes over the corpus, and its accuracy on small
 * eigenvalues is better than that of methods that tridiagonalise first.
 */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as columns of an n × n row-major matrix, in the order of `values`. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 60;

/** Decomposes the symmetric n × n row-major `matrix` (which is left unchanged). */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  // Rows of `vt` are the eigenvectors, so every rotation touches two contiguous rows.
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let p = 0; p < n; p++) {
      diagonal += a[p * n + p]! * a[p * n + p]!;
      for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    }
    // Converged when the off-diagonal mass is at rounding level relative to the diagonal.
    if (off <= 1e-24 * diagonal) break;

    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        // An element negligible next to both diagonal entries needs no rotation.
        const scale = Math.abs(a[p * n + p]!) + Math.abs(a[q * n + q]!);
        if (apq === 0 || Math.abs(apq) <= 1e-18 * scale) continue;
        rotate(a, vt, n, p, q, apq);
      }
    }
  }

  // Sort by eigenvalue, largest first, carrying the eigenvectors along.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => a[j * n + j]! - a[i * n + i]!,
  );
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((source, target) => {
    values[target] = a[source * n + source]!;
    for (let row = 0; row < n; row++) vectors[row * n + target] = vt[source * n + row]!;
  });
  return { values, vectors };
}

/**
 * Applies the Jacobi rotation that zeroes a[p][q]: Jᵀ·A·J on the symmetric `a` (rows p and
 * q are updated and mirrored into the columns) and J's columns into the rows of `vt`.
 */
function rotate(a: Float64Array, vt: Float64Array, n: number, p: number, q: number, apq: number) {
  const app = a[p * n + p]!;
  const aqq = a[q * n + q]!;
  const theta = (aqq - app) / (2 * apq);
  // The smaller root of t² + 2θt − 1 = 0 keeps the rotation angle below π/4.
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;

  const rowP = p * n;
  const rowQ = q * n;
  for (let k = 0; k < n; k++) {
    if (k === p || k === q) continue;
    const akp = a[rowP + k]!;
    const akq = a[rowQ + k]!;
    const newP = c * akp - s * akq;
    const newQ = s * akp + c * akq;
    a[rowP + k] = newP;
    a[rowQ + k] = newQ;
    a[k * n + p] = newP;
    a[k * n + q] = newQ;
  }
  a[rowP + p] = app - t * apq;
  a[rowQ + q] = aqq + t * apq;
  a[rowP + q] = 0;
  a[rowQ + p] = 0;

  for (let k = 0; k < n; k++) {
    const vp = vt[rowP + k]!;
    const vq = vt[rowQ + k]!;
    vt[rowP + k] = c * vp - s * vq;
    vt[rowQ + k] = s * vp + c * vq;
  }
}
