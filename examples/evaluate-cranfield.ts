/**
 * Measures Quarry's retrieval quality on a BEIR collection (Cranfield by default), the way
 * a notebook would: load the collection, index every document as one chunk, fit the LSA
 * embedder on the corpus, run each judged query and score the run like trec_eval.
 *
 *   npx tsx --conditions=quarry-source examples/evaluate-cranfield.ts            # all modes
 *   npx tsx --conditions=quarry-source examples/evaluate-cranfield.ts --mode hybrid
 *   npx tsx --conditions=quarry-source examples/evaluate-cranfield.ts --mode hybrid \
 *     --fusion rrf --dimension 256 --feedback off
 *
 * Every option is listed in `parseOptions` below; `--run-file` also writes a TREC run, and
 * `--score-run other.run` scores a run made elsewhere (such as Lucene's) instead of searching.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import {
  ExactVectorIndex,
  LsaEmbedder,
  SearchIndex,
  beirDocumentText,
  englishAnalyzer,
  evaluateRun,
  fitLsaModel,
  formatTrecRun,
  loadBeir,
  parseTrecRun,
} from '@quarry/core';
import type {
  FusionSettings,
  LsaWeighting,
  Qrels,
  RetrievalMetrics,
  Run,
  ScoreNormalization,
  SearchMode,
} from '@quarry/core';

/** Where CI and developers find the shared data: `shared/` beside the repository. */
export const CRANFIELD_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../shared/data/cranfield',
);

/** One measured configuration. */
export interface EvaluationRow {
  label: string;
  mode: SearchMode;
  feedback: boolean;
  metrics: RetrievalMetrics;
  queries: number;
  msPerQuery: number;
}

export interface EvaluationReport {
  rows: EvaluationRow[];
  lsaModelId?: string;
  lsaFitMs?: number;
}

export async function main(args: string[] = []): Promise<EvaluationReport> {
  const options = parseOptions(args);
  const collection = await loadBeir(options.data);
  if (options.scoreRun) return scoreRun(options.scoreRun, collection.qrels);
  const terms = collection.corpus.map((document) =>
    englishAnalyzer.analyze(beirDocumentText(document)),
  );
  const modes: SearchMode[] =
    options.mode === 'all' ? ['keyword', 'semantic', 'hybrid'] : [options.mode];
  const needsVectors = modes.some((mode) => mode !== 'keyword');

  // Fit the embedder on the corpus itself: no weights are downloaded, nothing is labelled.
  const report: EvaluationReport = { rows: [] };
  let embedder: LsaEmbedder | undefined;
  if (needsVectors) {
    const started = performance.now();
    const model = fitLsaModel(terms, {
      dimension: options.dimension,
      weighting: options.weighting,
      normalizeDocuments: options.normalizeDocuments,
      powerIterations: options.powerIterations,
      seed: options.seed,
      analyzerId: englishAnalyzer.id,
    });
    report.lsaFitMs = performance.now() - started;
    report.lsaModelId = model.modelId;
    embedder = new LsaEmbedder(model, englishAnalyzer);
  }

  const index = new SearchIndex({
    analyzer: englishAnalyzer,
    vectors: embedder ? new ExactVectorIndex(embedder.dimension) : undefined,
    embedder,
    fusion: options.fusion,
    minSimilarity: options.minSimilarity,
    feedback: { fbDocs: options.fbDocs, fbTerms: options.fbTerms },
  });
  terms.forEach((chunkTerms, id) => index.add(id, chunkTerms, embedder?.embedTerms(chunkTerms)));

  // Keyword mode is measured with and without feedback unless --feedback says which.
  const runs: { mode: SearchMode; feedback: boolean | undefined }[] = [];
  for (const mode of modes) {
    if (mode === 'keyword' && options.feedback === undefined && options.mode === 'all') {
      runs.push({ mode, feedback: false }, { mode, feedback: true });
    } else runs.push({ mode, feedback: options.feedback });
  }

  for (const { mode, feedback } of runs) {
    const run: Run = new Map();
    const started = performance.now();
    for (const query of collection.queries) {
      const hits = await index.search(query.text, { mode, limit: options.limit, feedback });
      run.set(
        query.id,
        hits.map((hit) => ({ docId: collection.corpus[hit.id]!.id, score: hit.score })),
      );
    }
    const msPerQuery = (performance.now() - started) / collection.queries.length;
    const evaluation = evaluateRun(run, collection.qrels);
    // Feedback acts on the keyword side, only when asked for; never in semantic mode.
    const usedFeedback = mode !== 'semantic' && (feedback ?? false);
    report.rows.push({
      label: `${mode}${usedFeedback ? ' + RM3' : ''}`,
      mode,
      feedback: usedFeedback,
      metrics: evaluation.mean,
      queries: evaluation.queryCount,
      msPerQuery,
    });
    if (options.runFile) await writeFile(`${options.runFile}.${mode}`, formatTrecRun(run, mode));
  }

  printTable(report);
  return report;
}

