import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertChunksWithEmbeddings,
  nearestChunks,
  nearestChunksQuery,
  resultRows,
  vectorIndexName,
  type ProjectRow,
} from './index.js';
import {
  createChunks,
  createDocument,
  createFile,
  createProject,
  openTestStore,
  randomVector,
  STORE_KINDS,
  type TestStore,
} from './test-support/index.js';

const MODEL = 'hash-3';

describe.each(STORE_KINDS)('vector search on %s', (kind) => {
  let store: TestStore;
  let project: ProjectRow;
  let ids: number[];

  beforeAll(async () => {
    store = await openTestStore(kind);
    project = await createProject(store.db);
    const file = await createFile(store.db, project.id);
    const document = await createDocument(store.db, file);

    // Angles from the x axis: 0°, 30°, 90° and 180°, so the order from [1, 0, 0] is known.
    const directions = [
      [1, 0, 0],
      [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), 0],
      [0, 1, 0],
      [-1, 0, 0],
    ];
    ids = await insertChunksWithEmbeddings(store.db, {
      projectId: project.id,
      modelId: MODEL,
      chunks: directions.map((direction, ordinal) => ({
        documentId: document.id,
        ordinal,
        text: `direction ${ordinal}`,
        startOffset: 0,
        endOffset: 1,
        terms: [],
        embedding: Float32Array.from(direction),
      })),
    });
  });

  afterAll(async () => {
    await store?.cleanup();
  });

  it('returns the nearest chunks first, with cosine similarity', async () => {
    const hits = await nearestChunks(store.db, {
      projectId: project.id,
      modelId: MODEL,
      dimension: 3,
      query: Float32Array.from([2, 0, 0]),
      limit: 3,
    });

    expect(hits.map((hit) => hit.chunkId)).toEqual(ids.slice(0, 3));
    expect(hits[0]?.similarity).toBeCloseTo(1, 5);
    expect(hits[1]?.similarity).toBeCloseTo(Math.cos(Math.PI / 6), 5);
    expect(hits[2]?.similarity).toBeCloseTo(0, 5);
  });

  it('searches only the given project, model and dimension', async () => {
    const other = await createProject(store.db);
    const otherFile = await createFile(store.db, other.id);
    const otherDocument = await createDocument(store.db, otherFile);
    await createChunks(store.db, otherDocument, { count: 5, dimension: 3, modelId: MODEL });
    await createChunks(store.db, await createDocument(store.db, otherFile), {
      count: 2,
      dimension: 4,
      modelId: MODEL,
    });

    const hits = await nearestChunks(store.db, {
      projectId: project.id,
      modelId: MODEL,
      dimension: 3,
      query: Float32Array.from([0, 1, 0]),
      limit: 10,
    });
    const otherModel = await nearestChunks(store.db, {
      projectId: project.id,
      modelId: 'another-model',
      dimension: 3,
      query: Float32Array.from([0, 1, 0]),
      limit: 10,
    });

    expect(hits.map((hit) => hit.chunkId).sort()).toEqual([...ids].sort());
    expect(hits[0]?.chunkId).toBe(ids[2]);
    expect(otherModel).toEqual([]);
  });

  it('refuses a query vector of the wrong length', () => {
    expect(() =>
      nearestChunksQuery(store.db, {
        projectId: project.id,
        modelId: MODEL,
        dimension: 3,
        query: Float32Array.from([1, 0]),
        limit: 1,
      }),
    ).toThrow(/2 dimensions, expected 3/);
  });

  if (kind === 'pglite') {
    it('does not build HNSW indexes in embedded mode', async () => {
      await store.ensureVectorIndex(3);

      const indexes = await store.db.execute(
        `SELECT indexname FROM pg_indexes WHERE indexname = '${vectorIndexName(3)}'`,
      );
      expect(resultRows(indexes)).toEqual([]);
    });
  }

  if (kind === 'postgres') {
    it('builds a partial HNSW index per dimension that the planner uses', async () => {
      await store.ensureVectorIndex(3);
      await store.ensureVectorIndex(3);

      const client = await connect(store);
      try {
        const index = await client.query<{ indexdef: string }>(
          'SELECT indexdef FROM pg_indexes WHERE indexname = $1',
          [vectorIndexName(3)],
        );
        expect(index.rows[0]?.indexdef).toMatch(/USING hnsw .*vector_cosine_ops.*dimension = 3/);

        const query = nearestChunksQuery(store.db, {
          projectId: project.id,
          modelId: MODEL,
          dimension: 3,
          query: Float32Array.from([1, 0, 0]),
          limit: 2,
        }).toSQL();
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const plan = await client.query(`EXPLAIN ${query.sql}`, query.params);
        await client.query('ROLLBACK');

        const text = plan.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
        expect(text).toContain(vectorIndexName(3));
      } finally {
        await client.end();
      }
    });

    it('uses the HNSW index for a large project once its statistics are refreshed', async () => {
      const large = await createProject(store.db);
      const file = await createFile(store.db, large.id);
      const document = await createDocument(store.db, file);
      await insertChunksWithEmbeddings(store.db, {
        projectId: large.id,
        modelId: 'random-8',
        chunks: Array.from({ length: 40_000 }, (_, ordinal) => ({
          documentId: document.id,
          ordinal,
          text: `chunk ${ordinal}`,
          startOffset: 0,
          endOffset: 1,
          terms: [],
          embedding: randomVector(8),
        })),
      });

      // The index built after the rows, as pgvector builds it fastest; a fit inserts into it.
      await store.ensureVectorIndex(8);
      // Without this the planner reads all 40,000 rows and sorts them (checked).
      await store.refreshVectorStatistics();

      // No planner setting forced: what a search in this project actually runs.
      const query = nearestChunksQuery(store.db, {
        projectId: large.id,
        modelId: 'random-8',
        dimension: 8,
        query: randomVector(8),
        limit: 100,
      }).toSQL();
      const client = await connect(store);
      try {
        const plan = await client.query(`EXPLAIN ${query.sql}`, query.params);
        const text = plan.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
        expect(text).toContain(`Index Scan using ${vectorIndexName(8)}`);
      } finally {
        await client.end();
      }
    });

    it('rebuilds an index whose concurrent build died', async () => {
      const client = await connect(store);
      try {
        await store.ensureVectorIndex(4);
        await client.query(
          `UPDATE pg_index SET indisvalid = false
            WHERE indexrelid = $1::regclass`,
          [vectorIndexName(4)],
        );

        await store.ensureVectorIndex(4);

        const valid = await client.query<{ indisvalid: boolean }>(
          'SELECT indisvalid FROM pg_index WHERE indexrelid = $1::regclass',
          [vectorIndexName(4)],
        );
        expect(valid.rows[0]?.indisvalid).toBe(true);
      } finally {
        await client.end();
      }
    });
  }
});

async function connect(store: TestStore): Promise<Client> {
  if (store.config.kind !== 'postgres') throw new Error('needs a PostgreSQL test store');
  const client = new Client({ connectionString: store.config.url });
  await client.connect();
  return client;
}
