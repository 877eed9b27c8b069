/**
 * Retrieval metrics computed the way `trec_eval` computes them, so that Quarry's figures
 * can be compared with published ones. Document and query ids are strings, as in qrels.
 */

/** Relevance judgements: query id → document id → grade (≥ 1 is relevant). */
export type Qrels = Map<string, Map<string, number>>;

/** One retrieved document of a run. */
export interface RunHit {
  docId: string;
  score: number;
}

/** A run: query id → retrieved documents (in any order; they are re-sorted by score). */
export type Run = Map<string, RunHit[]>;

/** The four figures Quarry reports for a run. */
export interface RetrievalMetrics {
  /** nDCG@10 with linear gains (the grade is the gain). */
  ndcg10: number;
  /** Mean average precision over the top 1000. */
  map: number;
  /** Share of the relevant documents found in the top 100. */
  recall100: number;
  /** Reciprocal rank of the first relevant document in the top 10, else 0. */
  mrr10: number;
}

/** The judged grade of a document; unjudged documents count as not relevant. */
function gradeOf(judgements: ReadonlyMap<string, number>, docId: string): number {
  return judgements.get(docId) ?? 0;
}

function relevantCount(judgements: ReadonlyMap<string, number>): number {
  let count = 0;
  for (const grade of judgements.values()) if (grade >= 1) count++;
  return count;
}

/**
 * nDCG@k as `trec_eval -m ndcg_cut.k`: gain = grade, discount log2(rank + 1), ideal DCG
 * from all judged documents sorted by grade. 0 when the query has no relevant document.
 */
export function ndcgAt(
  ranking: readonly string[],
  judgements: ReadonlyMap<string, number>,
  k: number,
): number {
  let dcg = 0;
  const depth = Math.min(k, ranking.length);
  for (let i = 0; i < depth; i++) {
    const gain = gradeOf(judgements, ranking[i]!);
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }

  const ideal = [...judgements.values()].filter((grade) => grade > 0).sort((a, b) => b - a);
  let idealDcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idealDcg += ideal[i]! / Math.log2(i + 2);
  return idealDcg === 0 ? 0 : dcg / idealDcg;
}

/**
 * Average precision as `trec_eval -m map` over the first `depth` documents: the mean, over
 * all relevant documents, of the precision at each one's rank (0 for those not retrieved).
 */
export function averagePrecision(
  ranking: readonly string[],
  judgements: ReadonlyMap<string, number>,
  depth = 1000,
): number {
  const relevant = relevantCount(judgements);
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  for (let i = 0; i < Math.min(depth, ranking.length); i++) {
    if (gradeOf(judgements, ranking[i]!) >= 1) {
      found += 1;
      sum += found / (i + 1);
    }
  }
  return sum / relevant;
}

/** Recall@k as `trec_eval -m recall.k`: relevant documents in the top k / all relevant. */
export function recallAt(
  ranking: readonly string[],
  judgements: ReadonlyMap<string, number>,
  k: number,
): number {
  const relevant = relevantCount(judgements);
  if (relevant === 0) return 0;
  let found = 0;
  for (let i = 0; i < Math.min(k, ranking.length); i++) {
    if (gradeOf(judgements, ranking[i]!) >= 1) found += 1;
  }
  return found / relevant;
}

/** Reciprocal rank of the first document with grade ≥ 1 within the top k, else 0. */
export function reciprocalRankAt(
  ranking: readonly string[],
  judgements: ReadonlyMap<string, number>,
  k: number,
): number {
  for (let i = 0; i < Math.min(k, ranking.length); i++) {
    if (gradeOf(judgements, ranking[i]!) >= 1) return 1 / (i + 1);
  }
  return 0;
}

/**
 * Orders hits as `trec_eval` does before measuring: by score descending, with scores read
 * as 32-bit floats, then by document id in descending string order. The rank a system gave
 * is ignored, so tied scores are ranked the same way by every evaluator.
 */
export function rankLikeTrecEval(hits: readonly RunHit[]): string[] {
  return hits
    .map((hit) => ({ docId: hit.docId, score: Math.fround(hit.score) }))
    .sort((a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0))
    .map((hit) => hit.docId);
}

/** All four metrics of one query's ranking. */
export function measureRanking(
  ranking: readonly string[],
  judgements: ReadonlyMap<string, number>,
): RetrievalMetrics {
  return {
    ndcg10: ndcgAt(ranking, judgements, 10),
    map: averagePrecision(ranking, judgements, 1000),
    recall100: recallAt(ranking, judgements, 100),
    mrr10: reciprocalRankAt(ranking, judgements, 10),
  };
}

/** The metrics of a run, averaged and per query. */
export interface RunEvaluation {
  mean: RetrievalMetrics;
  perQuery: Map<string, RetrievalMetrics>;
  /** Number of queries averaged over: those with at least one relevant judgement. */
  queryCount: number;
}

/**
 * Evaluates a run against qrels like `trec_eval -c`: every query with a relevant judgement
 * counts, a query missing from the run scores 0, and queries without judgements are skipped.
 */
export function evaluateRun(run: Run, qrels: Qrels): RunEvaluation {
  const perQuery = new Map<string, RetrievalMetrics>();
  const sum: RetrievalMetrics = { ndcg10: 0, map: 0, recall100: 0, mrr10: 0 };

  for (const [queryId, judgements] of qrels) {
    if (relevantCount(judgements) === 0) continue;
    const metrics = measureRanking(rankLikeTrecEval(run.get(queryId) ?? []), judgements);
    perQuery.set(queryId, metrics);
    sum.ndcg10 += metrics.ndcg10;
    sum.map += metrics.map;
    sum.recall100 += metrics.recall100;
    sum.mrr10 += metrics.mrr10;
  }

  const n = Math.max(perQuery.size, 1);
  return {
    mean: {
      ndcg10: sum.ndcg10 / n,
      map: sum.map / n,
      recall100: sum.recall100 / n,
      mrr10: sum.mrr10 / n,
    },
    perQuery,
    queryCount: perQuery.size,
  };
}
