import { stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { terminalTable } from '../format.js';
import { evaluateRun, loadBeir, type RetrievalMetrics } from '@quarry/core';
import type { QuarryClient } from '../client/client.js';
import { slugForFolder } from '../names.js';
import { ingest } from './ingest.js';
import { batchSearch, type Mode } from './search.js';

export interface EvalReport {
  collection: string;
  project: string;
  queries: number;
  results: Array<{ mode: Mode } & RetrievalMetrics & { msPerQuery: number }>;
}

/** MAP is computed over the top 1000, as trec_eval does. */
const RUN_DEPTH = 1_000;

/**
 * Ingests a BEIR collection's corpus into a project (once: a second run finds it already
 * there), runs its judged queries in each mode and measures the runs against the qrels.
 */
export async function evaluateCollection(
  client: QuarryClient,
  options: { dir: string; project?: string; modes: Mode[]; split?: string; progress: boolean },
): Promise<EvalReport> {
  const dir = resolve(options.dir);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`${dir}: no such folder.`);
  }
  const collection = await loadBeir(dir, { split: options.split }).catch((error: unknown) => {
    const missing = (error as { code?: string; path?: string }).path;
    if ((error as { code?: string }).code !== 'ENOENT' || !missing) throw error;
    throw new UsageError(
      `${dir} is not a BEIR folder: ${relative(dir, missing)} is missing ` +
        `(it needs corpus.jsonl, queries.jsonl and qrels/${options.split ?? 'test'}.tsv).`,
    );
  });
  const project = options.project ?? `eval-${slugForFolder(dir)}`;
  await ingest(client, {
    project,
    paths: [join(dir, 'corpus.jsonl')],
    progress: options.progress,
  });

  const queries = collection.queries.map((q) => ({ _id: q.id, text: q.text }));
  const results: EvalReport['results'] = [];
  for (const mode of options.modes) {
    const started = performance.now();
    const run = await batchSearch(client, { project, queries, limit: RUN_DEPTH, mode });
    const msPerQuery = (performance.now() - started) / Math.max(queries.length, 1);
    results.push({ mode, ...evaluateRun(run, collection.qrels).mean, msPerQuery });
  }
  return { collection: basename(dir), project, queries: queries.length, results };
}

export function formatEvalTable(report: EvalReport): string {
  const table = terminalTable({ head: ['mode', 'nDCG@10', 'MAP', 'R@100', 'MRR@10', 'ms/query'] });
  for (const r of report.results) {
    table.push([
      r.mode,
      r.ndcg10.toFixed(3),
      r.map.toFixed(3),
      r.recall100.toFixed(3),
      r.mrr10.toFixed(3),
      r.msPerQuery.toFixed(1),
    ]);
  }
  const heading =
    `${report.collection}: ${report.queries} judged queries, ` + `project "${report.project}"`;
  return `${heading}\n${table.toString()}`;
}
