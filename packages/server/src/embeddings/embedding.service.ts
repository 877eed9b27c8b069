import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import {
  fitLsaModel,
  LsaEmbedder,
  LsaModel,
  lsaFitSample,
  lsaRefitDue,
  type Analyzer,
} from '@quarry/core';
import {
  chunks,
  embeddingModels,
  embeddings,
  jobs,
  keysetBatches,
  type Database,
  type JobRow,
  type Store,
} from '@quarry/store';
import type { JobQueue } from '../jobs/job-queue.js';

/** Vectors written per statement. */
const VECTOR_BATCH = 500;
/**
 * Chunks read per query while fitting and re-embedding, so that a large project's term
 * lists are never all in memory at once (only the fitting sample is).
 */
const READ_BATCH = 2_000;

/** A project's current model: embeds analyzed term lists, and query text. */
export interface TermEmbedder {
  modelId: string;
  dimension: number;
  model: LsaModel;
  /** The library embedder for query text, with the analyzer the model was fitted on. */
  queries: LsaEmbedder;
  embedTerms(termLists: string[][]): Float32Array[];
}

export interface EmbeddingService {
  activeEmbedder(projectId: string): Promise<TermEmbedder | undefined>;
  /** Queues a (re)fit of the project's model when the corpus has grown enough. */
  scheduleFitIfDue(projectId: string): Promise<void>;
  /** The `fit_embeddings` job. */
  fitHandler(job: JobRow, log: Logger): Promise<void>;
  forget(projectId: string): void;
}

function toEmbedder(model: LsaModel, analyzer: Analyzer): TermEmbedder {
  return {
    modelId: model.modelId,
    dimension: model.dimension,
    model,
    queries: new LsaEmbedder(model, analyzer),
    embedTerms: (termLists) => termLists.map((terms) => model.embedTerms(terms)),
  };
}

