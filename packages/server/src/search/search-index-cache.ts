import { setImmediate } from 'node:timers/promises';
import { and, asc, count, eq, gt } from 'drizzle-orm';
import {
  createVectorIndex,
  HnswVectorIndex,
  SearchIndex,
  type Analyzer,
  type Bm25Options,
  type VectorIndex,
} from '@quarry/core';
import {
  chunks,
  documents,
  embeddings,
  nearestChunks,
  type Database,
  type StoreKind,
} from '@quarry/store';
import type { EmbeddingService, TermEmbedder } from '../embeddings/embedding.service.js';

/** Rows read per query while rebuilding, so a large project never loads in one result. */
const LOAD_BATCH = 5_000;
/**
 * Vectors inserted into an HNSW graph per call while loading. An insert costs about half a
 * millisecond of both cores per vector at 100,000 chunks and holds the event loop, so loading
 * yields between slices: searches served meanwhile (other projects, or this one's previous
 * index during a refit) wait a few hundred milliseconds at most, not the whole build.
 */
const GRAPH_SLICE = 500;

export interface ChunkMeta {
  documentId: string;
  kind: string | null;
  createdAt: Date;
}

export interface IndexedChunk extends ChunkMeta {
  id: number;
  terms: string[];
  vector?: Float32Array;
}

/** A project's in-process search structures, derived from the database. */
export interface ProjectIndex {
  index: SearchIndex;
  meta: Map<number, ChunkMeta>;
  embedder: TermEmbedder | undefined;
}

/**
 * Keeps one search index per project in memory. The database is the source of truth: an
 * index is built from stored terms and vectors on first use (and so after any restart or
 * crash), then kept current by the ingest and delete paths. After an embedding model change
 * the previous index keeps serving while its replacement builds.
 */
export class SearchIndexCache {
  private readonly indexes = new Map<string, Promise<ProjectIndex>>();
  /** Replacements being built after a model change; they receive the same updates. */
  private readonly replacements = new Map<string, Promise<ProjectIndex>>();
  private embeddings: EmbeddingService | undefined;

  constructor(
    private readonly deps: {
      db: Database;
      analyzer: Analyzer;
      bm25: Bm25Options;
      /** On PostgreSQL, pgvector's HNSW index serves vectors; in-process otherwise. */
      storeKind: StoreKind;
    },
  ) {}

  setEmbeddings(embeddings: EmbeddingService): void {
    this.embeddings = embeddings;
  }

  get(projectId: string): Promise<ProjectIndex> {
    let entry = this.indexes.get(projectId);
    if (!entry) {
      entry = this.load(projectId);
      this.indexes.set(projectId, entry);
      // A failed load must not be cached; the next search tries again.
      entry.catch(() => {
        if (this.indexes.get(projectId) === entry) this.indexes.delete(projectId);
      });
    }
    return entry;
  }

  /**
   * Rebuilds a project's index after its embedding model changed. Searches keep using the
   * current index, whose vectors and query embedder still belong together, until the new one
   * is complete; a project without a loaded index starts loading now, so that its first
   * search does not pay for the whole build.
   */
  refresh(projectId: string): void {
    if (!this.indexes.has(projectId)) {
      this.get(projectId).catch(() => {});
      return;
    }
    const next = this.load(projectId);
    this.replacements.set(projectId, next);
    next.then(
      () => {
        if (this.replacements.get(projectId) !== next) return;
        this.replacements.delete(projectId);
        this.indexes.set(projectId, next);
      },
      () => {
        if (this.replacements.get(projectId) !== next) return;
        // The current index no longer matches the stored model; the next search reloads.
        this.replacements.delete(projectId);
        this.indexes.delete(projectId);
      },
    );
  }

  /**
   * Adds freshly committed chunks to a loaded index (and to its replacement, which may have
   * read the database before they were committed; adding twice replaces); an unloaded one
   * reads them later.
   */
  addChunks(projectId: string, added: IndexedChunk[], modelId: string | undefined): void {
    this.update(projectId, (project) => {
      const sameModel = project.embedder?.modelId === modelId;
      for (const chunk of added) {
        project.meta.set(chunk.id, chunkMeta(chunk));
        project.index.add(chunk.id, chunk.terms, sameModel ? chunk.vector : undefined);
      }
    });
  }

  removeChunks(projectId: string, ids: number[]): void {
    this.update(projectId, (project) => {
      for (const id of ids) {
        project.meta.delete(id);
        project.index.remove(id);
      }
    });
  }

