/**
 * Quarry's relational schema, shared by PGlite (embedded) and PostgreSQL + pgvector (server).
 * Migrations in `../drizzle` are generated from this file with `npm run db:generate`.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { bytea, vector } from './column-types.js';

export const FILE_STATES = [
  'queued',
  'extracting',
  'embedding',
  'indexed',
  'duplicate',
  'failed',
] as const;
export type FileState = (typeof FILE_STATES)[number];

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Where a document's pages fall in its extracted text: `text.slice(start, end)` is `page`. */
export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** `column IN ('a', 'b')` for a CHECK constraint; the values are our own constants. */
function oneOf(column: string, values: readonly string[]) {
  const list = values.map((value) => `'${value}'`).join(', ');
  return sql.raw(`"${column}" IN (${list})`);
}

export const projects = pgTable('projects', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Short name used on the command line, as in `--project notes`. */
  slug: text('slug').notNull().unique('projects_slug_unique'),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** An uploaded original, as received. */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The original file name, unchanged (accents, CJK, curly quotes included). */
    name: text('name').notNull(),
    mediaType: text('media_type'),
    kind: text('kind'),
    sizeBytes: integer('size_bytes').notNull(),
    /** sha256 of the bytes, lowercase hex. */
    contentHash: text('content_hash').notNull(),
    state: text('state', { enum: FILE_STATES }).notNull().default('queued'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    // Cascade rather than SET NULL: a duplicate record only says "this upload was already
    // there as X". Nulling it would drop it into the unique index below and clash.
    duplicateOf: uuid('duplicate_of').references((): AnyPgColumn => files.id, {
      onDelete: 'cascade',
    }),
    pageCount: integer('page_count'),
    documentCount: integer('document_count').notNull().default(0),
    chunkCount: integer('chunk_count').notNull().default(0),
    /** The caller who uploaded it, when there is one. */
    uploadedBy: text('uploaded_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // Deduplication by content within a project is the database's job, so two concurrent
    // uploads of the same bytes cannot both become originals.
    uniqueIndex('files_project_content_hash_unique')
      .on(table.projectId, table.contentHash)
      .where(sql`${table.duplicateOf} IS NULL AND ${table.state} <> 'failed'`),
    index('files_project_created_idx').on(table.projectId, table.createdAt),
    check('files_state_check', oneOf('state', FILE_STATES)),
  ],
);

/** The bytes of an upload, written in the same transaction as its job. */
export const fileBlobs = pgTable('file_blobs', {
  fileId: uuid('file_id')
    .primaryKey()
    .references(() => files.id, { onDelete: 'cascade' }),
  bytes: bytea('bytes').notNull(),
});

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    /** The identifier a data set gave the document (BEIR `_id`). */
    externalId: text('external_id'),
    title: text('title').notNull(),
    /** The full extracted text, for the viewer and for citations. */
    text: text('text').notNull(),
    kind: text('kind'),
    pageCount: integer('page_count'),
    pages: jsonb('pages').$type<PageSpan[]>(),
    createdAt: createdAt(),
  },
  (table) => [
    index('documents_project_external_idx').on(table.projectId, table.externalId),
    index('documents_file_idx').on(table.fileId),
  ],
);

export const chunks = pgTable(
  'chunks',
  {
    // Numeric ids are what the in-process keyword and vector indexes key on.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    /** Context prepended for embedding (for instance the document title). */
    prefix: text('prefix'),
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    page: integer('page'),
    // The analyzed terms are stored so the database stays the source of truth for keyword
    // statistics; in-process indexes are rebuilt from these rows.
    terms: text('terms').array().notNull(),
    termCount: integer('term_count').notNull(),
  },
  (table) => [
    index('chunks_project_idx').on(table.projectId),
    // Also a key: bulk inserts match returned ids to their input on (document, ordinal).
    uniqueIndex('chunks_document_ordinal_unique').on(table.documentId, table.ordinal),
  ],
);

export const embeddings = pgTable(
  'embeddings',
  {
    chunkId: bigint('chunk_id', { mode: 'number' })
      .primaryKey()
      .references(() => chunks.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    modelId: text('model_id').notNull(),
    dimension: integer('dimension').notNull(),
    // No fixed dimension: see `ensureVectorIndex` for the per-dimension HNSW index.
    vector: vector('vector').notNull(),
  },
  (table) => [index('embeddings_project_model_idx').on(table.projectId, table.modelId)],
);

export const embeddingModels = pgTable(
  'embedding_models',
  {
    /** The model id stored with each vector; two projects may fit identical models. */
    id: text('id').notNull(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    dimension: integer('dimension').notNull(),
    fittedOnChunks: integer('fitted_on_chunks').notNull().default(0),
    /** The serialised model, for kinds that are fitted on the project's own text. */
    data: bytea('data'),
    active: boolean('active').notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.id] }),
    // A search embeds its query with exactly one model per project.
    uniqueIndex('embedding_models_one_active')
      .on(table.projectId)
      .where(sql`${table.active}`),
  ],
);

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    projectId: uuid('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id').references(() => files.id, { onDelete: 'cascade' }),
    state: text('state', { enum: JOB_STATES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    lastError: text('last_error'),
    runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('jobs_state_run_after_idx').on(table.state, table.runAfter),
    index('jobs_file_idx').on(table.fileId),
    check('jobs_state_check', oneOf('state', JOB_STATES)),
  ],
);

/** The transactional outbox: rows written with the change, published to the broker after. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (table) => [
    index('outbox_unpublished_idx')
      .on(table.id)
      .where(sql`${table.publishedAt} IS NULL`),
  ],
);

export type ProjectRow = typeof projects.$inferSelect;
export type NewProjectRow = typeof projects.$inferInsert;
export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;
export type FileBlobRow = typeof fileBlobs.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
export type NewDocumentRow = typeof documents.$inferInsert;
export type ChunkRow = typeof chunks.$inferSelect;
export type NewChunkRow = typeof chunks.$inferInsert;
export type EmbeddingRow = typeof embeddings.$inferSelect;
export type NewEmbeddingRow = typeof embeddings.$inferInsert;
export type EmbeddingModelRow = typeof embeddingModels.$inferSelect;
export type NewEmbeddingModelRow = typeof embeddingModels.$inferInsert;
export type JobRow = typeof jobs.$inferSelect;
export type NewJobRow = typeof jobs.$inferInsert;
export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
