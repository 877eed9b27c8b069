/** Stable codes for every error the store raises on purpose. */
export const STORE_ERROR_CODES = [
  'store_locked',
  'store_lock_lost',
  'store_connection_failed',
  'store_open_failed',
  'store_config_invalid',
  'store_migration_failed',
  'store_write_failed',
  'duplicate_content',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** The one error type of `@quarry/store`; `code` is stable, `message` is meant for users. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Another process (or another store in this one) holds the embedded data directory. */
export class StoreLockedError extends StoreError {
  readonly dataDir: string;

  constructor(dataDir: string, staleAfterMs: number, options?: { cause?: unknown }) {
    super(
      'store_locked',
      `The data directory ${dataDir} is in use by another Quarry process. ` +
        'Stop that process or pass a different --data-dir. ' +
        `If that process crashed, the lock expires ${Math.round(staleAfterMs / 1000)} s after it died.`,
      options,
    );
    this.name = 'StoreLockedError';
    this.dataDir = dataDir;
  }
}

/** The PostgreSQL server could not be reached or refused us; the message never has a password. */
export class StoreConnectionError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_connection_failed', message, options);
    this.name = 'StoreConnectionError';
  }
}

/** A file with the same content is already an original in this project. */
export class DuplicateContentError extends StoreError {
  readonly projectId: string;
  readonly contentHash: string;

  constructor(projectId: string, contentHash: string, options?: { cause?: unknown }) {
    super(
      'duplicate_content',
      `A file with the same content (sha256 ${contentHash}) is already in this project.`,
      options,
    );
    this.name = 'DuplicateContentError';
    this.projectId = projectId;
    this.contentHash = contentHash;
  }
}

/** A PostgreSQL error as both drivers raise it: SQLSTATE `code`, and the constraint if any. */
export type PgError = Error & { code: string; constraint?: string };

/**
 * The PostgreSQL error behind `error`, if any. Drizzle wraps driver errors in
 * DrizzleQueryError with the original as `cause`, and the store's own errors keep it as
 * `cause` too; both drivers set `code` to the SQLSTATE.
 */
export function findPgError(error: unknown): PgError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return current as PgError;
    current = current.cause;
  }
  return undefined;
}

/** True when `error` is a unique violation, optionally of the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = findPgError(error);
  if (pgError?.code !== '23505') return false;
  return constraint === undefined || pgError.constraint === constraint;
}
