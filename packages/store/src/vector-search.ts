import { and, eq, sql, type SQL } from 'drizzle-orm';
import { toVectorLiteral } from './column-types.js';
import { StoreError } from './errors.js';
import { embeddings } from './schema.js';
import type { Database } from './store-types.js';

export interface NearestChunksQuery {
  projectId: string;
  modelId: string;
  /** Length of the stored vectors to search, and of `query`. */
  dimension: number;
  query: Float32Array;
  limit: number;
}

export interface ChunkSimilarity {
  chunkId: number;
  /** Cosine similarity, 1 for the same direction. */
  similarity: number;
}

/** The name of the partial HNSW index serving vectors of one dimension. */
export function vectorIndexName(dimension: number): string {
  return `embeddings_vector_${dimension}_hnsw_idx`;
}

/**
 * The partial HNSW index for one dimension. The column has no fixed dimension, so the index
 * is on the cast `vector::vector(d)` and covers only rows of that dimension; queries must
 * use the same expression and predicate (see `nearestChunks`) for the planner to pick it.
 */
export function vectorIndexSql(dimension: number, options: { concurrently: boolean }): string {
  const d = checkedDimension(dimension);
  const concurrently = options.concurrently ? ' CONCURRENTLY' : '';
  return (
    `CREATE INDEX${concurrently} IF NOT EXISTS "${vectorIndexName(d)}" ON "embeddings" ` +
    `USING hnsw ((("vector")::vector(${d})) vector_cosine_ops) WHERE "dimension" = ${d}`
  );
}

/**
 * The chunks of a project whose embeddings are closest to `query` by cosine distance,
 * nearest first. On PostgreSQL the per-dimension HNSW index (`ensureVectorIndex`) serves it;
 * on PGlite it is an exact scan.
 */
export async function nearestChunks(
  db: Database,
  search: NearestChunksQuery,
): Promise<ChunkSimilarity[]> {
  if (!Number.isInteger(search.limit) || search.limit < 1) return [];
  const rows = await nearestChunksQuery(db, search);
  return rows.map((row) => ({ chunkId: row.chunkId, similarity: 1 - row.distance }));
}

/**
 * The query `nearestChunks` runs, unexecuted: `.toSQL()` gives its text and parameters (for
 * EXPLAIN), and awaiting it gives `{ chunkId, distance }` rows.
 */
export function nearestChunksQuery(db: Database, search: NearestChunksQuery) {
  const d = checkedDimension(search.dimension);
  if (search.query.length !== d) {
    throw new StoreError(
      'store_config_invalid',
      `The query vector has ${search.query.length} dimensions, expected ${d}.`,
    );
  }

  // The dimension is inlined, not bound: the partial index's predicate and cast must match
  // literally for the planner to use it, and `checkedDimension` made it a plain integer.
  const cast = sql.raw(`vector(${d})`);
  const stored = sql`(${embeddings.vector}::${cast})`;
  const query = sql`${toVectorLiteral(search.query)}::${cast}`;
  const distance: SQL<number> = sql`${stored} <=> ${query}`;

  return db
    .select({ chunkId: embeddings.chunkId, distance: distance.mapWith(Number) })
    .from(embeddings)
    .where(
      and(
        eq(embeddings.projectId, search.projectId),
        eq(embeddings.modelId, search.modelId),
        sql`${embeddings.dimension} = ${sql.raw(String(d))}`,
      ),
    )
    .orderBy(distance)
    .limit(Math.max(1, Math.floor(search.limit)));
}

/** `dimension` if it is a whole number pgvector accepts, else a `store_config_invalid` error. */
export function checkedDimension(dimension: number): number {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16_000) {
    throw new StoreError(
      'store_config_invalid',
      `Vector dimension must be an integer from 1 to 16000, got ${dimension}.`,
    );
  }
  return dimension;
}
