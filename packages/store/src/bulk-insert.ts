import { getTableColumns } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { StoreError } from './errors.js';
import { chunks, embeddings, type NewChunkRow, type NewEmbeddingRow } from './schema.js';
import type { Database } from './store-types.js';

/**
 * Rows per INSERT statement. Larger statements cut round trips and per-statement overhead
 * (which dominates on PGlite), but past a few hundred rows the gain flattens while memory for
 * the statement text grows.
 */
export const DEFAULT_INSERT_BATCH_ROWS = 500;

/** PostgreSQL's wire protocol numbers bind parameters with 16 bits. */
const MAX_BIND_PARAMETERS = 65_535;

/**
 * Inserts `rows` with multi-row INSERT statements of at most `batchSize` rows (fewer when
 * the table is wide enough to hit the bind-parameter limit). Not atomic on its own: call it
 * inside `db.transaction` when all rows must land together.
 */
export async function insertRows<TTable extends PgTable>(
  db: Database,
  table: TTable,
  rows: readonly PgInsertValue<TTable>[],
  batchSize: number = DEFAULT_INSERT_BATCH_ROWS,
): Promise<void> {
  const perStatement = rowsPerStatement(table, batchSize);
  for (let start = 0; start < rows.length; start += perStatement) {
    await db.insert(table).values(rows.slice(start, start + perStatement));
  }
}

/** A chunk to store, with its embedding when it has one. */
export interface ChunkInput {
  documentId: string;
  ordinal: number;
  text: string;
  prefix?: string | null;
  startOffset: number;
  endOffset: number;
  page?: number | null;
  /** Analyzed index terms, in order. */
  terms: string[];
  /** Defaults to `terms.length`. */
  termCount?: number;
  embedding?: Float32Array;
}

export interface ChunkBatch {
  projectId: string;
  /** The embedding model that produced the chunks' embeddings; required if any has one. */
  modelId?: string;
  chunks: readonly ChunkInput[];
}

/**
 * Stores chunks and their embeddings in one transaction (a savepoint when `db` is already a
 * transaction) and returns the new chunk ids in input order.
 */
export async function insertChunksWithEmbeddings(
  db: Database,
  batch: ChunkBatch,
  batchSize: number = DEFAULT_INSERT_BATCH_ROWS,
): Promise<number[]> {
  const { projectId, modelId } = batch;
  if (modelId === undefined && batch.chunks.some((chunk) => chunk.embedding)) {
    throw new StoreError('store_config_invalid', 'Chunks with embeddings need a modelId.');
  }

  return db.transaction(async (tx) => {
    const ids: number[] = [];
    const perStatement = rowsPerStatement(chunks, batchSize);

    for (let start = 0; start < batch.chunks.length; start += perStatement) {
      const slice = batch.chunks.slice(start, start + perStatement);
      const chunkIds = await insertChunkSlice(tx, projectId, slice);
      ids.push(...chunkIds);

      const vectors: NewEmbeddingRow[] = [];
      slice.forEach((chunk, i) => {
        if (!chunk.embedding || modelId === undefined) return;
        vectors.push({
          chunkId: chunkIds[i] as number,
          projectId,
          modelId,
          dimension: chunk.embedding.length,
          vector: chunk.embedding,
        });
      });
      await insertRows(tx, embeddings, vectors, batchSize);
    }
    return ids;
  });
}

async function insertChunkSlice(
  db: Database,
  projectId: string,
  slice: readonly ChunkInput[],
): Promise<number[]> {
  const rows: NewChunkRow[] = slice.map((chunk) => ({
    projectId,
    documentId: chunk.documentId,
    ordinal: chunk.ordinal,
    text: chunk.text,
    prefix: chunk.prefix ?? null,
    startOffset: chunk.startOffset,
    endOffset: chunk.endOffset,
    page: chunk.page ?? null,
    terms: chunk.terms,
    termCount: chunk.termCount ?? chunk.terms.length,
  }));
  const inserted = await db
    .insert(chunks)
    .values(rows)
    .returning({ id: chunks.id, documentId: chunks.documentId, ordinal: chunks.ordinal });

  // RETURNING order is not promised by SQL, so ids are matched on (document, ordinal), which
  // the unique index on chunks makes a key.
  const idByKey = new Map(inserted.map((row) => [`${row.documentId}\u0000${row.ordinal}`, row.id]));
  return slice.map((chunk) => {
    const id = idByKey.get(`${chunk.documentId}\u0000${chunk.ordinal}`);
    if (id === undefined) throw new Error('insertChunksWithEmbeddings: chunk id missing');
    return id;
  });
}

function rowsPerStatement(table: PgTable, batchSize: number): number {
  const columns = Object.keys(getTableColumns(table)).length;
  const limit = Math.floor(MAX_BIND_PARAMETERS / Math.max(columns, 1));
  return Math.max(1, Math.min(Math.floor(batchSize), limit));
}
