import type { ScoredId } from '../types.js';

/** Options of {@link rrf}. */
export interface RrfOptions {
  /** Rank constant: larger values flatten the difference between top and lower ranks. */
  k?: number;
  /** One weight per list (1 each by default). */
  weights?: readonly number[];
}

/**
 * Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each id scores
 * Σ_lists weight / (k + rank), ranks counted from 1; ids missing from a list get nothing
 * from it. Only ranks matter, so lists with incomparable scores fuse safely.
 */
export function rrf(lists: readonly (readonly ScoredId[])[], options: RrfOptions = {}): ScoredId[] {
  const k = options.k ?? 60;
  const fused = new Map<number, number>();
  lists.forEach((list, l) => {
    const weight = options.weights?.[l] ?? 1;
    list.forEach((hit, rank) => {
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + weight / (k + rank + 1));
    });
  });
  return sortFused(fused, lists);
}

/** How scores are brought to a common scale before they are summed. */
export type ScoreNormalization = 'min-max' | 'z-score';

/** Options of {@link weightedSum}. */
export interface WeightedSumOptions {
  /** One weight per list (1 each by default). */
  weights?: readonly number[];
  normalization?: ScoreNormalization;
}

/**
 * A weighted sum of per-list normalised scores. `min-max` maps each list onto [0, 1]
 * (a one-hit list, or one whose scores are all equal, maps to 1); `z-score` subtracts the
 * list's mean and divides by its standard deviation. An id missing from a list gets that
 * list's lowest normalised value, as if it ranked just below the list's last hit.
 */
export function weightedSum(
  lists: readonly (readonly ScoredId[])[],
  options: WeightedSumOptions = {},
): ScoredId[] {
  const normalization = options.normalization ?? 'min-max';
  const normalizedLists = lists.map((list) => normalizeScores(list, normalization));
  const ids = new Set<number>();
  for (const list of lists) for (const hit of list) ids.add(hit.id);

  const fused = new Map<number, number>();
  for (const id of ids) fused.set(id, 0);
  normalizedLists.forEach(({ scores, floor }, l) => {
    const weight = options.weights?.[l] ?? 1;
    for (const id of ids) fused.set(id, fused.get(id)! + weight * (scores.get(id) ?? floor));
  });
  return sortFused(fused, lists);
}

function normalizeScores(
  list: readonly ScoredId[],
  normalization: ScoreNormalization,
): { scores: Map<number, number>; floor: number } {
  const scores = new Map<number, number>();
  if (list.length === 0) return { scores, floor: 0 };

  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const hit of list) {
    min = Math.min(min, hit.score);
    max = Math.max(max, hit.score);
    sum += hit.score;
  }

  if (normalization === 'min-max') {
    const range = max - min;
    for (const hit of list) scores.set(hit.id, range > 0 ? (hit.score - min) / range : 1);
    return { scores, floor: range > 0 ? 0 : 1 };
  }

  const mean = sum / list.length;
  let variance = 0;
  for (const hit of list) variance += (hit.score - mean) ** 2;
  const deviation = Math.sqrt(variance / list.length);
  for (const hit of list) scores.set(hit.id, deviation > 0 ? (hit.score - mean) / deviation : 0);
  return { scores, floor: deviation > 0 ? (min - mean) / deviation : 0 };
}

/** Best fused score first; ties go to the id ranked best in any list, then the smaller id. */
function sortFused(fused: Map<number, number>, lists: readonly (readonly ScoredId[])[]) {
  const bestRank = new Map<number, number>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const current = bestRank.get(hit.id);
      if (current === undefined || rank < current) bestRank.set(hit.id, rank);
    });
  }
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || bestRank.get(a.id)! - bestRank.get(b.id)! || a.id - b.id);
}
