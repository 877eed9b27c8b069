import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LSA_OPTIONS } from '@quarry/core';

const MiB = 1024 * 1024;

const storeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('embedded'),
    dataDir: z.string().min(1).describe('Folder holding the embedded database and its lock.'),
    cacheMb: z
      .number()
      .int()
      .min(1)
      .max(65_536)
      .optional()
      .describe('Megabytes of database pages the embedded database caches (default 16).'),
  }),
  z.object({
    kind: z.literal('postgres'),
    url: z.string().url().describe('postgres://user:password@host:port/database'),
    pool: z
      .object({
        max: z.number().int().min(1).max(200).default(10),
        idleTimeoutMs: z.number().int().min(0).default(30_000),
        statementTimeoutMs: z.number().int().min(0).default(30_000),
        connectionTimeoutMs: z.number().int().min(0).default(5_000),
      })
      .default({
        max: 10,
        idleTimeoutMs: 30_000,
        statementTimeoutMs: 30_000,
        connectionTimeoutMs: 5_000,
      }),
  }),
]);

/** Every setting Quarry reads, with its default. Validated once at start-up. */
const authDefaults = {
  signupEnabled: true,
  initialAdminEmail: undefined,
  sessionDays: 14,
  minPasswordLength: 10,
  maxFailedLogins: 5,
  lockoutMinutes: 15,
  resetTokenMinutes: 30,
  invitationDays: 14,
  secureCookies: false,
};

const rateLimitDefaults = { windowMs: 60_000, authPerIp: 20, authPerAccount: 10, apiPerKey: 600 };

const authSchema = z
  .object({
    signupEnabled: z.boolean().default(true).describe('Whether anyone may create an account.'),
    initialAdminEmail: z
      .string()
      .email()
      .optional()
      .describe('The account made administrator on sign-up; otherwise the first account.'),
    sessionDays: z.number().int().min(1).max(365).default(14),
    minPasswordLength: z.number().int().min(8).max(128).default(10),
    maxFailedLogins: z.number().int().min(1).max(100).default(5),
    lockoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    resetTokenMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    invitationDays: z.number().int().min(1).max(90).default(14),
    secureCookies: z
      .boolean()
      .default(false)
      .describe('Mark cookies Secure; turn on when Quarry is served over HTTPS.'),
  })
  .default(authDefaults);

const rateLimitSchema = z
  .object({
    windowMs: z.number().int().min(1_000).default(60_000),
    authPerIp: z.number().int().min(1).default(20).describe('Log-in, sign-up, reset per IP.'),
    authPerAccount: z.number().int().min(1).default(10).describe('The same, per e-mail address.'),
    apiPerKey: z.number().int().min(1).default(600).describe('Requests per API key and window.'),
  })
  .default(rateLimitDefaults);

const mailSchema = z
  .object({
    smtpUrl: z
      .string()
      .url()
      .optional()
      .describe('smtp://user:pass@host:port; without it, e-mails are written to the log.'),
    from: z.string().default('Quarry <quarry@localhost>'),
  })
  .default({ from: 'Quarry <quarry@localhost>' });

