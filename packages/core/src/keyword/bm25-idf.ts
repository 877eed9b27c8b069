/** Okapi BM25's idf of a term in `containing` of `total` documents; positive even when all. */
export function bm25Idf(total: number, containing: number): number {
  return Math.log(1 + (total - containing + 0.5) / (containing + 0.5));
}
