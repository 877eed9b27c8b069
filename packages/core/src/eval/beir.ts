import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Qrels } from './metrics.js';

/** A corpus record of a BEIR collection. */
export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

/** A query of a BEIR collection. */
export interface BeirQuery {
  id: string;
  text: string;
}

/** A BEIR collection read into memory. */
export interface BeirCollection {
  corpus: BeirDocument[];
  queries: BeirQuery[];
  qrels: Qrels;
}

export interface LoadBeirOptions {
  /** Which qrels file to read from `qrels/`; `test` by default. */
  split?: string;
}

/**
 * Reads a collection in the BEIR layout: `corpus.jsonl` (`_id`, `title`, `text`),
 * `queries.jsonl` (`_id`, `text`) and `qrels/<split>.tsv` (query id, corpus id, grade; one
 * header line). Only queries that appear in the qrels are returned, in file order.
 */
export async function loadBeir(
  dir: string,
  options: LoadBeirOptions = {},
): Promise<BeirCollection> {
  const split = options.split ?? 'test';
  const [corpusText, queriesText, qrelsText] = await Promise.all([
    readFile(join(dir, 'corpus.jsonl'), 'utf8'),
    readFile(join(dir, 'queries.jsonl'), 'utf8'),
    readFile(join(dir, 'qrels', `${split}.tsv`), 'utf8'),
  ]);

  const corpus = parseJsonLines(corpusText, 'corpus.jsonl').map((record) => ({
    id: String(record['_id']),
    title: typeof record['title'] === 'string' ? record['title'] : '',
    text: typeof record['text'] === 'string' ? record['text'] : '',
  }));

  const qrels = parseBeirQrels(qrelsText);
  const queries = parseJsonLines(queriesText, 'queries.jsonl')
    .map((record) => ({ id: String(record['_id']), text: String(record['text'] ?? '') }))
    .filter((query) => qrels.has(query.id));

  return { corpus, queries, qrels };
}

/** Parses BEIR qrels: tab-separated `query-id corpus-id score`, first line a header. */
export function parseBeirQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const [queryId, docId, grade] = line.split('\t');
    if (queryId === undefined || docId === undefined || grade === undefined) {
      throw new Error(`qrels line ${i + 1} needs three tab-separated fields: ${line}`);
    }
    let judgements = qrels.get(queryId);
    if (!judgements) qrels.set(queryId, (judgements = new Map()));
    judgements.set(docId, Number(grade));
  }
  return qrels;
}

/**
 * The text to index for a BEIR record: its title in front of its `text`, as Quarry indexes a
 * record with a title. Where the text opens with the title (1398 of Cranfield's 1400
 * records), its words count twice: a title says what the whole record is about.
 */
export function beirDocumentText(document: BeirDocument): string {
  const title = document.title.trim();
  return title === '' ? document.text : `${title}\n${document.text}`;
}

function parseJsonLines(text: string, name: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      throw new Error(`${name} line ${i + 1} is not valid JSON`);
    }
  }
  return records;
}
