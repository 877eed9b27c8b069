import { getTableColumns, sql } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { findPgError, StoreError } from './errors.js';
import { embeddings, type NewEmbeddingRow } from './schema.js';
import { resultRows, type Database } from './store-types.js';

/**
 * Rows per INSERT statement. Larger statements cut round trips and per-statement overhead
 * (which dominates on PGlite); past a few hundred rows the gain flattens while the statement's
 * memory keeps growing.
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
 * transaction) and returns the new chunk ids in input order. A failure is a `StoreError`
 * with code `store_write_failed` and the driver's error as `cause`.
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
  const perStatement = Math.max(1, Math.floor(batchSize));

  try {
    return await db.transaction(async (tx) => {
      const ids: number[] = [];
      for (let start = 0; start < batch.chunks.length; start += perStatement) {
        const slice = batch.chunks.slice(start, start + perStatement);
        const chunkIds = await insertChunkRows(tx, projectId, slice);
        ids.push(...chunkIds);

        const vectors: NewEmbeddingRow[] = [];
        slice.forEach((chunk, i) => {
          if (!chunk.embedding || modelId === undefined) return;
          const chunkId = chunkIds[i] as number;
          const { length: dimension } = chunk.embedding;
          vectors.push({ chunkId, projectId, modelId, dimension, vector: chunk.embedding });
        });
        await insertRows(tx, embeddings, vectors, batchSize);
      }
      return ids;
    });
  } catch (error) {
    if (error instanceof StoreError) throw error;
    // Drizzle's own error repeats every parameter in its message: megabytes for a batch.
    const cause = findPgError(error) ?? error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError(
      'store_write_failed',
      `Could not store ${batch.chunks.length} chunks: ${reason}`,
      { cause },
    );
  }
}

/**
 * Inserts one slice of chunks with a single JSON parameter expanded by `jsonb_to_recordset`.
 * Building a multi-row INSERT with Drizzle costs about 0.15 ms per chunk in JavaScript, most
 * of it for the term arrays; `JSON.stringify` does the same work in a fiftieth of the time.
 */
async function insertChunkRows(
  db: Database,
  projectId: string,
  slice: readonly ChunkInput[],
): Promise<number[]> {
  const rows = slice.map((chunk) => ({
    document_id: chunk.documentId,
    ordinal: chunk.ordinal,
    text: wellFormed(chunk.text),
    prefix: chunk.prefix == null ? null : wellFormed(chunk.prefix),
    start_offset: chunk.startOffset,
    end_offset: chunk.endOffset,
    page: chunk.page ?? null,
    terms: chunk.terms.map(wellFormed),
    term_count: chunk.termCount ?? chunk.terms.length,
  }));

  const result = await db.execute(sql`
    INSERT INTO chunks (project_id, document_id, ordinal, text, prefix, start_offset,
                        end_offset, page, terms, term_count)
    SELECT ${projectId}::uuid, document_id, ordinal, text, prefix, start_offset,
           end_offset, page, terms, term_count
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS input(
             document_id uuid, ordinal integer, text text, prefix text, start_offset integer,
             end_offset integer, page integer, terms text[], term_count integer)
    RETURNING id, document_id, ordinal`);

  // RETURNING order is not promised by SQL, so ids are matched on (document, ordinal), which
  // the unique index on chunks makes a key. node-postgres returns bigint as a string.
  const key = (documentId: string, ordinal: number) => `${documentId}\u0000${ordinal}`;
  const inserted = resultRows<{ id: string | number; document_id: string; ordinal: number }>(
    result,
  );
  const idByKey = new Map(inserted.map((row) => [key(row.document_id, row.ordinal), row.id]));
  return slice.map((chunk) => {
    const id = idByKey.get(key(chunk.documentId, chunk.ordinal));
    if (id === undefined) throw new Error(`no id returned for chunk ${chunk.ordinal}`);
    return Number(id);
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces unpaired UTF-16 surrogates (left by broken extractions) with U+FFFD, as UTF-8
 * encoding of a text parameter would; PostgreSQL's JSON parser refuses them instead.
 */
function wellFormed(text: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

function rowsPerStatement(table: PgTable, batchSize: number): number {
  const columns = Object.keys(getTableColumns(table)).length;
  const limit = Math.floor(MAX_BIND_PARAMETERS / Math.max(columns, 1));
  return Math.max(1, Math.min(Math.floor(batchSize), limit));
}
