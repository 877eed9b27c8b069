import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openStore } from '../open-store.js';
import type { Store, StoreConfig } from '../store-types.js';

/** The two databases every store behaviour is tested on. */
export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type TestStoreKind = (typeof STORE_KINDS)[number];

export interface TestStore extends Store {
  /** The config it was opened with, to open the same database again. */
  readonly config: StoreConfig;
  /** Closes the store and deletes its database (temp directory or scratch database). */
  cleanup(): Promise<void>;
}

const DEFAULT_TEST_DATABASE_URL = 'postgres://quarry:quarry@127.0.0.1:5432/quarry_test';

/** The admin URL used to create scratch databases (`QUARRY_TEST_DATABASE_URL`). */
export function testDatabaseUrl(): string {
  return process.env.QUARRY_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

/**
 * A migrated store nothing else uses: PGlite in a fresh temp directory, or a fresh
 * `quarry_t_<random>` database on the test server.
 */
export async function openTestStore(kind: TestStoreKind): Promise<TestStore> {
  return kind === 'pglite' ? openPgliteTestStore() : openPostgresTestStore();
}

async function openPgliteTestStore(): Promise<TestStore> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'quarry-store-test-'));
  const config: StoreConfig = { kind: 'embedded', dataDir };
  const store = await openStore(config);
  await store.migrate();

  return {
    ...store,
    config,
    async cleanup() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTestStore(): Promise<TestStore> {
  const adminUrl = testDatabaseUrl();
  const name = `quarry_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
  });

  const url = databaseUrl(adminUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } finally {
    await client.end();
  }

  const config: StoreConfig = { kind: 'postgres', url, pool: { max: 4 } };
  const store = await openStore(config);
  await store.migrate();

  return {
    ...store,
    config,
    async cleanup() {
      await store.close();
      await withAdmin(adminUrl, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}

async function withAdmin(url: string, work: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
