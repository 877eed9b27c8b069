import { and, eq, inArray } from 'drizzle-orm';
import {
  makeSnippet,
  queryTerms,
  type Analyzer,
  type AnswerContext,
  type Passage,
  type ScoredId,
  type SearchMode,
} from '@quarry/core';
import { chunks, documents, files, type Database } from '@quarry/store';
import { memberOf } from '../access/access.js';
import type { Caller } from '../caller.js';
import { QuarryError } from '../errors/catalogue.js';
import type { ProjectsService } from '../projects/projects.service.js';
import type { ChunkMeta, SearchIndexCache } from './search-index-cache.js';
import {
  searchRequestSchema,
  type DocumentHit,
  type SearchRequestInput,
  type SearchResponse,
} from './search.schemas.js';

/**
 * Chunks ranked per request (the ranking window): enough for several passages per document
 * of a page, bounded so that no request is unboundedly expensive. It depends on the page size
 * alone, never on the offset, so that every page of one result list is cut from the same
 * ranking: a deeper window would fuse deeper candidate lists and reorder the documents, and
 * pages would repeat some and skip others. Pages reach as far as the window does (`total`).
 */
const MIN_CANDIDATES = 100;
const MAX_CANDIDATES = 3_000;
const CANDIDATES_PER_DOCUMENT = 3;

function rankingWindow(limit: number): number {
  return Math.min(MAX_CANDIDATES, Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_DOCUMENT));
}

export interface SearchService {
  search(caller: Caller, projectRef: string, request: SearchRequestInput): Promise<SearchResponse>;
  /**
   * The best passages for a question, whole, for answer generation, with the project's own
   * term weights.
   */
  retrievePassages(
    caller: Caller,
    projectRef: string,
    query: string,
    options: { mode: SearchMode; limit: number },
  ): Promise<{ passages: Passage[]; context: AnswerContext }>;
}

interface ChunkRow extends Omit<DocumentRow, 'id'> {
  id: number;
  text: string;
  start: number;
  end: number;
  page: number | null;
  documentId: string;
}

interface DocumentRow {
  id: string;
  title: string;
  externalId: string | null;
  kind: string | null;
  fileId: string;
  fileName: string;
}

interface RankedDocument {
  documentId: string;
  score: number;
  chunks: ScoredId[];
}

/** Groups chunk hits (best first) by document; a document scores as its best chunk. */
export function groupByDocument(
  hits: ScoredId[],
  meta: ReadonlyMap<number, ChunkMeta>,
  passagesPerDocument: number,
): RankedDocument[] {
  const byDocument = new Map<string, RankedDocument>();
  for (const hit of hits) {
    const documentId = meta.get(hit.id)?.documentId;
    if (!documentId) continue;
    let entry = byDocument.get(documentId);
    if (!entry) {
      entry = { documentId, score: hit.score, chunks: [] };
      byDocument.set(documentId, entry);
    }
    if (entry.chunks.length < passagesPerDocument) entry.chunks.push(hit);
  }
  return [...byDocument.values()];
}

function metaFilter(request: {
  kinds?: string[];
  from?: Date;
  to?: Date;
}): ((meta: ChunkMeta | undefined) => boolean) | undefined {
  const kinds = request.kinds && request.kinds.length > 0 ? new Set(request.kinds) : undefined;
  if (!kinds && !request.from && !request.to) return undefined;
  return (meta) =>
    meta !== undefined &&
    (!kinds || (meta.kind !== null && kinds.has(meta.kind))) &&
    (!request.from || meta.createdAt >= request.from) &&
    (!request.to || meta.createdAt < request.to);
}

