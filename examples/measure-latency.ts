/**
 * Rough timings of Quarry's keyword index and LSA embedder on a synthetic project of
 * `--chunks` chunks (100,000 by default): bulk rebuild from stored terms, query latency,
 * memory, LSA fitting and exact vector search; `--compare-lunr` also builds lunr over the
 * same text for comparison.
 *
 *   npx tsx --conditions=quarry-source examples/measure-latency.ts --chunks 100000
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { ExactVectorIndex, KeywordIndex, fitLsaModel, searchWithFeedback } from '@quarry/core';

export interface LatencyReport {
  chunks: number;
  vocabulary: number;
  keywordBuildMs: number;
  /** CPU time of the build: on a shared machine wall time also counts other processes. */
  keywordBuildCpuMs: number;
  keywordQueryMs: number;
  keywordFeedbackQueryMs: number;
  keywordMegabytes: number;
  lsaFitMs?: number;
  lsaFitCpuMs?: number;
  lsaDimension?: number;
  vectorQueryMs?: number;
  lunrBuildMs?: number;
  lunrQueryMs?: number;
}

export async function main(args: string[] = []): Promise<LatencyReport> {
  const { values } = parseArgs({
    args,
    options: {
      chunks: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '200' },
      dimension: { type: 'string', default: '128' },
      'skip-lsa': { type: 'boolean', default: false },
      'compare-lunr': { type: 'boolean', default: false },
    },
  });
  const chunkCount = Number(values.chunks);
  const corpus = syntheticCorpus(chunkCount, 7);
  const queries = Array.from({ length: Number(values.queries) }, (_, i) =>
    corpus[(i * 7919) % chunkCount]!.slice(0, 6),
  );

  const heapBefore = memoryInUse();
  let started = performance.now();
  let startedCpu = cpuTime();
  const keyword = new KeywordIndex();
  corpus.forEach((terms, id) => keyword.add(id, terms));
  keyword.search(queries[0]!, 10); // the first search inverts the index
  const keywordBuildMs = performance.now() - started;
  const keywordBuildCpuMs = cpuTime() - startedCpu;
  const keywordMegabytes = (memoryInUse() - heapBefore) / 2 ** 20;

  const report: LatencyReport = {
    chunks: chunkCount,
    vocabulary: keyword.vocabularySize,
    keywordBuildMs,
    keywordBuildCpuMs,
    keywordQueryMs: timePerQuery(queries, (q) => keyword.search(q, 10)),
    keywordFeedbackQueryMs: timePerQuery(queries, (q) => searchWithFeedback(keyword, q, 10)),
    keywordMegabytes,
  };

  if (!values['skip-lsa']) {
    started = performance.now();
    startedCpu = cpuTime();
    const model = fitLsaModel(corpus, { dimension: Number(values.dimension) });
    report.lsaFitMs = performance.now() - started;
    report.lsaFitCpuMs = cpuTime() - startedCpu;
    report.lsaDimension = model.dimension;
    const vectors = new ExactVectorIndex(model.dimension);
    corpus.forEach((terms, id) => vectors.add(id, model.embedTerms(terms)));
    report.vectorQueryMs = timePerQuery(queries, (q) => vectors.search(model.embedTerms(q), 10));
  }

  if (values['compare-lunr']) Object.assign(report, await measureLunr(corpus, queries));

  console.table(report);
  return report;
}

/** lunr over the same synthetic words, with its pipeline off (the words are already terms). */
async function measureLunr(corpus: string[][], queries: string[][]) {
  const { default: lunr } = await import('lunr');
  const started = performance.now();
  const index = lunr(function () {
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.ref('id');
    this.field('text');
    corpus.forEach((terms, id) => this.add({ id: String(id), text: terms.join(' ') }));
  });
  const lunrBuildMs = performance.now() - started;
  const lunrQueryMs = timePerQuery(queries, (q) =>
    index.query((query) => q.forEach((term) => query.term(term, {}))).slice(0, 10),
  );
  return { lunrBuildMs, lunrQueryMs };
}

function timePerQuery(queries: string[][], run: (query: string[]) => unknown): number {
  const started = performance.now();
  for (const query of queries) run(query);
  return (performance.now() - started) / queries.length;
}

function cpuTime(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Chunks of 60 to 180 terms drawn from 300 topics (each a Zipf distribution over 800 of a
 * 150,000-term vocabulary) mixed with a global Zipf background: enough structure for LSA
 * to find, and the long tail of rare terms real projects have.
 */
export function syntheticCorpus(chunks: number, seed: number): string[][] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const vocabulary = 150_000;
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(Math.pow(n + 1, random()) - 1));
  const topics = Array.from({ length: 300 }, () =>
    Array.from({ length: 800 }, () => Math.floor(random() * vocabulary)),
  );

  const corpus: string[][] = [];
  for (let c = 0; c < chunks; c++) {
    const topic = topics[Math.floor(random() * topics.length)]!;
    const length = 60 + Math.floor(random() * 120);
    const terms: string[] = [];
    for (let i = 0; i < length; i++) {
      const id = random() < 0.6 ? topic[zipf(topic.length)]! : zipf(vocabulary);
      terms.push(`t${id.toString(36)}`);
    }
    corpus.push(terms);
  }
  return corpus;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
