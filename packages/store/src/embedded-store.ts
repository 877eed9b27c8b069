import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import lockfile from 'proper-lockfile';
import { StoreError, StoreLockedError } from './errors.js';
import { migrationsFolder } from './migrations-folder.js';
import { readPgliteTemplate } from './pglite-template.js';
import * as schema from './schema.js';
import type { Store } from './store-types.js';

/**
 * A lock whose file has not been touched for this long belongs to a process that died.
 * PGlite runs each statement synchronously on the main thread, which also stops the timer
 * that refreshes the lock, so this leaves room for long statements before another process
 * may take over; a crashed process's directory is free again after the same wait.
 */
export const LOCK_STALE_MS = 20_000;
/** How often the holder refreshes the lock file; a quarter of the stale time. */
const LOCK_UPDATE_MS = 5_000;

/** The database files live in a subdirectory so the data directory can hold other things. */
const PGLITE_SUBDIR = 'pgdata';
const LOCK_FILE = 'store.lock';

/**
 * PostgreSQL's own default page cache is 128 MB, which PGlite allocates, and touches, inside
 * its WebAssembly memory: most of an idle embedded server's footprint. The files sit in the
 * operating system's page cache too, so a smaller cache costs a system call per page it
 * misses (measured in docs/benchmarks.md), not a disk read.
 */
export const DEFAULT_CACHE_MB = 16;

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** `shared_buffers` in megabytes; {@link DEFAULT_CACHE_MB} by default. */
  cacheMb?: number;
  onLockLost?: (error: Error) => void;
  /** The empty cluster a new store is loaded from; by default the build's. */
  templateFile?: string;
}

/** Opens PGlite with pgvector under `dataDir`, holding an exclusive lock on the directory. */
export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<Store> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const release = await lockDataDir(dataDir, options.onLockLost);

  let client: PGlite;
  try {
    client = await openPglite(path.join(dataDir, PGLITE_SUBDIR), {
      templateFile: options.templateFile,
      cacheMb: options.cacheMb ?? DEFAULT_CACHE_MB,
    });
  } catch (error) {
    await release();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'store_open_failed',
      `Could not open the database in ${dataDir}: ${reason}`,
      { cause: error },
    );
  }

  const db = drizzle({ client, schema });
  let closed = false;

  return {
    kind: 'embedded',
    db,
    async migrate() {
      try {
        await migrate(db, { migrationsFolder: migrationsFolder() });
        await useBinaryVectorParameters(client);
      } catch (error) {
        throw new StoreError(
          'store_migration_failed',
          `Could not apply database migrations in ${dataDir}.`,
          {
            cause: error,
          },
        );
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        await release();
      }
    },
    // PGlite builds and updates HNSW indexes slowly, and the in-process vector index already
    // answers similarity queries in embedded mode.
    async ensureVectorIndex() {},
    async refreshVectorStatistics() {},
  };
}

interface PgliteSettings {
  templateFile: string | undefined;
  cacheMb: number;
}

async function openPglite(pgDataDir: string, settings: PgliteSettings): Promise<PGlite> {
  const client = await createPglite(pgDataDir, settings);
  try {
    useFastBytea(client);
    await useBinaryVectorParameters(client);
    return client;
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
}

/**
 * V8 compiles PGlite's 9 MB of WebAssembly twice by default: all of it with its baseline
 * compiler at start, then hot functions again with its optimising one, keeping both. The
 * second copy and its compilations came to about 90 MB of an embedded server's memory while
 * the baseline code ran the database's statements as fast here (docs/benchmarks.md), so the
 * process keeps the baseline code only. Wasm compiler flags are read when a module compiles,
 * so this must run before the first PGlite starts; it changes no JavaScript compilation.
 */
function compileWasmOnce(): void {
  v8.setFlagsFromString('--liftoff-only');
}

/**
 * Opens the database in `pgDataDir`, or creates it: from the build's template when there is
 * one (see pglite-template.ts), else by running `initdb`. A template that fails to load is
 * cleared away and the store made the slow way, so a damaged build never loses a start.
 */
async function createPglite(pgDataDir: string, settings: PgliteSettings): Promise<PGlite> {
  compileWasmOnce();
  const options = {
    dataDir: pgDataDir,
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${settings.cacheMb}MB`],
  };
  const fresh = !existsSync(path.join(pgDataDir, 'PG_VERSION'));
  const template = fresh ? await readPgliteTemplate(settings.templateFile) : undefined;
  if (!template) return PGlite.create(options);
  try {
    return await PGlite.create({ ...options, loadDataDir: template });
  } catch {
    await rm(pgDataDir, { recursive: true, force: true });
    return PGlite.create(options);
  }
}

/**
 * PGlite turns each parameter into text with a serializer picked by the parameter's type and
 * has none for pgvector's `vector`, whose oid exists only once the extension does. A
 * pass-through lets the Buffers from `toVectorBinary` go to the server in binary format;
 * strings (text literals such as query vectors) still go as text.
 */
async function useBinaryVectorParameters(client: PGlite): Promise<void> {
  const { rows } = await client.query<{ oid: number | null }>(
    "SELECT to_regtype('vector')::oid::int AS oid",
  );
  const oid = rows[0]?.oid;
  if (oid) client.serializers[oid] = (value) => value;
}

/** PostgreSQL's fixed type oid of `bytea`. */
const BYTEA_OID = 17;

/**
 * PGlite 0.5 converts `bytea` values one byte at a time: parameters to `\x…` text through a
 * string per byte, results back with a `parseInt` per byte pair. An uploaded file of a few
 * megabytes then took a second and hundreds of megabytes of garbage. Its protocol layer sends
 * any Uint8Array parameter in binary format, which for `bytea` is the bytes themselves, so
 * the serializer passes them through; results still arrive as hex text, which Node decodes
 * natively. `Buffer.alloc` never hands out a slice of the shared pool, so each value owns its
 * memory whole, as with PGlite's own parser.
 */
function useFastBytea(client: PGlite): void {
  client.serializers[BYTEA_OID] = (value) => value;
  client.parsers[BYTEA_OID] = (text: string) => {
    const hex = text.slice(2);
    const bytes = Buffer.alloc(hex.length / 2);
    bytes.write(hex, 'hex');
    return bytes;
  };
}

async function lockDataDir(
  dataDir: string,
  onLockLost?: (error: Error) => void,
): Promise<() => Promise<void>> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, LOCK_FILE),
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: 0,
      onCompromised: (error) => {
        const lost = new StoreError(
          'store_lock_lost',
          `Lost the lock on ${dataDir}; another Quarry process may be using it.`,
          { cause: error },
        );
        if (onLockLost) onLockLost(lost);
        else throw lost;
      },
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOCKED') {
      throw new StoreLockedError(dataDir, LOCK_STALE_MS, { cause: error });
    }
    throw error;
  }

  return async () => {
    try {
      await release();
    } catch (error) {
      // After a compromised lock there is nothing left of ours to remove.
      if ((error as { code?: unknown }).code !== 'ERELEASED') throw error;
    }
  };
}
