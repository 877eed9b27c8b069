import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgError, openStore, resultRows, StoreConnectionError, type Store } from './index.js';
import {
  createScratchStoreConfig,
  openTestStore,
  shippedMigrationCount,
  testDatabaseUrl,
  type TestStore,
} from './test-support/index.js';

describe('postgres store pool', () => {
  let scratch: TestStore;
  let store: Store;

  beforeAll(async () => {
    scratch = await openTestStore('postgres');
    if (scratch.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test store');
    store = await openStore({
      kind: 'postgres',
      url: scratch.config.url,
      pool: { max: 2, statementTimeoutMs: 1_500, idleTimeoutMs: 5_000, connectionTimeoutMs: 3_000 },
    });
  });

  afterAll(async () => {
    await store?.close();
    await scratch?.cleanup();
  });

  it('applies the statement timeout to every pooled connection', async () => {
    const shown = await Promise.all(
      [1, 2, 3].map(() => store.db.execute(sql`SHOW statement_timeout`)),
    );

    expect(shown.map((result) => resultRows<{ statement_timeout: string }>(result)[0])).toEqual([
      { statement_timeout: '1500ms' },
      { statement_timeout: '1500ms' },
      { statement_timeout: '1500ms' },
    ]);
  });

  it('cancels a statement that runs past the timeout', async () => {
    const error: unknown = await store.db.execute(sql`SELECT pg_sleep(3)`).catch((e) => e);

    expect(findPgError(error)?.code).toBe('57014'); // query_canceled
  });

  it('keeps the statement timeout after migrating and indexing', async () => {
    await store.migrate();
    await store.ensureVectorIndex(5);

    const results = await Promise.all(
      [1, 2].map(() => store.db.execute(sql`SHOW statement_timeout`)),
    );

    for (const result of results) {
      expect(resultRows<{ statement_timeout: string }>(result)[0]?.statement_timeout).toBe(
        '1500ms',
      );
    }
  });

  it('lets filtered HNSW searches keep scanning until they fill the limit', async () => {
    await store.db.execute(sql`SELECT '[1]'::vector`);
    const shown = await store.db.execute(sql`SHOW hnsw.iterative_scan`);

    expect(resultRows<{ 'hnsw.iterative_scan': string }>(shown)[0]?.['hnsw.iterative_scan']).toBe(
      'strict_order',
    );
  });
});

describe('postgres store migrations', () => {
  it('applies each migration once when two servers migrate the same database at once', async () => {
    const scratch = await createScratchStoreConfig('postgres');
    const servers = [await openStore(scratch.config), await openStore(scratch.config)];
    try {
      await Promise.all(servers.map((server) => server.migrate()));

      const applied = await servers[0]!.db.execute(
        sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
      );
      expect(resultRows<{ n: number }>(applied)[0]?.n).toBe(shippedMigrationCount());
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await scratch.drop();
    }
  });
});

describe('postgres store connection errors', () => {
  const admin = new URL(testDatabaseUrl());

  function urlWith(changes: { port?: string; password?: string; database?: string }) {
    const url = new URL(admin);
    if (changes.port) url.port = changes.port;
    if (changes.password) url.password = changes.password;
    if (changes.database) url.pathname = `/${changes.database}`;
    return url.toString();
  }

  it('names an unreachable server without showing the password', async () => {
    const url = urlWith({ port: '1', password: 'Sekr3t-pass' });

    const opening = openStore({ kind: 'postgres', url, pool: { connectionTimeoutMs: 2_000 } });

    await expect(opening).rejects.toBeInstanceOf(StoreConnectionError);
    await expect(opening).rejects.toMatchObject({ code: 'store_connection_failed' });
    await expect(opening).rejects.toThrow(/Could not connect to PostgreSQL at postgres:\/\/.*:1\//);
    await expect(opening).rejects.toThrow(/\*\*\*/);
    await expect(opening).rejects.not.toThrow(/Sekr3t/);
  });

  it('reports a refused login without showing the password', async () => {
    // The local test server trusts 127.0.0.1, so an unknown role is what gets refused.
    const url = new URL(admin);
    url.username = 'quarry_nobody';
    url.password = 'not-the-Password-42';

    const opening = openStore({ kind: 'postgres', url: url.toString() });

    await expect(opening).rejects.toBeInstanceOf(StoreConnectionError);
    await expect(opening).rejects.toThrow(/quarry_nobody/);
    await expect(opening).rejects.not.toThrow(/not-the-Password-42/);
  });

  it('reports a database that does not exist', async () => {
    const opening = openStore({
      kind: 'postgres',
      url: urlWith({ database: 'quarry_missing_db' }),
    });

    await expect(opening).rejects.toThrow(/database "quarry_missing_db" does not exist/);
  });

  it.each([
    ['a string that is not a URL', 'localhost quarry hunter22', /not valid/],
    ['a URL without a scheme', 'quarry:hunter22@localhost/db', /must start with postgres:\/\//],
    ['another scheme', 'mysql://quarry:hunter22@localhost/db', /must start with postgres:\/\//],
  ])('refuses %s without echoing it', async (_, url, message) => {
    const opening = openStore({ kind: 'postgres', url });

    await expect(opening).rejects.toBeInstanceOf(StoreConnectionError);
    await expect(opening).rejects.toThrow(message);
    await expect(opening).rejects.not.toThrow(/hunter22/);
  });
});