  invalidate(projectId: string): void {
    this.indexes.delete(projectId);
    this.replacements.delete(projectId);
  }

  /** Applies a change to the loaded index and to its replacement, once each is built. */
  private update(projectId: string, change: (project: ProjectIndex) => void): void {
    for (const entry of [this.indexes.get(projectId), this.replacements.get(projectId)]) {
      // A failed load is dropped from the maps and its updates have nowhere to go.
      void entry?.then(change, () => {});
    }
  }

  /** Similarity search in the database; the project condition is part of the query. */
  private nearestInDatabase(projectId: string, embedder: TermEmbedder) {
    return async (query: Float32Array, k: number) => {
      const rows = await nearestChunks(this.deps.db, {
        projectId,
        modelId: embedder.modelId,
        dimension: embedder.dimension,
        query,
        limit: k,
      });
      return rows.map((row) => ({ id: row.chunkId, score: row.similarity }));
    };
  }

  /**
   * Builds a project's index batch by batch as rows arrive, so that no more than one batch
   * of term lists and vectors is held besides the index itself.
   */
  private async load(projectId: string): Promise<ProjectIndex> {
    const { db } = this.deps;
    const embedder = await this.embeddings?.activeEmbedder(projectId);
    const inProcessVectors = embedder !== undefined && this.deps.storeKind === 'embedded';
    const vectorIndex = inProcessVectors
      ? createVectorIndex(embedder.dimension, await chunkCount(db, projectId))
      : undefined;
    const index = new SearchIndex({
      analyzer: this.deps.analyzer,
      bm25: this.deps.bm25,
      vectors: vectorIndex,
      nearest:
        embedder && !inProcessVectors ? this.nearestInDatabase(projectId, embedder) : undefined,
      embedder: embedder?.queries,
    });

    const meta = new Map<number, ChunkMeta>();
    // Chunks of one document share their document's fields.
    const documentMeta = new Map<string, ChunkMeta>();
    for (let after = 0; ;) {
      const rows = await db
        .select({
          id: chunks.id,
          terms: chunks.terms,
          documentId: chunks.documentId,
          kind: documents.kind,
          createdAt: documents.createdAt,
        })
        .from(chunks)
        .innerJoin(documents, eq(documents.id, chunks.documentId))
        .where(and(eq(chunks.projectId, projectId), gt(chunks.id, after)))
        .orderBy(asc(chunks.id))
        .limit(LOAD_BATCH);
      for (const row of rows) {
        let shared = documentMeta.get(row.documentId);
        if (!shared) {
          shared = chunkMeta(row);
          documentMeta.set(row.documentId, shared);
        }
        meta.set(row.id, shared);
        // Vectors follow below; this adds the chunk's terms to the keyword side only.
        index.keyword.add(row.id, row.terms);
      }
      if (rows.length < LOAD_BATCH) break;
      after = rows[rows.length - 1]!.id;
    }

    if (vectorIndex) {
      for (let after = 0; ;) {
        const rows = await db
          .select({ id: embeddings.chunkId, vector: embeddings.vector })
          .from(embeddings)
          .where(
            and(
              eq(embeddings.projectId, projectId),
              eq(embeddings.modelId, embedder!.modelId),
              gt(embeddings.chunkId, after),
            ),
          )
          .orderBy(asc(embeddings.chunkId))
          .limit(LOAD_BATCH);
        await addBatch(vectorIndex, rows);
        if (rows.length < LOAD_BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    return { index, meta, embedder };
  }
}

function chunkMeta(chunk: ChunkMeta): ChunkMeta {
  return { documentId: chunk.documentId, kind: chunk.kind, createdAt: chunk.createdAt };
}

async function chunkCount(db: Database, projectId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(chunks).where(eq(chunks.projectId, projectId));
  return row?.n ?? 0;
}

/**
 * Adds a batch of stored vectors: in bulk slices where the index can (the HNSW graph inserts
 * on all cores), yielding to the event loop between slices.
 */
async function addBatch(
  index: VectorIndex,
  rows: readonly { id: number; vector: Float32Array }[],
): Promise<void> {
  if (!(index instanceof HnswVectorIndex)) {
    for (const row of rows) index.add(row.id, row.vector);
    return;
  }
  for (let start = 0; start < rows.length; start += GRAPH_SLICE) {
    const slice = rows.slice(start, start + GRAPH_SLICE);
    index.addMany(
      slice.map((row) => row.id),
      slice.map((row) => row.vector),
    );
    await setImmediate();
  }
}