export function createEmbeddingService(deps: {
  db: Database;
  queue: JobQueue;
  analyzer: Analyzer;
  dimension: number;
  onModelChanged: (projectId: string) => void;
  /** A refit is about to replace every vector of the project (which may be let go now). */
  onRefitStarting?: (projectId: string) => void;
  /** The database's vector index, where the store has one. */
  vectorIndex: Pick<Store, 'ensureVectorIndex' | 'refreshVectorStatistics'>;
  wakeWorker?: () => void;
}): EmbeddingService {
  const { db } = deps;
  // Derived from the database; dropped whenever the active model changes. Lookups in flight
  // are shared, so that callers asking at once get one model rather than a copy each.
  const cache = new Map<string, Promise<TermEmbedder | null>>();

  async function readActiveEmbedder(projectId: string): Promise<TermEmbedder | null> {
    const [row] = await db
      .select()
      .from(embeddingModels)
      .where(and(eq(embeddingModels.projectId, projectId), eq(embeddingModels.active, true)));
    return row?.data
      ? toEmbedder(LsaModel.deserialize(new Uint8Array(row.data)), deps.analyzer)
      : null;
  }

  /**
   * Chunks that carry terms: what a model is fitted on and what its refits are counted
   * against. Chunks without any (a file of one endless "word", of symbols) neither teach the
   * model anything nor may stand in for the ones that would.
   */
  const taughtChunks = (projectId: string) =>
    and(eq(chunks.projectId, projectId), sql`cardinality(${chunks.terms}) > 0`);

  async function termChunkCount(projectId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(chunks)
      .where(taughtChunks(projectId));
    return row?.n ?? 0;
  }

  /** The ids of those chunks, in order: the corpus a fit samples from. */
  async function taughtChunkIds(projectId: string): Promise<number[]> {
    const rows = await db
      .select({ id: chunks.id })
      .from(chunks)
      .where(taughtChunks(projectId))
      .orderBy(asc(chunks.id));
    return rows.map((row) => row.id);
  }

  /** Fits a model on a sample of the chunks `taught`, read for the purpose and let go. */
  async function fitModel(taught: number[]): Promise<LsaModel> {
    const fitOptions = { dimension: deps.dimension, analyzerId: deps.analyzer.id };
    const sample = await chunkTerms(
      db,
      lsaFitSample(taught.length, fitOptions).map((position) => taught[position]!),
    );
    return fitLsaModel(sample, { ...fitOptions, corpusSize: taught.length });
  }

  /** Fits a model on `taught` and stores it with every chunk's vector. */
  async function fitAndStore(projectId: string, taught: number[], started: number) {
    const model = await fitModel(taught);
    const fitMs = performance.now() - started;
    await deps.vectorIndex.ensureVectorIndex(model.dimension);

    // The new model and all its vectors replace the old ones in one transaction, so a
    // search never mixes vectors from two models.
    const embedded = await db.transaction(async (tx) => {
      await tx.delete(embeddings).where(eq(embeddings.projectId, projectId));
      const embedded = await embedAll(tx, projectId, model);
      await tx
        .update(embeddingModels)
        .set({ active: false })
        .where(eq(embeddingModels.projectId, projectId));
      await tx
        .insert(embeddingModels)
        .values({
          id: model.modelId,
          projectId,
          kind: 'lsa',
          dimension: model.dimension,
          fittedOnChunks: taught.length,
          data: Buffer.from(model.serialize()),
          active: true,
        })
        .onConflictDoUpdate({
          target: [embeddingModels.projectId, embeddingModels.id],
          set: { active: true, fittedOnChunks: taught.length },
        });
      return embedded;
    });
    return { model, embedded, fitMs };
  }

  const service: EmbeddingService = {
    async activeEmbedder(projectId) {
      let lookup = cache.get(projectId);
      if (!lookup) {
        lookup = readActiveEmbedder(projectId);
        cache.set(projectId, lookup);
        // A failed read is not kept; the next caller tries again.
        lookup.catch(() => {
          if (cache.get(projectId) === lookup) cache.delete(projectId);
        });
      }
      return (await lookup) ?? undefined;
    },

    async scheduleFitIfDue(projectId) {
      const current = await service.activeEmbedder(projectId);
      if (!lsaRefitDue(current?.model, await termChunkCount(projectId))) return;
      const [pending] = await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            eq(jobs.projectId, projectId),
            eq(jobs.kind, 'fit_embeddings'),
            inArray(jobs.state, ['queued', 'running']),
          ),
        );
      if (pending) return;
      await deps.queue.enqueue(db, { kind: 'fit_embeddings', projectId });
      deps.wakeWorker?.();
    },

    async fitHandler(job, log) {
      const projectId = job.projectId!;
      const started = performance.now();
      const taught = await taughtChunkIds(projectId);
      if (!lsaRefitDue(undefined, taught.length)) return;

      deps.onRefitStarting?.(projectId);
      let fitted: { model: LsaModel; embedded: number; fitMs: number };
      try {
        fitted = await fitAndStore(projectId, taught, started);
      } catch (error) {
        // Whatever the project's model now is, its search index is rebuilt for it.
        deps.onModelChanged(projectId);
        throw error;
      }
      const { model, embedded, fitMs } = fitted;
      cache.delete(projectId);
      deps.onModelChanged(projectId);
      // The vectors are committed; stale statistics would only make their search slow.
      await deps.vectorIndex.refreshVectorStatistics().catch((error: unknown) => {
        log.warn({ err: error, projectId }, 'could not refresh vector statistics');
      });
      log.info(
        {
          projectId,
          chunks: embedded,
          dimension: model.dimension,
          fitMs: Math.round(fitMs),
          totalMs: Math.round(performance.now() - started),
        },
        'embedding model fitted',
      );
    },

    forget(projectId) {
      cache.delete(projectId);
    },
  };
  return service;
}

/** The term lists of the chunks `ids` (in increasing order), read a batch at a time. */
async function chunkTerms(db: Database, ids: readonly number[]): Promise<string[][]> {
  const lists: string[][] = [];
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const rows = await db
      .select({ terms: chunks.terms })
      .from(chunks)
      .where(inArray(chunks.id, ids.slice(i, i + READ_BATCH)))
      .orderBy(asc(chunks.id));
    for (const row of rows) lists.push(row.terms);
  }
  return lists;
}

/** Embeds every chunk of the project with `model` and stores the vectors, a batch at a time. */
async function embedAll(tx: Database, projectId: string, model: LsaModel): Promise<number> {
  const batches = keysetBatches(
    (after, limit) =>
      tx
        .select({ id: chunks.id, terms: chunks.terms })
        .from(chunks)
        .where(and(eq(chunks.projectId, projectId), gt(chunks.id, after)))
        .orderBy(asc(chunks.id))
        .limit(limit),
    READ_BATCH,
  );
  let embedded = 0;
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i += VECTOR_BATCH) {
      await tx.insert(embeddings).values(
        batch.slice(i, i + VECTOR_BATCH).map((r) => ({
          chunkId: r.id,
          projectId,
          modelId: model.modelId,
          dimension: model.dimension,
          vector: model.embedTerms(r.terms),
        })),
      );
    }
    embedded += batch.length;
  }
  return embedded;
}
