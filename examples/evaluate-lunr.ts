/**
 * Scores lunr 2.3.9 (its default English pipeline) on a BEIR collection with Quarry's
 * trec_eval-compatible evaluator: a cross-check of the evaluator against the lunr figure
 * in shared/data/README.md, and a baseline for Quarry's keyword mode.
 *
 *   npx tsx --conditions=quarry-source examples/evaluate-lunr.ts
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import lunr from 'lunr';

import { evaluateRun, loadBeir } from '@quarry/core';
import type { RetrievalMetrics, Run } from '@quarry/core';

import { CRANFIELD_DIR } from './evaluate-cranfield.js';

export async function main(args: string[] = []): Promise<RetrievalMetrics> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string', default: CRANFIELD_DIR } },
  });
  const collection = await loadBeir(values.data);
  const index = lunr(function () {
    this.ref('id');
    this.field('text');
    // The text as the collection gives it (1398 of Cranfield's 1400 open with their title),
    // the title in front of the others: what the README's figure was measured on.
    for (const { id, title, text } of collection.corpus) {
      this.add({
        id,
        text: text.trimStart().startsWith(title.trim()) ? text : `${title}\n${text}`,
      });
    }
  });

  // Each query word becomes a plain term clause, so lunr's query syntax (+, -, ~, :) in the
  // text is never interpreted; lunr's search pipeline still stems and drops stop words.
  const run: Run = new Map();
  for (const query of collection.queries) {
    const words = lunr
      .tokenizer(query.text)
      .map((token) => token.toString().replace(/[^\p{L}\p{N}]/gu, ''))
      .filter((word) => word !== '');
    const hits = index.query((q) => words.forEach((word) => q.term(word, {})));
    run.set(
      query.id,
      hits.slice(0, 1000).map((hit) => ({ docId: hit.ref, score: hit.score })),
    );
  }

  const metrics = evaluateRun(run, collection.qrels).mean;
  console.log(
    `lunr: nDCG@10 ${metrics.ndcg10.toFixed(4)}, MAP ${metrics.map.toFixed(4)}, ` +
      `R@100 ${metrics.recall100.toFixed(4)}, MRR@10 ${metrics.mrr10.toFixed(4)}`,
  );
  return metrics;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
