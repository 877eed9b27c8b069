import { afterEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { chunks, documents, files, jobs } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { LOCAL_ADMIN } from '../caller.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

const text = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `Paragraph ${i} about turbine blade vibration and bearing wear.`,
  ).join('\n\n');

describe.each(STORE_KINDS)('durable ingestion jobs on %s', (kind) => {
  let t: TestQuarry | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('keeps an accepted upload through a crash and processes it after restart', async () => {
    t = await startTestQuarry(kind, { jobs: { lockTimeoutMs: 1_000 } }, { runWorker: false });
    await t.quarry.projects.create(LOCAL_ADMIN, { name: 'notes' });
    const [accepted] = await t.quarry.ingest.upload(LOCAL_ADMIN, 'notes', [
      { name: 'log.txt', bytes: new TextEncoder().encode(text(5)) },
    ]);
    expect(accepted!.state).toBe('queued');

    // A worker takes the job and dies before finishing it.
    const claimed = await t.quarry.queue.claim('worker-that-crashes');
    expect(claimed?.fileId).toBe(accepted!.fileId);
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const quarry = await t.restart({ runWorker: true });
    await quarry.drain();
    const [file] = await quarry.store.db.select().from(files).where(eq(files.id, accepted!.fileId));
    expect(file!.state).toBe('indexed');
    const [job] = await quarry.store.db
      .select()
      .from(jobs)
      .where(eq(jobs.fileId, accepted!.fileId));
    expect(job!.state).toBe('succeeded');
    expect(job!.attempts).toBe(2);
  });

  it('does not double anything when a finished job runs again', async () => {
    t = await startTestQuarry(kind);
    await t.quarry.projects.create(LOCAL_ADMIN, { name: 'notes' });
    const [accepted] = await t.quarry.ingest.upload(LOCAL_ADMIN, 'notes', [
      { name: 'log.txt', bytes: new TextEncoder().encode(text(40)) },
    ]);
    await t.quarry.drain();
    const db = t.quarry.store.db;
    const chunkCount = async () =>
      (
        await db
          .select({ n: count() })
          .from(chunks)
          .innerJoin(documents, eq(documents.id, chunks.documentId))
          .where(eq(documents.fileId, accepted!.fileId))
      )[0]!.n;
    const before = await chunkCount();
    expect(before).toBeGreaterThan(0);

    // As if the process died after the transaction committed but before the job was closed.
    await db.update(files).set({ state: 'embedding' }).where(eq(files.id, accepted!.fileId));
    await db.update(jobs).set({ state: 'queued' }).where(eq(jobs.fileId, accepted!.fileId));
    t.quarry.worker?.wake();
    await t.quarry.drain();

    expect(await chunkCount()).toBe(before);
    const docs = await db.select().from(documents).where(eq(documents.fileId, accepted!.fileId));
    expect(docs).toHaveLength(1);
  });

  it('records a job that keeps failing as failed with its last error', async () => {
    t = await startTestQuarry(kind, {}, { runWorker: false });
    await t.quarry.projects.create(LOCAL_ADMIN, { name: 'notes' });
    const id = await t.quarry.queue.enqueue(t.quarry.store.db, {
      kind: 'ingest_file',
      projectId: (await t.quarry.projects.get(LOCAL_ADMIN, 'notes')).id,
      maxAttempts: 1,
    });
    const quarry = await t.restart({ runWorker: true });
    await quarry.drain();
    const [job] = await quarry.store.db.select().from(jobs).where(eq(jobs.id, id));
    expect(job!.state).toBe('failed');
    expect(job!.lastError).toMatch(/without a file/);
  });
});
