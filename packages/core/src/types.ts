/**
 * The vocabulary shared by every part of Quarry's library. Modules under `src/` implement
 * these shapes; the store and the server depend on them and on nothing else inside.
 */

/** What a file turned out to be, read from its content, never from its name. */
export type DocumentKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'csv' | 'json' | 'jsonl';

/** The typed reasons a file can fail ingestion; each one has a message a user can act on. */
export type ExtractionErrorCode =
  'empty' | 'encrypted' | 'corrupt' | 'no_text' | 'unsupported' | 'too_large';

/** Limits applied while reading a file. All are configurable by the caller. */
export interface ExtractionLimits {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
  /** Largest total uncompressed size of a zip-based document (DOCX), in bytes. */
  maxDecompressedBytes: number;
  /** Largest number of PDF pages read. */
  maxPages: number;
}

/** A span of a document's text that lies on one PDF page (pages count from 1). */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

/** One searchable document produced from a file. A JSONL file yields one per record. */
export interface ExtractedDocument {
  /** The record's own id (BEIR `_id`), when the file carries one. */
  externalId?: string;
  title?: string;
  /** The full extracted text; chunk offsets refer to positions in this string. */
  text: string;
  /** Present for paged formats: which part of `text` lies on which page. */
  pages?: PageSpan[];
  /**
   * Context repeated in front of every chunk when it is indexed, but not part of `text`
   * (the header row of a CSV file).
   */
  chunkPrefix?: string;
}

export interface ExtractedFile {
  kind: DocumentKind;
  mediaType: string;
  documents: ExtractedDocument[];
  /** Number of pages, for paged formats. */
  pageCount?: number;
  /**
   * What the uploader should know about an extraction that succeeded, in words: records of
   * a JSON Lines file left out for having no text, say.
   */
  notice?: string;
}

/** A bounded piece of a document: the unit that is indexed, embedded and cited. */
export interface Chunk {
  /** Position of the chunk within its document, from 0. */
  ordinal: number;
  /** Exactly `document.text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** The PDF page the chunk starts on. */
  page?: number;
  /** Text indexed with the chunk but not shown as its body (see `ExtractedDocument`). */
  prefix?: string;
}

export interface ChunkingOptions {
  /** Chunks aim for this many characters. */
  targetChars: number;
  /** No chunk is ever longer than this, even text with no separators at all. */
  maxChars: number;
  /** Characters of the previous chunk repeated at the start of the next one. */
  overlapChars: number;
}

/** Turns text into index terms. Queries and documents go through the same analyzer. */
export interface Analyzer {
  readonly id: string;
  analyze(text: string): string[];
  /**
   * The terms a query is searched by, when they differ from {@link analyze}'s: a query in
   * words ("what is known about …") carries words that say nothing of its topic.
   */
  analyzeQuery?(text: string): string[];
}

/** A ranked hit from one retriever, identified by a numeric chunk id. */
export interface ScoredId {
  id: number;
  score: number;
}

/** Produces dense vectors. Every vector is stored with the embedder's model id. */
export interface Embedder {
  /** Stable id of the model and its version; stored with every vector. */
  readonly modelId: string;
  readonly dimension: number;
  /** Largest number of texts embedded in one call. */
  readonly batchSize: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** The retrieval modes a search can run in. */
export type SearchMode = 'hybrid' | 'keyword' | 'semantic';

/** A passage handed to an answer generator, already permitted for the caller. */
export interface Passage {
  chunkId: number;
  documentId: string;
  documentTitle: string;
  text: string;
  start: number;
  end: number;
  page?: number;
  score: number;
}

/** A citation `[n]` in an answer; `n` counts from 1 and indexes `passages`. */
export interface Citation {
  n: number;
  chunkId: number;
  documentId: string;
  documentTitle: string;
  page?: number;
  start: number;
  end: number;
  /** The cited sentence or passage text. */
  quote: string;
}

/** What an answer generator streams. */
export type AnswerEvent =
  | { type: 'token'; text: string }
  | { type: 'citation'; citation: Citation }
  | { type: 'done'; answer: string; citations: Citation[]; generator: string; grounded: boolean };

/** Writes an answer from passages, streaming it. A language model provider implements this. */
export interface AnswerGenerator {
  readonly id: string;
  /** `extractive` answers quote the sources; `generative` ones are written by a model. */
  readonly kind: 'extractive' | 'generative';
  generate(
    question: string,
    passages: Passage[],
    context?: AnswerContext,
  ): AsyncIterable<AnswerEvent>;
}

/** What the retriever knows beyond the passages, for a generator that can use it. */
export interface AnswerContext {
  /**
   * How much a term says across the whole project (BM25's idf there). Among passages found
   * because they share the question's topic, the topic's own word is in all of them: only
   * the project-wide figure still ranks it above words such as "effect".
   */
  termWeight?(term: string): number;
}

/** An approximate or exact nearest-neighbour index over vectors, keyed by chunk id. */
export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  /** Adds or replaces the vector of `id`. */
  add(id: number, vector: Float32Array): void;
  remove(id: number): void;
  /** The `k` nearest ids by cosine similarity (higher is closer), best first. */
  search(query: Float32Array, k: number, filter?: (id: number) => boolean): ScoredId[];
}
