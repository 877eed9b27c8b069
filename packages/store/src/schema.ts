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

export const PROJECT_ROLES = ['viewer', 'editor', 'owner'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The built-in account the machine's operator acts as (CLI, local token); it cannot log in. */
export const LOCAL_ADMIN_USER_ID = '00000000-0000-4000-8000-000000000000';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased and trimmed; one account per address. */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** argon2id; null for the built-in local administrator, who never logs in. */
    passwordHash: text('password_hash'),
    isAdmin: boolean('is_admin').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('users_email_unique').on(table.email)],
);

/** A browser session; only a hash of the cookie's token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('sessions_token_hash_unique').on(table.tokenHash),
    index('sessions_user_idx').on(table.userId),
  ],
);

/** A personal API key; the secret is shown once and only its hash is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the secret, so a user can tell keys apart. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().$type<ApiKeyScope[]>().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('api_keys_secret_hash_unique').on(table.secretHash),
    index('api_keys_user_idx').on(table.userId),
  ],
);

/** Single-use, expiring password-reset tokens (hashed). */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('password_resets_token_hash_unique').on(table.tokenHash)],
);

export const projects = pgTable('projects', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Short name used on the command line, as in `--project notes`. */
  slug: text('slug').notNull().unique('projects_slug_unique'),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Who may do what in a project. Every project has exactly one owner. */
export const memberships = pgTable(
  'memberships',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: PROJECT_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.userId] }),
    index('memberships_user_idx').on(table.userId),
    uniqueIndex('memberships_one_owner')
      .on(table.projectId)
      .where(sql`${table.role} = 'owner'`),
    check('memberships_role_check', oneOf('role', PROJECT_ROLES)),
  ],
);

/** An invitation by e-mail; the account may not exist yet. Accepted with its token. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: PROJECT_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('invitations_token_hash_unique').on(table.tokenHash),
    index('invitations_project_idx').on(table.projectId),
    check('invitations_role_check', oneOf('role', PROJECT_ROLES)),
  ],
);

/**
 * Who did what to which project, document, member or key, and when. No foreign keys: the
 * record outlives the things it names.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    projectId: uuid('project_id'),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (table) => [
    index('audit_events_project_idx').on(table.projectId, table.id),
    index('audit_events_at_idx').on(table.at),
  ],
);

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
    /** For an indexed file, what the uploader should know (records left out, say). */
    notice: text('notice'),
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
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
