import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunks,
  documents,
  embeddings,
  fileBlobs,
  files,
  insertChunksWithEmbeddings,
  isUniqueViolation,
  outbox,
  projects,
  resultRows,
  StoreError,
} from './index.js';
import {
  createDocument,
  createFile,
  createProject,
  openTestStore,
  shippedMigrationCount,
  STORE_KINDS,
  type TestStore,
} from './test-support/index.js';

describe.each(STORE_KINDS)('schema on %s', (kind) => {
  let store: TestStore;

  beforeAll(async () => {
    store = await openTestStore(kind);
  });

  afterAll(async () => {
    await store?.cleanup();
  });

  it('applies migrations a second time without changing anything', async () => {
    await store.migrate();
    await store.migrate();

    const applied = await store.db.execute(
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    );
    expect(resultRows<{ n: number }>(applied)[0]?.n).toBe(shippedMigrationCount());
  });

  it('round-trips a project, a file with a Unicode name, a document, chunks and vectors', async () => {
    const project = await createProject(store.db, { slug: 'notes', name: 'Notes' });
    const name = 'Café “Überblick” — 東京の資料 ①.pdf';
    const file = await createFile(store.db, project.id, { name, sizeBytes: 3 });
    await store.db
      .insert(fileBlobs)
      .values({ fileId: file.id, bytes: new Uint8Array([0, 1, 255]) });
    const document = await createDocument(store.db, file, {
      externalId: 'doc-7',
      pageCount: 2,
      pages: [
        { page: 1, start: 0, end: 30 },
        { page: 2, start: 30, end: 61 },
      ],
    });
    const vector = Float32Array.from([0.1, -0.25, 3e-5, 1 / 3]);
    const [chunkId] = await insertChunksWithEmbeddings(store.db, {
      projectId: project.id,
      modelId: 'hash-4',
      chunks: [
        {
          documentId: document.id,
          ordinal: 0,
          text: 'Granite splits along its grain.',
          startOffset: 0,
          endOffset: 31,
          page: 1,
          terms: ['granit', 'split', 'along', 'grain', "o'neil", 'naïve', '東京'],
          embedding: vector,
        },
      ],
    });

    const storedFile = await store.db.query.files.findFirst({ where: eq(files.id, file.id) });
    expect(storedFile?.name).toBe(name);
    expect(storedFile?.state).toBe('queued');
    expect(storedFile?.createdAt).toBeInstanceOf(Date);

    const [blob] = await store.db.select().from(fileBlobs).where(eq(fileBlobs.fileId, file.id));
    expect(Array.from(blob?.bytes ?? [])).toEqual([0, 1, 255]);

    const [storedDocument] = await store.db
      .select()
      .from(documents)
      .where(eq(documents.id, document.id));
    expect(storedDocument?.pages).toEqual([
      { page: 1, start: 0, end: 30 },
      { page: 2, start: 30, end: 61 },
    ]);
    // Stored as a JSON array, not as a JSON string holding one.
    const pagesType = await store.db.execute(
      sql`SELECT jsonb_typeof(pages) AS type FROM documents WHERE id = ${document.id}`,
    );
    expect(resultRows<{ type: string }>(pagesType)[0]?.type).toBe('array');

    const [chunk] = await store.db
      .select()
      .from(chunks)
      .where(eq(chunks.id, chunkId as number));
    expect(typeof chunk?.id).toBe('number');
    expect(chunk?.terms).toEqual(['granit', 'split', 'along', 'grain', "o'neil", 'naïve', '東京']);
    expect(chunk?.termCount).toBe(7);

    const [embedding] = await store.db
      .select()
      .from(embeddings)
      .where(eq(embeddings.chunkId, chunkId as number));
    expect(embedding?.vector).toBeInstanceOf(Float32Array);
    expect(Array.from(embedding?.vector ?? [])).toEqual(Array.from(vector));
    expect(embedding?.dimension).toBe(4);
  });

  it('stores bytes as bytes: every byte value, a large value and an empty one', async () => {
    const project = await createProject(store.db, { slug: 'bytes', name: 'Bytes' });
    const values = [
      Uint8Array.from({ length: 512 }, (_, i) => i % 256),
      Uint8Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251),
      new Uint8Array(0),
    ];
    for (const [i, bytes] of values.entries()) {
      const file = await createFile(store.db, project.id, {
        name: `b${i}`,
        sizeBytes: bytes.length,
      });
      await store.db.insert(fileBlobs).values({ fileId: file.id, bytes });

      // The server sees the bytes themselves, not a text rendering of them.
      const measured = await store.db.execute(
        sql`SELECT octet_length(bytes) AS n, encode(sha256(bytes), 'hex') AS hash
            FROM file_blobs WHERE file_id = ${file.id}`,
      );
      expect(resultRows<{ n: number; hash: string }>(measured)[0]).toEqual({
        n: bytes.length,
        hash: createHash('sha256').update(bytes).digest('hex'),
      });
      const [blob] = await store.db.select().from(fileBlobs).where(eq(fileBlobs.fileId, file.id));
      expect(blob?.bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(blob!.bytes).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('deletes a document’s chunks and embeddings with it, in one transaction', async () => {
    const project = await createProject(store.db);
    const file = await createFile(store.db, project.id);
    const document = await createDocument(store.db, file);
    const ids = await insertChunksWithEmbeddings(store.db, {
      projectId: project.id,
      modelId: 'hash-3',
      chunks: [0, 1, 2].map((ordinal) => ({
        documentId: document.id,
        ordinal,
        text: `part ${ordinal}`,
        startOffset: ordinal,
        endOffset: ordinal + 1,
        terms: ['part'],
        embedding: Float32Array.from([ordinal, 1, 0]),
      })),
    });
    expect(ids).toHaveLength(3);

    await store.db.transaction(async (tx) => {
      await tx.delete(documents).where(eq(documents.id, document.id));
    });

    const left = await store.db
      .select({ n: sql<number>`count(*)::int` })
      .from(chunks)
      .where(eq(chunks.documentId, document.id));
    const vectorsLeft = await store.db
      .select({ n: sql<number>`count(*)::int` })
      .from(embeddings)
      .where(eq(embeddings.projectId, project.id));
    expect(left[0]?.n).toBe(0);
    expect(vectorsLeft[0]?.n).toBe(0);
  });

  it('rolls back every chunk of a batch when one of them is refused', async () => {
    const project = await createProject(store.db);
    const file = await createFile(store.db, project.id);
    const document = await createDocument(store.db, file);
    const chunk = (ordinal: number) => ({
      documentId: document.id,
      ordinal,
      text: 'x',
      startOffset: 0,
      endOffset: 1,
      terms: ['x'],
    });

    const error: unknown = await insertChunksWithEmbeddings(store.db, {
      projectId: project.id,
      chunks: [chunk(0), chunk(1), chunk(1)],
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'store_write_failed' });
    expect(isUniqueViolation(error, 'chunks_document_ordinal_unique')).toBe(true);
    // The message names the cause without repeating the batch's parameters.
    expect((error as Error).message.length).toBeLessThan(300);

    const left = await store.db.select().from(chunks).where(eq(chunks.documentId, document.id));
    expect(left).toEqual([]);
  });

  it('stores unpaired surrogates from broken extractions as replacement characters', async () => {
    const project = await createProject(store.db);
    const document = await createDocument(store.db, await createFile(store.db, project.id));

    const [id] = await insertChunksWithEmbeddings(store.db, {
      projectId: project.id,
      chunks: [
        {
          documentId: document.id,
          ordinal: 0,
          text: 'broken \uD800 text 😀',
          startOffset: 0,
          endOffset: 16,
          terms: ['broken', '\uDC00'],
        },
      ],
    });

    const [chunk] = await store.db
      .select()
      .from(chunks)
      .where(eq(chunks.id, id as number));
    expect(chunk?.text).toBe('broken \uFFFD text 😀');
    expect(chunk?.terms).toEqual(['broken', '\uFFFD']);
  });

  it('deletes everything of a project with the project', async () => {
    const project = await createProject(store.db);
    const file = await createFile(store.db, project.id);
    await createDocument(store.db, file);
    await store.db.insert(outbox).values({ topic: 'project.deleted', payload: { id: project.id } });

    await store.db.delete(projects).where(eq(projects.id, project.id));

    expect(await store.db.select().from(files).where(eq(files.projectId, project.id))).toEqual([]);
    expect(
      await store.db.select().from(documents).where(eq(documents.projectId, project.id)),
    ).toEqual([]);
  });

  it('stores outbox payloads as JSON and lists unpublished rows', async () => {
    await store.db.insert(outbox).values({ topic: 'file.indexed', payload: { chunks: 3 } });

    const pending = await store.db
      .select()
      .from(outbox)
      .where(sql`${outbox.publishedAt} IS NULL AND ${outbox.topic} = 'file.indexed'`);
    expect(pending.map((row) => row.payload)).toEqual([{ chunks: 3 }]);
  });
});
