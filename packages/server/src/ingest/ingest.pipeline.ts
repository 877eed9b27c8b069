import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import {
  chunkDocument,
  extractFile,
  isExtractionError,
  type Analyzer,
  type ChunkingOptions,
  type ExtractedFile,
  type ExtractionLimits,
} from '@quarry/core';
import {
  documents,
  fileBlobs,
  files,
  insertChunksWithEmbeddings,
  type JobRow,
} from '@quarry/store';
import type { Database } from '@quarry/store';
import type { EmbeddingService } from '../embeddings/embedding.service.js';
import { PermanentJobError } from '../jobs/worker.js';
import type { SearchIndexCache } from '../search/search-index-cache.js';
import type { FileEvents } from './file-events.js';

export interface PreparedChunk {
  documentIndex: number;
  ordinal: number;
  text: string;
  prefix: string | null;
  start: number;
  end: number;
  page: number | null;
  terms: string[];
}

/** Chunks and analyzes every document of an extracted file. Pure: no I/O. */
export function prepareChunks(
  extracted: ExtractedFile,
  analyzer: Analyzer,
  chunking: ChunkingOptions,
): PreparedChunk[] {
  const prepared: PreparedChunk[] = [];
  extracted.documents.forEach((document, documentIndex) => {
    for (const chunk of chunkDocument(document, chunking)) {
      const indexed = chunk.prefix ? `${chunk.prefix}\n${chunk.text}` : chunk.text;
      prepared.push({
        documentIndex,
        ordinal: chunk.ordinal,
        text: chunk.text,
        prefix: chunk.prefix ?? null,
        start: chunk.start,
        end: chunk.end,
        page: chunk.page ?? null,
        terms: analyzer.analyze(indexed),
      });
    }
  });
  return prepared;
}

export interface IngestPipelineDeps {
  db: Database;
  analyzer: Analyzer;
  chunking: ChunkingOptions;
  limits: ExtractionLimits;
  events: FileEvents;
  embeddings: EmbeddingService;
  searchIndexes: SearchIndexCache;
}

/**
 * The `ingest_file` job: extract → chunk → embed → index. Everything a file produces is
 * written in one transaction together with its final state, so a crash at any step leaves
 * the file queued with nothing half-written, and running the job again is harmless.
 */
export function createIngestHandler(deps: IngestPipelineDeps) {
  const { db, events } = deps;

  async function setState(fileId: string, patch: Partial<typeof files.$inferInsert>) {
    const [row] = await db
      .update(files)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(files.id, fileId))
      .returning();
    if (row) {
      events.publish({
        projectId: row.projectId,
        fileId: row.id,
        name: row.name,
        state: row.state,
        errorCode: row.errorCode,
        errorMessage: row.errorMessage,
        chunkCount: row.chunkCount,
      });
    }
  }

  return async function ingestFile(job: JobRow, log: Logger): Promise<void> {
    if (!job.fileId) throw new PermanentJobError('ingest_file job without a file');
    const [file] = await db.select().from(files).where(eq(files.id, job.fileId));
    if (!file || ['indexed', 'failed', 'duplicate'].includes(file.state)) return;
    const [blob] = await db.select().from(fileBlobs).where(eq(fileBlobs.fileId, file.id));
    if (!blob) throw new PermanentJobError(`The original of file ${file.id} is missing`);

    await setState(file.id, { state: 'extracting' });
    let extracted: ExtractedFile;
    try {
      extracted = await extractFile(new Uint8Array(blob.bytes), {
        fileName: file.name,
        limits: deps.limits,
      });
    } catch (error) {
      if (!isExtractionError(error)) throw error;
      log.info({ fileId: file.id, code: error.code }, 'file rejected');
      await setState(file.id, {
        state: 'failed',
        errorCode: error.code,
        errorMessage: error.message,
      });
      return;
    }

    const prepared = prepareChunks(extracted, deps.analyzer, deps.chunking);
    await setState(file.id, {
      state: 'embedding',
      kind: extracted.kind,
      mediaType: extracted.mediaType,
    });
    const embedder = await deps.embeddings.activeEmbedder(file.projectId);
    const vectors = embedder ? embedder.embedTerms(prepared.map((c) => c.terms)) : undefined;

    const written = await db.transaction(async (tx) => {
      // A previous attempt may have died after commit but before the job was marked done.
      await tx.delete(documents).where(eq(documents.fileId, file.id));
      const documentRows = await tx
        .insert(documents)
        .values(
          extracted.documents.map((d) => ({
            projectId: file.projectId,
            fileId: file.id,
            externalId: d.externalId ?? null,
            title: d.title?.trim() || file.name,
            text: d.text,
            kind: extracted.kind,
            pageCount: d.pages ? d.pages.length : null,
            pages: d.pages ?? null,
          })),
        )
        .returning({ id: documents.id, kind: documents.kind, createdAt: documents.createdAt });

      const chunkIds = await insertChunksWithEmbeddings(tx, {
        projectId: file.projectId,
        modelId: embedder?.modelId,
        chunks: prepared.map((c, i) => ({
          documentId: documentRows[c.documentIndex]!.id,
          ordinal: c.ordinal,
          text: c.text,
          prefix: c.prefix,
          startOffset: c.start,
          endOffset: c.end,
          page: c.page,
          terms: c.terms,
          embedding: vectors?.[i],
        })),
      });
      const chunkRows = chunkIds.map((id, i) => ({
        id,
        documentId: documentRows[prepared[i]!.documentIndex]!.id,
      }));

      await tx
        .update(files)
        .set({
          state: 'indexed',
          pageCount: extracted.pageCount ?? null,
          notice: extracted.notice ?? null,
          documentCount: documentRows.length,
          chunkCount: chunkRows.length,
          updatedAt: new Date(),
        })
        .where(eq(files.id, file.id));
      return { documentRows, chunkRows };
    });

    const documentById = new Map(written.documentRows.map((d) => [d.id, d]));
    deps.searchIndexes.addChunks(
      file.projectId,
      written.chunkRows.map((row, i) => ({
        id: row.id,
        terms: prepared[i]!.terms,
        vector: vectors?.[i],
        documentId: row.documentId,
        kind: documentById.get(row.documentId)?.kind ?? extracted.kind,
        createdAt: documentById.get(row.documentId)?.createdAt ?? new Date(),
      })),
      embedder?.modelId,
    );
    events.publish({
      projectId: file.projectId,
      fileId: file.id,
      name: file.name,
      state: 'indexed',
      chunkCount: written.chunkRows.length,
    });
    log.info(
      { fileId: file.id, documents: written.documentRows.length, chunks: written.chunkRows.length },
      'file indexed',
    );
    await deps.embeddings.scheduleFitIfDue(file.projectId);
  };
}
