import { describe, expect, it } from 'vitest';

import { truncatedSvd } from './randomized-svd.js';
import type { SparseColumns } from './randomized-svd.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * A random sparse matrix in the column layout, with its dense copy (rows × columns). Row t
 * is scaled by 1 / (1 + t/4) so that the spectrum decays, as term frequencies do.
 */
function randomSparse(rows: number, columns: number, seed: number) {
  let state = seed;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const dense = new Float64Array(rows * columns);
  const starts = [0];
  const terms: number[] = [];
  const weights: number[] = [];
  for (let j = 0; j < columns; j++) {
    for (let t = 0; t < rows; t++) {
      if (random() < 0.3) {
        const w = random() / (1 + t / 4);
        terms.push(t);
        weights.push(w);
        dense[t * columns + j] = w;
      }
    }
    starts.push(terms.length);
  }
  const matrix: SparseColumns = {
    rows,
    columns,
    starts: Int32Array.from(starts),
    terms: Int32Array.from(terms),
    weights: Float64Array.from(weights),
  };
  return { matrix, dense };
}

describe('symmetricEigen', () => {
  it('finds the eigenvalues and eigenvectors of a small symmetric matrix', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, −1)/√2.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0]! * vectors[2]!).toBeGreaterThan(0);
  });
});

describe('truncatedSvd', () => {
  it('matches the exact top singular values of a sparse matrix', () => {
    const rows = 40;
    const columns = 60;
    const { matrix, dense } = randomSparse(rows, columns, 11);

    // Exact: eigenvalues of A·Aᵀ are the squared singular values.
    const gram = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < rows; k++) {
        let sum = 0;
        for (let j = 0; j < columns; j++) sum += dense[i * columns + j]! * dense[k * columns + j]!;
        gram[i * rows + k] = sum;
      }
    }
    const exact = symmetricEigen(gram, rows).values.map(Math.sqrt);

    const svd = truncatedSvd(matrix, { rank: 5, oversampling: 10, powerIterations: 3 });
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(svd.singularValues[i]! - exact[i]!) / exact[i]!).toBeLessThan(1e-3);
    }
  });

  it('returns orthonormal left singular vectors', () => {
    const { matrix } = randomSparse(30, 50, 5);
    const svd = truncatedSvd(matrix, { rank: 4 });
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        let sum = 0;
        for (let r = 0; r < 30; r++)
          sum += svd.leftVectors[r * 4 + a]! * svd.leftVectors[r * 4 + b]!;
        expect(sum).toBeCloseTo(a === b ? 1 : 0, 8);
      }
    }
  });

  it('gives zero singular values beyond the rank of the matrix', () => {
    // Three identical columns: rank 1.
    const matrix: SparseColumns = {
      rows: 3,
      columns: 3,
      starts: Int32Array.from([0, 2, 4, 6]),
      terms: Int32Array.from([0, 1, 0, 1, 0, 1]),
      weights: Float64Array.from([1, 2, 1, 2, 1, 2]),
    };
    const svd = truncatedSvd(matrix, { rank: 3 });
    expect(svd.singularValues[0]).toBeCloseTo(Math.sqrt(15), 6);
    expect(svd.singularValues[1]).toBeCloseTo(0, 6);
  });
});
