import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/**
 * A Drizzle database over Quarry's schema that works the same on PGlite and node-postgres,
 * so repositories are written once. A transaction (`db.transaction(async (tx) => ...)`) is
 * also a `Database`, so helpers taking one accept either.
 */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * The rows of a raw `db.execute(...)` result. Both drivers return `{ rows }`, but
 * `Database` cannot say which result type it has, so the row type is the caller's claim.
 */
export function resultRows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export interface PoolOptions {
  /** Most connections the pool opens. Default 10. */
  max?: number;
  /** Close a connection idle this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Server-side limit on any one statement. Default 30 s; 0 disables it. */
  statementTimeoutMs?: number;
  /** Give up connecting after this long. Default 10 s. */
  connectionTimeoutMs?: number;
}

export type StoreConfig =
  | {
      kind: 'embedded';
      /** Directory holding the embedded database; created if missing. */
      dataDir: string;
      /**
       * Megabytes of database pages the embedded PostgreSQL caches inside the process
       * (`shared_buffers`). Default 16; the operating system caches the files as well.
       */
      cacheMb?: number;
      /**
       * Called if the directory lock is lost (its lock file removed or taken over, say
       * after the event loop stalled past the stale time). Another process may then be
       * writing to the same files, so the default throws and ends the process.
       */
      onLockLost?: (error: Error) => void;
    }
  | {
      kind: 'postgres';
      /** `postgres://user:password@host:port/database` */
      url: string;
      pool?: PoolOptions;
      /**
       * Called when an idle pooled connection fails (server restart, network drop). The pool
       * discards the connection either way; without a listener node-postgres would crash.
       */
      onPoolError?: (error: Error) => void;
    };

export type StoreKind = StoreConfig['kind'];

export interface Store {
  readonly kind: StoreKind;
  readonly db: Database;
  /** Applies pending migrations from the package's `drizzle/` folder. Safe to run again. */
  migrate(): Promise<void>;
  /** Closes the database and, for embedded stores, releases the data-directory lock. */
  close(): Promise<void>;
  /**
   * Makes similarity search over `dimension`-sized vectors use an HNSW index on PostgreSQL.
   * A no-op on PGlite, where the in-process vector index serves queries.
   */
  ensureVectorIndex(dimension: number): Promise<void>;
  /**
   * Refreshes the planner's statistics of the vectors after many were written at once (a
   * model fit replaces a whole project's). Until then PostgreSQL takes the table for nearly
   * empty and answers similarity search by an exact scan instead of the HNSW index, which at
   * 100,000 vectors is 20 times slower; autovacuum would only catch up later, if it runs. A
   * no-op on PGlite, where the in-process vector index serves queries.
   */
  refreshVectorStatistics(): Promise<void>;
}