export const settingsSchema = z.object({
  host: z.string().default('127.0.0.1').describe('Address the HTTP server listens on.'),
  port: z.number().int().min(0).max(65_535).default(7700),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  store: storeSchema,
  publicUrl: z
    .string()
    .url()
    .optional()
    .describe('Address users reach Quarry at, for links in e-mails; defaults to host and port.'),
  auth: authSchema,
  rateLimit: rateLimitSchema,
  mail: mailSchema,
  broker: z
    .object({
      url: z
        .string()
        .url()
        .optional()
        .describe('amqp://user:pass@host:5672 — RabbitMQ carries jobs between server processes.'),
      queue: z.string().min(1).default('quarry.jobs'),
    })
    .default({ queue: 'quarry.jobs' }),
  web: z
    .object({
      dir: z
        .string()
        .min(1)
        .transform((dir) => resolve(dir))
        .optional()
        .describe('Folder of the built web app served at /; without it only the API is served.'),
      assetOrigin: z
        .string()
        .url()
        .transform((url) => new URL(url).origin)
        .optional()
        .describe(
          'Where the built assets are served from when not from Quarry (a CDN): ' +
            'allowed in the CSP.',
        ),
    })
    .default({}),
  limits: z
    .object({
      maxFileBytes: z
        .number()
        .int()
        .positive()
        .default(50 * MiB),
      maxDecompressedBytes: z
        .number()
        .int()
        .positive()
        .default(200 * MiB),
      maxPages: z.number().int().positive().default(2_000),
      maxFilesPerUpload: z.number().int().positive().default(1_000),
    })
    .default({
      maxFileBytes: 50 * MiB,
      maxDecompressedBytes: 200 * MiB,
      maxPages: 2_000,
      maxFilesPerUpload: 1_000,
    }),
  chunking: z
    .object({
      targetChars: z.number().int().min(100).default(1_200),
      maxChars: z.number().int().min(200).default(2_000),
      overlapChars: z.number().int().min(0).default(150),
    })
    .refine(
      (c) => c.targetChars <= c.maxChars,
      'the target chunk length (QUARRY_CHUNK_TARGET_CHARS) must not exceed the maximum',
    )
    .refine(
      (c) => c.overlapChars < c.targetChars,
      'the chunk overlap (QUARRY_CHUNK_OVERLAP_CHARS) must be below the target length',
    )
    .default({ targetChars: 1_200, maxChars: 2_000, overlapChars: 150 }),
  bm25: z
    .object({
      k1: z.number().min(0).max(10).default(0.9),
      b: z.number().min(0).max(1).default(0.4),
    })
    .default({ k1: 0.9, b: 0.4 }),
  embedding: z
    .object({
      dimension: z
        .number()
        .int()
        .min(8)
        .max(2_048)
        .default(DEFAULT_LSA_OPTIONS.dimension)
        .describe('Length of the vectors the built-in embedder learns per project'),
    })
    .default({ dimension: DEFAULT_LSA_OPTIONS.dimension }),
  jobs: z
    .object({
      pollIntervalMs: z.number().int().min(10).default(250),
      maxAttempts: z.number().int().min(1).max(20).default(3),
      lockTimeoutMs: z
        .number()
        .int()
        .min(1_000)
        .default(10 * 60_000),
      runWorker: z.boolean().default(true),
    })
    .default({ pollIntervalMs: 250, maxAttempts: 3, lockTimeoutMs: 600_000, runWorker: true }),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Raised when settings are invalid; lists every bad key at once. */
export class SettingsError extends Error {
  readonly code = 'invalid_settings';
  constructor(readonly problems: string[]) {
    super(`Quarry's settings are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function defaultDataDir(cwd = process.cwd()): string {
  return resolve(cwd, '.quarry');
}

export function parseSettings(input: unknown): Settings {
  return parseWithNames(input, () => undefined, []);
}

/**
 * Parses `input`, reporting each problem by its environment variable where it has one, after
 * the `earlier` problems found while reading the environment.
 */
function parseWithNames(
  input: unknown,
  nameOf: (path: string) => string | undefined,
  earlier: string[],
): Settings {
  const result = settingsSchema.safeParse(input);
  if (result.success && earlier.length === 0) return result.data;
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const path = issue.path.join('.');
        return `${nameOf(path) ?? (path || '(root)')}: ${issue.message}`;
      });
  throw new SettingsError([...earlier, ...problems]);
}

type Env = Record<string, string | undefined>;

type Reader = 'text' | 'int' | 'float' | 'bool' | 'absoluteUrl';

/** Each setting read from the environment: where it goes, its variable, how it is read. */
type EnvSetting = readonly [path: string, key: string, reader: Reader];

const ENV_SETTINGS: readonly EnvSetting[] = [
  ['host', 'QUARRY_HOST', 'text'],
  ['port', 'QUARRY_PORT', 'int'],
  ['logLevel', 'QUARRY_LOG_LEVEL', 'text'],
  ['publicUrl', 'QUARRY_PUBLIC_URL', 'text'],
  ['auth.signupEnabled', 'QUARRY_SIGNUP_ENABLED', 'bool'],
  ['auth.initialAdminEmail', 'QUARRY_ADMIN_EMAIL', 'text'],
  ['auth.sessionDays', 'QUARRY_SESSION_DAYS', 'int'],
  ['auth.maxFailedLogins', 'QUARRY_MAX_FAILED_LOGINS', 'int'],
  ['auth.lockoutMinutes', 'QUARRY_LOCKOUT_MINUTES', 'int'],
  ['auth.secureCookies', 'QUARRY_SECURE_COOKIES', 'bool'],
  ['rateLimit.windowMs', 'QUARRY_RATE_LIMIT_WINDOW_MS', 'int'],
  ['rateLimit.authPerIp', 'QUARRY_RATE_LIMIT_AUTH_PER_IP', 'int'],
  ['rateLimit.authPerAccount', 'QUARRY_RATE_LIMIT_AUTH_PER_ACCOUNT', 'int'],
  ['rateLimit.apiPerKey', 'QUARRY_RATE_LIMIT_API_PER_KEY', 'int'],
  ['mail.smtpUrl', 'QUARRY_SMTP_URL', 'text'],
  ['mail.from', 'QUARRY_MAIL_FROM', 'text'],
  ['broker.url', 'QUARRY_AMQP_URL', 'text'],
  ['broker.queue', 'QUARRY_AMQP_QUEUE', 'text'],
  ['web.dir', 'QUARRY_WEB_DIR', 'text'],
  // The base URL the web app was built with; only an absolute one names another origin.
  ['web.assetOrigin', 'QUARRY_WEB_BASE_URL', 'absoluteUrl'],
  ['limits.maxFileBytes', 'QUARRY_MAX_FILE_BYTES', 'int'],
  ['limits.maxDecompressedBytes', 'QUARRY_MAX_DECOMPRESSED_BYTES', 'int'],
  ['limits.maxPages', 'QUARRY_MAX_PAGES', 'int'],
  ['chunking.targetChars', 'QUARRY_CHUNK_TARGET_CHARS', 'int'],
  ['chunking.maxChars', 'QUARRY_CHUNK_MAX_CHARS', 'int'],
  ['chunking.overlapChars', 'QUARRY_CHUNK_OVERLAP_CHARS', 'int'],
  ['bm25.k1', 'QUARRY_BM25_K1', 'float'],
  ['bm25.b', 'QUARRY_BM25_B', 'float'],
];

const EMBEDDED_STORE_SETTINGS: readonly EnvSetting[] = [
  ['store.dataDir', 'QUARRY_DATA_DIR', 'text'],
  ['store.cacheMb', 'QUARRY_DB_CACHE_MB', 'int'],
];

const POSTGRES_STORE_SETTINGS: readonly EnvSetting[] = [
  ['store.url', 'QUARRY_DATABASE_URL', 'text'],
  ['store.pool.max', 'QUARRY_DB_POOL_MAX', 'int'],
  ['store.pool.idleTimeoutMs', 'QUARRY_DB_IDLE_TIMEOUT_MS', 'int'],
  ['store.pool.statementTimeoutMs', 'QUARRY_DB_STATEMENT_TIMEOUT_MS', 'int'],
  ['store.pool.connectionTimeoutMs', 'QUARRY_DB_CONNECT_TIMEOUT_MS', 'int'],
];

/** The value of `key` read as `reader` says; a value it cannot read is a problem. */
function readEnv(env: Env, key: string, reader: Reader, problems: string[]): unknown {
  const raw = env[key];
  if (reader === 'text') return raw;
  if (reader === 'absoluteUrl') return /^https?:\/\//.test(raw ?? '') ? raw : undefined;
  if (raw === undefined || raw === '') return undefined;
  if (reader === 'bool') {
    const word = raw.trim().toLowerCase();
    if (word === '') return undefined;
    if (['1', 'true', 'yes', 'on'].includes(word)) return true;
    if (['0', 'false', 'no', 'off'].includes(word)) return false;
    problems.push(`${key}: expected true or false, got "${raw}"`);
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    problems.push(`${key}: expected a number, got "${raw}"`);
    return undefined;
  }
  if (reader === 'int' && !Number.isInteger(value)) {
    problems.push(`${key}: expected a whole number, got "${raw}"`);
    return undefined;
  }
  return value;
}

/** Sets `value` at a dotted `path` of `target`, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/**
 * Settings from environment variables (QUARRY_*), merged over `overrides` from the
 * command line. A database URL switches Quarry to server mode on PostgreSQL.
 */
export function settingsFromEnv(env: Env = process.env, overrides: Partial<SettingsInput> = {}) {
  const problems: string[] = [];
  const server = Boolean(env.QUARRY_DATABASE_URL);
  const read = [...ENV_SETTINGS, ...(server ? POSTGRES_STORE_SETTINGS : EMBEDDED_STORE_SETTINGS)];
  const input: Record<string, unknown> = { store: { kind: server ? 'postgres' : 'embedded' } };
  for (const [path, key, reader] of read) {
    const value = readEnv(env, key, reader, problems);
    if (value !== undefined) setPath(input, path, value);
  }
  if (!server) (input.store as { dataDir?: string }).dataDir ??= defaultDataDir();

  // Values that are not numbers were left out above; the rest are checked all the same, so
  // that every problem is reported at once, by its variable unless the command line set it.
  const names = new Map<string, string>(read.map(([path, key]) => [path, key]));
  names.set('chunking', 'QUARRY_CHUNK_*');
  const overridden = new Set(Object.keys(overrides));
  return parseWithNames(
    stripUndefined({ ...input, ...overrides }),
    (path) => (overridden.has(path.split('.')[0]!) ? undefined : names.get(path)),
    problems,
  );
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stripUndefined(v)]),
    );
  }
  return value;
}

/** Where the CLI looks for a running server's address, written by `quarry serve`. */
export function serverFilePath(dataDir: string): string {
  return resolve(dataDir, 'server.json');
}

export const userConfigDir = () => resolve(homedir(), '.config', 'quarry');
