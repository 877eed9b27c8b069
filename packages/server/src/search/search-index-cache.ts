import { setImmediate } from 'node:timers/promises';
import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { KeywordIndex } from '@quarry/core';
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
  keysetBatches,
  nearestChunks,
  type Database,
  type StoreKind,
} from '@quarry/store';
import type { EmbeddingService, TermEmbedder } from '../embeddings/embedding.service.js';

/** Rows read per query while rebuilding, so a large project never loads in one result. */
const LOAD_BATCH = 2_000;
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
 * The semantic side of an index: the active model's query embedder and, in embedded mode,
 * the in-process vector index of its vectors. A model change replaces only this.
 */
interface SemanticSide {
  embedder: TermEmbedder | undefined;
  vectors: VectorIndex | undefined;
}

/**
 * Keeps one search index per project in memory. The database is the source of truth: an
 * index is built from stored terms and vectors on first use (and so after any restart or
 * crash), then kept current by the ingest and delete paths. After an embedding model change
 * the previous index keeps serving while the semantic side of its replacement builds; the
 * keyword side, which no model affects, is shared rather than built twice.
 */
export class SearchIndexCache {
  private readonly indexes = new Map<string, Promise<ProjectIndex>>();
  /** Semantic sides being built after a model change; they receive the same updates. */
  private readonly replacements = new Map<string, Promise<SemanticSide>>();
  /** Loads and semantic swaps in flight, for {@link settled}. */
  private readonly building = new Set<Promise<unknown>>();
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
      entry = this.track(this.load(projectId));
      this.serve(projectId, entry);
    }
    return entry;
  }

  /** Makes `entry` the project's index; a failed one is dropped, and the next search loads. */
  private serve(projectId: string, entry: Promise<ProjectIndex>): void {
    this.indexes.set(projectId, entry);
    entry.catch(() => {
      if (this.indexes.get(projectId) === entry) this.indexes.delete(projectId);
    });
  }

  /**
   * Rebuilds a project's semantic side after its embedding model changed. The new model's
   * vectors are committed by then, so its query embedder takes over at once, with similarity
   * search in the database (an exact scan in embedded mode, slower but exact) until the
   * in-process index of the new vectors is complete. The previous vectors are let go at once
   * rather than kept beside their replacement: the two together were the embedded server's
   * memory peak. A project without a loaded index starts loading now, so that its first
   * search does not pay for the whole build.
   */
  refresh(projectId: string): void {
    const current = this.indexes.get(projectId);
    if (!current) {
      this.get(projectId).catch(() => {});
      return;
    }
    const interim = this.track(
      Promise.all([current, this.embeddings?.activeEmbedder(projectId)]).then(
        ([project, embedder]) => this.searchingDatabase(projectId, project, embedder),
      ),
    );
    this.serve(projectId, interim);
    if (this.deps.storeKind !== 'embedded') return;

    // A build that a later refresh, a release or an invalidation has replaced stops early.
    const next: Promise<SemanticSide> = this.loadSemantic(
      projectId,
      () => this.replacements.get(projectId) === next,
    );
    this.replacements.set(projectId, next);
    const swapped = this.track(
      Promise.all([interim, next]).then(([project, semantic]) =>
        this.withSemantic(projectId, project, semantic),
      ),
    );
    swapped.then(
      () => {
        if (this.replacements.get(projectId) !== next) return;
        this.replacements.delete(projectId);
        this.indexes.set(projectId, swapped);
      },
      () => {
        if (this.replacements.get(projectId) !== next) return;
        // The database keeps serving the new vectors; the next refresh or restart retries.
        this.replacements.delete(projectId);
      },
    );
  }

  /**
   * Lets go of a project's in-process vectors ahead of a refit, which replaces them all;
   * until the refit's own arrive, the database serves similarity search for the model that
   * is still active. Holding the old vectors through the refit had made it the embedded
   * server's memory peak. A vector build still running for an earlier model is dropped too.
   */
  releaseVectors(projectId: string): void {
    const current = this.indexes.get(projectId);
    if (!current || this.deps.storeKind !== 'embedded') return;
    this.replacements.delete(projectId);
    this.serve(
      projectId,
      current.then((project) =>
        project.index.vectors
          ? this.searchingDatabase(projectId, project, project.embedder)
          : project,
      ),
    );
  }

  /**
   * Adds freshly committed chunks to a loaded index, and their vectors to a semantic side
   * being built (which may have read the database before they were committed; adding twice
   * replaces); an unloaded index reads them later.
   */
  addChunks(projectId: string, added: IndexedChunk[], modelId: string | undefined): void {
    this.update(
      projectId,
      (project) => {
        const sameModel = project.embedder?.modelId === modelId;
        for (const chunk of added) {
          project.meta.set(chunk.id, chunkMeta(chunk));
          project.index.add(chunk.id, chunk.terms, sameModel ? chunk.vector : undefined);
        }
      },
      (semantic) => {
        if (!semantic.vectors || semantic.embedder?.modelId !== modelId) return;
        for (const chunk of added) {
          if (chunk.vector) semantic.vectors.add(chunk.id, chunk.vector);
        }
      },
    );
  }

  removeChunks(projectId: string, ids: number[]): void {
    this.update(
      projectId,
      (project) => {
        for (const id of ids) {
          project.meta.delete(id);
          project.index.remove(id);
        }
      },
      (semantic) => {
        for (const id of ids) semantic.vectors?.remove(id);
      },
    );
  }

  /** Resolves once no index is being built, counting builds that start meanwhile. */
  async settled(): Promise<void> {
    while (this.building.size > 0) await Promise.allSettled([...this.building]);
  }

  private track<T>(build: Promise<T>): Promise<T> {
    this.building.add(build);
    const done = () => this.building.delete(build);
    build.then(done, done);
    return build;
  }

  invalidate(projectId: string): void {
    this.indexes.delete(projectId);
    this.replacements.delete(projectId);
  }

  /** Applies a change to the loaded index and to the semantic side being built, once built. */
  private update(
    projectId: string,
    change: (project: ProjectIndex) => void,
    changeSemantic: (semantic: SemanticSide) => void,
  ): void {
    // A failed load is dropped from the maps and its updates have nowhere to go.
    void this.indexes.get(projectId)?.then(change, () => {});
    void this.replacements.get(projectId)?.then(changeSemantic, () => {});
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

  /** A search index over `keyword` (a new one by default) and the semantic side. */
  private searchIndex(projectId: string, semantic: SemanticSide, keyword?: KeywordIndex) {
    const { embedder, vectors } = semantic;
    return new SearchIndex({
      analyzer: this.deps.analyzer,
      bm25: this.deps.bm25,
      keyword,
      vectors,
      nearest: embedder && !vectors ? this.nearestInDatabase(projectId, embedder) : undefined,
      embedder: embedder?.queries,
    });
  }

  /** The project's index with its semantic side replaced; terms and metadata are shared. */
  private withSemantic(projectId: string, project: ProjectIndex, semantic: SemanticSide) {
    return {
      index: this.searchIndex(projectId, semantic, project.index.keyword),
      meta: project.meta,
      embedder: semantic.embedder,
    };
  }

  /** The project's index with similarity search in the database, for `embedder`'s model. */
  private searchingDatabase(
    projectId: string,
    project: ProjectIndex,
    embedder: TermEmbedder | undefined,
  ) {
    return this.withSemantic(projectId, project, { embedder, vectors: undefined });
  }

  /**
   * Builds a project's index batch by batch as rows arrive, so that no more than one batch
   * of term lists and vectors is held besides the index itself.
   */
  private async load(projectId: string): Promise<ProjectIndex> {
    const { db } = this.deps;
    const semantic = await this.loadSemantic(projectId);
    const index = this.searchIndex(projectId, semantic);
    const meta = new Map<number, ChunkMeta>();
    // Chunks of one document share their document's fields.
    const documentMeta = new Map<string, ChunkMeta>();
    const batches = keysetBatches(
      (after, limit) =>
        db
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
          .limit(limit),
      LOAD_BATCH,
    );
    for await (const rows of batches) {
      for (const row of rows) {
        let shared = documentMeta.get(row.documentId);
        if (!shared) {
          shared = chunkMeta(row);
          documentMeta.set(row.documentId, shared);
        }
        meta.set(row.id, shared);
        // The vectors are already in the semantic side; this adds the chunk's terms.
        index.keyword.add(row.id, row.terms);
      }
    }
    index.keyword.releaseSpareCapacity();
    return { index, meta, embedder: semantic.embedder };
  }

  /**
   * The active model's embedder and, in embedded mode, its stored vectors in an index. A
   * build whose `wanted()` turns false between batches is abandoned (it rejects).
   */
  private async loadSemantic(projectId: string, wanted = () => true): Promise<SemanticSide> {
    const { db } = this.deps;
    const embedder = await this.embeddings?.activeEmbedder(projectId);
    if (!embedder || this.deps.storeKind !== 'embedded') return { embedder, vectors: undefined };

    const vectors = createVectorIndex(embedder.dimension, await chunkCount(db, projectId));
    const batches = keysetBatches(
      (after, limit) =>
        db
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
          .limit(limit),
      LOAD_BATCH,
    );
    for await (const rows of batches) {
      if (!wanted()) throw new Error(`vector index build for project ${projectId} abandoned`);
      await addBatch(vectors, rows);
    }
    return { embedder, vectors };
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