/** Scores a TREC run file against the collection's qrels. */
async function scoreRun(file: string, qrels: Qrels): Promise<EvaluationReport> {
  const evaluation = evaluateRun(parseTrecRun(await readFile(file, 'utf8')), qrels);
  const report: EvaluationReport = {
    rows: [
      {
        label: file,
        mode: 'keyword',
        feedback: false,
        metrics: evaluation.mean,
        queries: evaluation.queryCount,
        msPerQuery: 0,
      },
    ],
  };
  printTable(report);
  return report;
}

function parseOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string', default: CRANFIELD_DIR },
      mode: { type: 'string', default: 'all' },
      feedback: { type: 'string' },
      fusion: { type: 'string', default: 'weighted' },
      normalization: { type: 'string', default: 'min-max' },
      weights: { type: 'string', default: '0.5,0.5' },
      'rrf-k': { type: 'string', default: '60' },
      dimension: { type: 'string', default: '128' },
      weighting: { type: 'string', default: 'log-entropy' },
      'normalize-documents': { type: 'string', default: 'on' },
      'power-iterations': { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      'min-similarity': { type: 'string', default: '0.1' },
      'fb-docs': { type: 'string', default: '10' },
      'fb-terms': { type: 'string', default: '20' },
      limit: { type: 'string', default: '1000' },
      'run-file': { type: 'string' },
      'score-run': { type: 'string' },
    },
  });
  const mode = values.mode as SearchMode | 'all';
  if (!['all', 'keyword', 'semantic', 'hybrid'].includes(mode)) {
    throw new Error(`--mode must be all, keyword, semantic or hybrid, not ${mode}`);
  }
  const weights = values.weights.split(',').map(Number) as [number, number];
  const fusion: FusionSettings =
    values.fusion === 'rrf'
      ? { method: 'rrf', k: Number(values['rrf-k']), weights }
      : {
          method: 'weighted-sum',
          normalization: values.normalization as ScoreNormalization,
          weights,
        };
  return {
    data: values.data,
    mode,
    feedback: values.feedback === undefined ? undefined : values.feedback === 'on',
    fusion,
    dimension: Number(values.dimension),
    weighting: values.weighting as LsaWeighting,
    normalizeDocuments: values['normalize-documents'] === 'on',
    powerIterations: Number(values['power-iterations']),
    seed: Number(values.seed),
    minSimilarity: Number(values['min-similarity']),
    fbDocs: Number(values['fb-docs']),
    fbTerms: Number(values['fb-terms']),
    limit: Number(values.limit),
    runFile: values['run-file'],
    scoreRun: values['score-run'],
  };
}

function printTable(report: EvaluationReport): void {
  if (report.lsaModelId) {
    console.log(`LSA model ${report.lsaModelId}, fitted in ${report.lsaFitMs!.toFixed(0)} ms`);
  }
  console.log('| mode | nDCG@10 | MAP | R@100 | MRR@10 | ms/query |');
  console.log('|---|---|---|---|---|---|');
  for (const row of report.rows) {
    const m = row.metrics;
    const cells = [m.ndcg10, m.map, m.recall100, m.mrr10].map((x) => x.toFixed(4));
    console.log(`| ${row.label} | ${cells.join(' | ')} | ${row.msPerQuery.toFixed(1)} |`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
