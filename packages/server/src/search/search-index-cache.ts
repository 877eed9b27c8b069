import { and, asc, eq, gt } from 'drizzle-orm';
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
 * crash), then kept current by the ingest and delete paths.
 */
export class SearchIndexCache {
  private readonly indexes = new Map<string, Promise<ProjectIndex>>();
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
      entry.catch(() => this.indexes.delete(projectId));
    }
    return entry;
  }

  /** Adds freshly committed chunks to a loaded index; an unloaded one reads them later. */
  addChunks(projectId: string, added: IndexedChunk[], modelId: string | undefined): void {
    const entry = this.indexes.get(projectId);
    if (!entry) return;
    void entry.then((project) => {
      const sameModel = project.embedder?.modelId === modelId;
      for (const chunk of added) {
        project.meta.set(chunk.id, chunk);
        project.index.add(chunk.id, chunk.terms, sameModel ? chunk.vector : undefined);
      }
    });
  }

  removeChunks(projectId: string, ids: number[]): void {
    const entry = this.indexes.get(projectId);
    if (!entry) return;
    void entry.then((project) => {
      for (const id of ids) {
        project.meta.delete(id);
        project.index.remove(id);
      }
    });
  }

  invalidate(projectId: string): void {
    this.indexes.delete(projectId);
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

  private async load(projectId: string): Promise<ProjectIndex> {
    const { db } = this.deps;
    const embedder = await this.embeddings?.activeEmbedder(projectId);
    const meta = new Map<number, ChunkMeta>();
    const loaded: IndexedChunk[] = [];
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
      loaded.push(...rows);
      if (rows.length < LOAD_BATCH) break;
      after = rows[rows.length - 1]!.id;
    }

    const vectors = new Map<number, Float32Array>();
    const inProcessVectors = this.deps.storeKind === 'embedded';
    if (embedder && inProcessVectors) {
      for (let after = 0; ;) {
        const rows = await db
          .select({ id: embeddings.chunkId, vector: embeddings.vector })
          .from(embeddings)
          .where(
            and(
              eq(embeddings.projectId, projectId),
              eq(embeddings.modelId, embedder.modelId),
              gt(embeddings.chunkId, after),
            ),
          )
          .orderBy(asc(embeddings.chunkId))
          .limit(LOAD_BATCH);
        rows.forEach((row) => vectors.set(row.id, Float32Array.from(row.vector)));
        if (rows.length < LOAD_BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
    }

    const vectorIndex =
      embedder && inProcessVectors
        ? createVectorIndex(embedder.dimension, loaded.length)
        : undefined;
    if (vectorIndex) addAll(vectorIndex, vectors);
    const index = new SearchIndex({
      analyzer: this.deps.analyzer,
      bm25: this.deps.bm25,
      vectors: vectorIndex,
      nearest:
        embedder && !inProcessVectors ? this.nearestInDatabase(projectId, embedder) : undefined,
      embedder: embedder?.queries,
    });
    for (const chunk of loaded) {
      meta.set(chunk.id, chunk);
      // Vectors are already in; this adds the chunk's terms to the keyword side only.
      index.keyword.add(chunk.id, chunk.terms);
    }
    return { index, meta, embedder };
  }
}

/** Loads vectors in bulk where the index can (the HNSW graph builds on all cores). */
function addAll(index: VectorIndex, vectors: ReadonlyMap<number, Float32Array>): void {
  if (index instanceof HnswVectorIndex) {
    index.addMany([...vectors.keys()], [...vectors.values()]);
    return;
  }
  for (const [id, vector] of vectors) index.add(id, vector);
}
