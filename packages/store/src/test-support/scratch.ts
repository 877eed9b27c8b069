import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { StoreConfig } from '../store-types.js';

/** The two databases every store behaviour is tested on. */
export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type TestStoreKind = (typeof STORE_KINDS)[number];

const DEFAULT_TEST_DATABASE_URL = 'postgres://quarry:quarry@127.0.0.1:5432/quarry_test';

/** The admin URL used to create scratch databases (`QUARRY_TEST_DATABASE_URL`). */
export function testDatabaseUrl(): string {
  return process.env.QUARRY_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

export interface ScratchStore {
  /** Config of an empty database nothing else uses; open it with `openStore` or a server. */
  config: StoreConfig;
  /** Deletes the database; the store must be closed first. */
  drop(): Promise<void>;
}

/**
 * A fresh, unopened database: a temp directory for PGlite, or a new database with pgvector
 * on the test PostgreSQL server. For tests of code that opens (and reopens) stores itself.
 */
export async function createScratchStoreConfig(kind: TestStoreKind): Promise<ScratchStore> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'quarry-scratch-'));
    return {
      config: { kind: 'embedded', dataDir },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = testDatabaseUrl();
  const name = `quarry_t_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await withClient(url.toString(), (client) =>
    client.query('CREATE EXTENSION IF NOT EXISTS vector'),
  );
  return {
    config: { kind: 'postgres', url: url.toString(), pool: { max: 4 } },
    drop: () =>
      withClient(adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ),
  };
}

async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
