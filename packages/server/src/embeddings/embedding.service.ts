import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { fitLsaModel, LsaEmbedder, LsaModel, lsaRefitDue, type Analyzer } from '@quarry/core';
import {
  chunks,
  embeddingModels,
  embeddings,
  jobs,
  type Database,
  type JobRow,
} from '@quarry/store';
import type { JobQueue } from '../jobs/job-queue.js';

/** Vectors written per statement. */
const VECTOR_BATCH = 500;

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
  /** Builds the database's vector index for this dimension where the store has one. */
  ensureVectorIndex: (dimension: number) => Promise<void>;
  wakeWorker?: () => void;
}): EmbeddingService {
  const { db } = deps;
  // Derived from the database; dropped whenever the active model changes.
  const cache = new Map<string, TermEmbedder | null>();

  /**
   * Chunks that carry terms: what a model is fitted on and what its refits are counted
   * against. Chunks without any (a file of one endless "word", of symbols) neither teach the
   * model anything nor may stand in for the ones that would.
   */
  async function termChunkCount(projectId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(chunks)
      .where(and(eq(chunks.projectId, projectId), sql`cardinality(${chunks.terms}) > 0`));
    return row?.n ?? 0;
  }

  const service: EmbeddingService = {
    async activeEmbedder(projectId) {
      const cached = cache.get(projectId);
      if (cached !== undefined) return cached ?? undefined;
      const [row] = await db
        .select()
        .from(embeddingModels)
        .where(and(eq(embeddingModels.projectId, projectId), eq(embeddingModels.active, true)));
      const embedder = row?.data
        ? toEmbedder(LsaModel.deserialize(new Uint8Array(row.data)), deps.analyzer)
        : null;
      cache.set(projectId, embedder);
      return embedder ?? undefined;
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
      const rows = await db
        .select({ id: chunks.id, terms: chunks.terms })
        .from(chunks)
        .where(eq(chunks.projectId, projectId))
        .orderBy(chunks.id);
      const taught = rows.filter((r) => r.terms.length > 0);
      if (!lsaRefitDue(undefined, taught.length)) return;

      const model = fitLsaModel(
        taught.map((r) => r.terms),
        { dimension: deps.dimension, analyzerId: deps.analyzer.id },
      );
      const fitMs = performance.now() - started;
      await deps.ensureVectorIndex(model.dimension);

      // The new model and all its vectors replace the old ones in one transaction, so a
      // search never mixes vectors from two models.
      await db.transaction(async (tx) => {
        await tx.delete(embeddings).where(eq(embeddings.projectId, projectId));
        for (let i = 0; i < rows.length; i += VECTOR_BATCH) {
          const batch = rows.slice(i, i + VECTOR_BATCH);
          await tx.insert(embeddings).values(
            batch.map((r) => ({
              chunkId: r.id,
              projectId,
              modelId: model.modelId,
              dimension: model.dimension,
              vector: model.embedTerms(r.terms),
            })),
          );
        }
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
      });
      cache.delete(projectId);
      deps.onModelChanged(projectId);
      log.info(
        {
          projectId,
          chunks: rows.length,
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
