import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { StoreConnectionError, StoreError } from './errors.js';
import { migrationsFolder } from './migrations-folder.js';
import * as schema from './schema.js';
import type { PoolOptions, Store } from './store-types.js';
import { checkedDimension, vectorIndexName, vectorIndexSql } from './vector-search.js';

const POOL_DEFAULTS = {
  max: 10,
  idleTimeoutMs: 30_000,
  // Long enough for a heavy keyword or vector query, short enough that a runaway one cannot
  // hold a connection for ever.
  statementTimeoutMs: 30_000,
  connectionTimeoutMs: 10_000,
} as const satisfies Required<PoolOptions>;

/** HNSW indexes on pgvector's `vector` type accept at most this many dimensions. */
const HNSW_MAX_DIMENSION = 2000;

// Session-level advisory locks so that two servers starting together migrate, or build an
// index, one after the other. The keys are arbitrary but fixed.
const MIGRATION_LOCK_KEY = 0x71_75_61_72; // "quar"
const VECTOR_INDEX_LOCK_KEY = 0x71_76_65_63; // "qvec"

export interface PostgresStoreOptions {
  url: string;
  pool?: PoolOptions;
  onPoolError?: (error: Error) => void;
}

/** Opens a node-postgres pool and checks that it can connect. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const target = describeTarget(options.url);
  const pool = new Pool(poolConfig(options.url, options.pool));
  // An idle connection that fails emits 'error' on the pool; unheard, it would crash us.
  pool.on('error', options.onPoolError ?? (() => {}));

  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreConnectionError(
      `Could not connect to PostgreSQL at ${target}: ${scrub(messageOf(error), options.url, target)}`,
      { cause: error },
    );
  }

  const db = drizzle({ client: pool, schema });
  let closed = false;

  return {
    kind: 'postgres',
    db,
    async migrate() {
      await withSessionLock(pool, MIGRATION_LOCK_KEY, async (client) => {
        try {
          await migrate(drizzle({ client, schema }), { migrationsFolder: migrationsFolder() });
        } catch (error) {
          throw new StoreError(
            'store_migration_failed',
            `Could not apply database migrations to ${target}.`,
            { cause: error },
          );
        }
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
    async ensureVectorIndex(dimension) {
      checkedDimension(dimension);
      // Above the HNSW limit the exact scan in `nearestChunks` still answers, only slower.
      if (dimension > HNSW_MAX_DIMENSION) return;
      await withSessionLock(pool, VECTOR_INDEX_LOCK_KEY, (client) =>
        createVectorIndex(client, dimension),
      );
    },
    async refreshVectorStatistics() {
      await pool.query('ANALYZE "embeddings"');
    },
  };
}

function poolConfig(url: string, options: PoolOptions = {}): PoolConfig {
  const settings = { ...POOL_DEFAULTS, ...withoutUndefined(options) };
  return {
    connectionString: url,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    application_name: 'quarry',
    // Without iterative scans, an HNSW search filtered to one project can come back short
    // when other projects' vectors fill the candidate list. Set at connection start-up, the
    // setting needs no extra round trip per query and is ignored by pgvector before 0.8.
    options: '-c hnsw.iterative_scan=strict_order',
  };
}

/**
 * Builds the partial HNSW index for one dimension if it is missing. CONCURRENTLY keeps
 * ingestion writing while a large index builds; a build that died leaves an invalid index,
 * which is dropped and built again.
 */
async function createVectorIndex(client: PoolClient, dimension: number): Promise<void> {
  const name = vectorIndexName(dimension);
  const existing = await client.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = $1 AND pg_catalog.pg_table_is_visible(c.oid)`,
    [name],
  );
  const valid = existing.rows[0]?.valid;
  if (valid === true) return;
  if (valid === false) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);

  // Building an index can take far longer than the pool's per-statement limit.
  await client.query('SET statement_timeout = 0');
  try {
    await client.query(vectorIndexSql(dimension, { concurrently: true }));
  } finally {
    await client.query('RESET statement_timeout');
  }
}

/** Runs `work` on one pooled connection while holding a session-level advisory lock. */
async function withSessionLock<T>(
  pool: Pool,
  key: number,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    // Waiting for another server's migration must not trip the statement timeout.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    await client.query('RESET statement_timeout');
    try {
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/** `postgres://user:***@host:port/db` for messages, or a placeholder if unparseable. */
function describeTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreConnectionError(
      'The PostgreSQL URL is not valid; expected postgres://user:password@host:port/database.',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreConnectionError(
      `The PostgreSQL URL must start with postgres:// or postgresql://, not ${parsed.protocol}//.`,
    );
  }
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(messageOf).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * Driver messages do not contain the password, but should one ever echo the URL, it is
 * replaced here by the redacted form. (Replacing every occurrence of the bare password would
 * garble messages when it is a common word, such as the user or database name.)
 */
function scrub(message: string, url: string, redacted: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return message;
  }
  let scrubbed = message.split(url).join(redacted);
  if (password) scrubbed = scrubbed.split(`:${password}@`).join(':***@');
  return scrubbed;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