export function createSearchService(deps: {
  db: Database;
  projects: ProjectsService;
  searchIndexes: SearchIndexCache;
  analyzer: Analyzer;
}): SearchService {
  const { db, analyzer } = deps;
  const analyze = (text: string) => analyzer.analyze(text);

  // Both loaders carry the project and membership conditions, so every row stays inside what
  // the caller may see even if an in-process index were stale or access changed meanwhile.
  async function loadChunks(caller: Caller, projectId: string, ids: number[]) {
    if (ids.length === 0) return new Map<number, ChunkRow>();
    const rows = await db
      .select({
        id: chunks.id,
        text: chunks.text,
        start: chunks.startOffset,
        end: chunks.endOffset,
        page: chunks.page,
        documentId: chunks.documentId,
        title: documents.title,
        externalId: documents.externalId,
        kind: documents.kind,
        fileId: files.id,
        fileName: files.name,
      })
      .from(chunks)
      .innerJoin(documents, eq(documents.id, chunks.documentId))
      .innerJoin(files, eq(files.id, documents.fileId))
      .where(
        and(
          eq(chunks.projectId, projectId),
          inArray(chunks.id, ids),
          memberOf(caller, chunks.projectId),
        ),
      );
    return new Map(rows.map((row) => [row.id, row]));
  }

  async function loadDocuments(caller: Caller, projectId: string, ids: string[]) {
    if (ids.length === 0) return new Map<string, DocumentRow>();
    const rows = await db
      .select({
        id: documents.id,
        title: documents.title,
        externalId: documents.externalId,
        kind: documents.kind,
        fileId: files.id,
        fileName: files.name,
      })
      .from(documents)
      .innerJoin(files, eq(files.id, documents.fileId))
      .where(
        and(
          eq(documents.projectId, projectId),
          inArray(documents.id, ids),
          memberOf(caller, documents.projectId),
        ),
      );
    return new Map(rows.map((row) => [row.id, row]));
  }

  async function rank(
    caller: Caller,
    projectRef: string,
    query: string,
    options: {
      mode: SearchMode;
      candidates: number;
      feedback?: boolean;
      filter?: ReturnType<typeof metaFilter>;
    },
  ) {
    const project = await deps.projects.get(caller, projectRef);
    const { index, meta } = await deps.searchIndexes.get(project.id);
    if (options.mode === 'semantic' && !index.embedder) {
      throw new QuarryError('semantic_unavailable');
    }
    const filter = options.filter;
    const hits = await index.search(query, {
      mode: options.mode,
      limit: options.candidates,
      feedback: options.feedback,
      filter: filter ? (id: number) => filter(meta.get(id)) : undefined,
    });
    return { project, hits, meta, index };
  }

  return {
    async search(caller, projectRef, input) {
      const started = performance.now();
      const request = searchRequestSchema.parse(input);
      const wanted = request.offset + request.limit;
      const { project, hits, meta } = await rank(caller, projectRef, request.query, {
        mode: request.mode,
        candidates: rankingWindow(request.limit),
        feedback: request.feedback,
        filter: metaFilter(request),
      });
      const ranked = groupByDocument(hits, meta, Math.max(request.passages, 1));
      const page = ranked.slice(request.offset, wanted);
      // One round trip either way: chunk rows carry their document's fields.
      const chunkRows =
        request.passages === 0
          ? new Map<number, ChunkRow>()
          : await loadChunks(
              caller,
              project.id,
              page.flatMap((d) => d.chunks.map((c) => c.id)),
            );
      const documentRows =
        request.passages === 0
          ? await loadDocuments(
              caller,
              project.id,
              page.map((d) => d.documentId),
            )
          : new Map(
              [...chunkRows.values()].map((row) => [
                row.documentId,
                { ...row, id: row.documentId },
              ]),
            );
      const terms = queryTerms(analyzer, request.query);

      const results: DocumentHit[] = [];
      for (const document of page) {
        const row = documentRows.get(document.documentId);
        // A document deleted between ranking and loading simply drops out.
        if (!row) continue;
        const passages = request.passages === 0 ? [] : document.chunks;
        results.push({
          documentId: row.id,
          fileId: row.fileId,
          externalId: row.externalId,
          title: row.title,
          fileName: row.fileName,
          kind: row.kind,
          score: document.score,
          passages: passages.flatMap((hit) => {
            const chunk = chunkRows.get(hit.id);
            if (!chunk) return [];
            const snippet = makeSnippet(chunk.text, terms, analyze);
            return [
              {
                chunkId: chunk.id,
                page: chunk.page,
                start: chunk.start,
                end: chunk.end,
                score: hit.score,
                snippet: snippet.html,
                text: snippet.text,
              },
            ];
          }),
        });
      }
      return {
        query: request.query,
        mode: request.mode,
        total: ranked.length,
        offset: request.offset,
        limit: request.limit,
        hits: results,
        tookMs: performance.now() - started,
      };
    },

    async retrievePassages(caller, projectRef, query, options) {
      const { project, hits, index } = await rank(caller, projectRef, query, {
        mode: options.mode,
        candidates: options.limit,
      });
      const rows = await loadChunks(
        caller,
        project.id,
        hits.map((h) => h.id),
      );
      const passages = hits.flatMap((hit) => {
        const row = rows.get(hit.id);
        if (!row) return [];
        const passage: Passage = {
          chunkId: row.id,
          documentId: row.documentId,
          documentTitle: row.title,
          text: row.text,
          start: row.start,
          end: row.end,
          score: hit.score,
        };
        if (row.page !== null) passage.page = row.page;
        return [passage];
      });
      return { passages, context: { termWeight: (term) => index.termWeight(term) } };
    },
  };
}
