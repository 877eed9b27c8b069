import { readFile, writeFile } from 'node:fs/promises';
import { terminalTable } from '../format.js';
import { formatTrecRun, type Run } from '@quarry/core';
import type { SearchResponse } from '@quarry/server';
import type { QuarryClient } from '../client/client.js';
import { UsageError } from '../errors.js';

export type Mode = 'hybrid' | 'keyword' | 'semantic';

const stripMarks = (html: string) =>
  html
    .replace(/<\/?mark>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function formatSearchTable(response: SearchResponse): string {
  if (response.hits.length === 0) {
    return (
      `No results for "${response.query}". ` +
      'Try other words, or --mode semantic to search by meaning.'
    );
  }
  const table = terminalTable({
    head: ['#', 'score', 'document', 'page', 'passage'],
    colWidths: [4, 8, 30, 6, 70],
    wordWrap: true,
  });
  response.hits.forEach((hit, i) => {
    const best = hit.passages[0];
    table.push([
      String(response.offset + i + 1),
      hit.score.toFixed(3),
      hit.title,
      best?.page == null ? '' : String(best.page),
      best ? stripMarks(best.snippet) : '',
    ]);
  });
  const took = `${response.tookMs.toFixed(1)} ms`;
  return `${table.toString()}\n${response.total} documents matched in ${took} (${response.mode})`;
}

export interface BeirQuery {
  _id: string;
  text: string;
}

export async function readQueries(path: string): Promise<BeirQuery[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    try {
      const parsed = JSON.parse(line) as Partial<BeirQuery>;
      if (typeof parsed._id !== 'string' || typeof parsed.text !== 'string') throw new Error();
      return { _id: parsed._id, text: parsed.text };
    } catch {
      throw new UsageError(`${path}, line ${i + 1}: expected {"_id": "...", "text": "..."}`);
    }
  });
}

/** Runs every query of a BEIR `queries.jsonl` (or the given queries) into a run. */
export async function batchSearch(
  client: QuarryClient,
  options: { project: string; queries: BeirQuery[]; limit: number; mode: Mode },
): Promise<Run> {
  const run: Run = new Map();
  for (const query of options.queries) {
    const response = await client.search(options.project, {
      query: query.text,
      mode: options.mode,
      limit: options.limit,
      // A run needs ids and scores only; skipping passages skips snippet work.
      passages: 0,
    });
    run.set(
      query._id,
      response.hits.map((hit) => ({ docId: hit.externalId ?? hit.documentId, score: hit.score })),
    );
  }
  return run;
}

export async function writeRun(path: string, run: Run, tag: string): Promise<void> {
  await writeFile(path, formatTrecRun(run, tag));
}
