/**
 * The corpus and queries every engine of one benchmark run reads: Cranfield as published,
 * or a synthetic corpus recombined from Cranfield's own sentences. Written once to a folder
 * as BEIR JSON Lines files, so the server can ingest exactly the bytes the others index.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// Source only (outside the core build), so that engines running the build can load this file.
import { seeded } from '../packages/core/src/vector/test-support/random-vectors.js';

export interface BenchDocument {
  _id: string;
  title: string;
  text: string;
}

export interface BenchQuery {
  id: string;
  text: string;
}

export interface WorkloadMeta {
  corpus: string;
  documents: number;
  /** Queries run before timing starts (first to warm caches and JIT), then the timed ones. */
  warmup: BenchQuery[];
  measured: BenchQuery[];
}

/**
 * Documents per JSON Lines file: small enough to stay far below the server's 50 MB upload
 * limit, large enough that per-file overhead does not dominate ingestion.
 */
const DOCUMENTS_PER_FILE = 5_000;

/**
 * Synthetic documents stay below the chunker's 1,200-character target, so each one is one
 * chunk and the requested number of chunks is what gets indexed.
 */
const SYNTHETIC_MIN_CHARS = 200;
const SYNTHETIC_MAX_CHARS = 1_100;
/** Share of a synthetic document's sentences taken from one source document (topicality). */
const SAME_SOURCE_SHARE = 0.7;

/** mulberry32, so every run builds the same corpus. */
export const seededRandom = seeded;

function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export function loadCranfield(dir: string): { documents: BenchDocument[]; queries: BenchQuery[] } {
  const documents = readJsonLines<BenchDocument>(path.join(dir, 'corpus.jsonl')).map((d) => ({
    _id: String(d._id),
    title: d.title ?? '',
    text: d.text ?? '',
  }));
  const queries = readJsonLines<{ _id: string; text: string }>(path.join(dir, 'queries.jsonl')).map(
    (q) => ({ id: String(q._id), text: q.text }),
  );
  return { documents, queries };
}

/** Cranfield's sentences (split at its " . " separators), grouped by source document. */
function sentencesBySource(documents: BenchDocument[]): string[][] {
  return documents
    .map((d) =>
      d.text
        .split(/ \. /)
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map((s) => (s.endsWith('.') ? s : `${s} .`)),
    )
    .filter((sentences) => sentences.length > 0);
}

/**
 * `count` single-chunk documents, each a run of real Cranfield sentences: mostly from one
 * source document, so documents have topics and term co-occurrence stays realistic, the
 * rest from anywhere. Titles are real Cranfield titles.
 */
export function syntheticDocuments(
  source: BenchDocument[],
  count: number,
  seed: number,
): BenchDocument[] {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const bySource = sentencesBySource(source);
  const titles = source.map((d) => d.title).filter((t) => t.trim() !== '');
  const documents: BenchDocument[] = [];

  for (let i = 0; i < count; i++) {
    const home = pick(bySource);
    const target = SYNTHETIC_MIN_CHARS + random() * (SYNTHETIC_MAX_CHARS - SYNTHETIC_MIN_CHARS);
    const parts: string[] = [];
    let length = 0;
    for (;;) {
      const sentence = random() < SAME_SOURCE_SHARE ? pick(home) : pick(pick(bySource));
      if (length > 0 && length + sentence.length + 1 > SYNTHETIC_MAX_CHARS) break;
      parts.push(sentence);
      length += sentence.length + 1;
      if (length >= target) break;
    }
    documents.push({ _id: `s${i + 1}`, title: pick(titles), text: parts.join(' ') });
  }
  return documents;
}

/**
 * The timed queries: every query, in file order, `rounds` times. Warm-up queries are a
 * seeded sample of the same set, run first and never timed.
 */
export function planQueries(
  queries: BenchQuery[],
  options: { limit?: number; warmup: number; rounds: number; seed: number },
): { warmup: BenchQuery[]; measured: BenchQuery[] } {
  const chosen = options.limit ? queries.slice(0, options.limit) : queries;
  const random = seededRandom(options.seed);
  const warmup = Array.from({ length: options.warmup }, () => {
    return chosen[Math.floor(random() * chosen.length)]!;
  });
  const measured: BenchQuery[] = [];
  for (let round = 0; round < options.rounds; round++) measured.push(...chosen);
  return { warmup, measured };
}

export function writeWorkload(dir: string, documents: BenchDocument[], meta: WorkloadMeta): void {
  mkdirSync(dir, { recursive: true });
  for (let start = 0, n = 0; start < documents.length; start += DOCUMENTS_PER_FILE, n++) {
    const lines = documents.slice(start, start + DOCUMENTS_PER_FILE).map((d) => JSON.stringify(d));
    writeFileSync(path.join(dir, corpusFileName(n)), lines.join('\n') + '\n');
  }
  writeFileSync(path.join(dir, 'workload.json'), JSON.stringify(meta));
}

function corpusFileName(n: number): string {
  return `corpus-${String(n).padStart(3, '0')}.jsonl`;
}

/** The paths of a workload folder's corpus files, in order. */
export function corpusFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^corpus-\d+\.jsonl$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readWorkloadMeta(dir: string): WorkloadMeta {
  return JSON.parse(readFileSync(path.join(dir, 'workload.json'), 'utf8')) as WorkloadMeta;
}

/** Every document of the corpus, parsed: what the in-memory peers index. */
export function readDocuments(dir: string): BenchDocument[] {
  return corpusFiles(dir).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as BenchDocument),
  );
}
