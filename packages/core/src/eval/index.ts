export {
  averagePrecision,
  evaluateRun,
  measureRanking,
  ndcgAt,
  rankLikeTrecEval,
  recallAt,
  reciprocalRankAt,
} from './metrics.js';
export type { Qrels, RetrievalMetrics, Run, RunEvaluation, RunHit } from './metrics.js';
export { beirDocumentText, loadBeir, parseBeirQrels } from './beir.js';
export type { BeirCollection, BeirDocument, BeirQuery, LoadBeirOptions } from './beir.js';
export { formatTrecRun, parseTrecRun } from './trec.js';
