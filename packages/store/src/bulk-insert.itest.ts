import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertChunksWithEmbeddings,
  resultRows,
  type ChunkInput,
  type DocumentRow,
} from './index.js';
import {
  createDocument,
  createFile,
  createProject,
  openTestStore,
  randomVector,
  STORE_KINDS,
  type TestStore,
} from './test-support/index.js';

const CHUNKS = 10_000;
const DIMENSION = 256;
const TERMS_PER_CHUNK = 100;
const CHUNKS_PER_CALL = 1_000;
/** The ingestion pipeline as a whole must keep up with 500 chunks/s; storing is one part. */
const REQUIRED_CHUNKS_PER_SECOND = 500;

const WORDS = 'granite limestone basalt quartz feldspar mica schist gneiss marble slate'.split(' ');

function chunkInputs(document: DocumentRow, from: number, count: number): ChunkInput[] {
  return Array.from({ length: count }, (_, i) => {
    const ordinal = from + i;
    const terms = Array.from(
      { length: TERMS_PER_CHUNK },
      (_, t) => `${WORDS[(ordinal + t) % WORDS.length]}${t % 37}`,
    );
    return {
      documentId: document.id,
      ordinal,
      text: terms.join(' '),
      startOffset: ordinal * 1_000,
      endOffset: ordinal * 1_000 + 999,
      terms,
      embedding: randomVector(DIMENSION),
    };
  });
}

describe.each(STORE_KINDS)('bulk chunk inserts on %s', (kind) => {
  let store: TestStore;

  beforeAll(async () => {
    store = await openTestStore(kind);
  });

  afterAll(async () => {
    await store?.cleanup();
  });

  it(`stores ${CHUNKS} chunks with ${DIMENSION}-dimension embeddings quickly`, async () => {
    const project = await createProject(store.db);
    const document = await createDocument(store.db, await createFile(store.db, project.id));
    const batches = Array.from({ length: CHUNKS / CHUNKS_PER_CALL }, (_, b) =>
      chunkInputs(document, b * CHUNKS_PER_CALL, CHUNKS_PER_CALL),
    );

    const started = performance.now();
    for (const chunks of batches) {
      await insertChunksWithEmbeddings(store.db, { projectId: project.id, modelId: 'm', chunks });
    }
    const seconds = (performance.now() - started) / 1000;

    const rate = Math.round(CHUNKS / seconds);
    console.log(
      `${kind}: stored ${CHUNKS} chunks + embeddings in ${seconds.toFixed(2)} s, ${rate}/s`,
    );
    const counted = await store.db.execute(sql`SELECT count(*)::int AS n FROM embeddings`);
    expect(resultRows<{ n: number }>(counted)[0]?.n).toBe(CHUNKS);
    expect(rate).toBeGreaterThan(REQUIRED_CHUNKS_PER_SECOND);
  });
});
