import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import {
  chunks,
  documents,
  embeddingModels,
  embeddings,
  fileBlobs,
  files,
  memberships,
  projects,
} from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { API, createProject, signUp, type Browser } from '../test-support/accounts.js';
import { upload } from '../test-support/http.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

const sentences = [
  'The pump seal leaked after the winter shutdown.',
  'Bearing noise rose as the pump ran dry.',
  'Replace the seal and check the bearing at the next stop.',
];

/** Enough small files for the project to learn an embedding model and store vectors. */
const corpus = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `pump-${i}.txt`,
    bytes: new TextEncoder().encode(sentences.map((s) => `${s} Entry ${i}.`).join('\n\n')),
  }));

describe.each(STORE_KINDS)('deleting a project on %s', (kind) => {
  let t: TestQuarry;
  let owner: Browser;

  beforeAll(async () => {
    t = await startTestQuarry(kind);
    owner = await signUp(t, 'deleter@example.com');
  });
  afterAll(async () => t?.cleanup());

  /** Rows each table holds for a project (file blobs through their files). */
  async function rowsOf(projectId: string) {
    const db = t.quarry.store.db;
    const n = async (query: Promise<Array<{ n: number }>>) => (await query)[0]!.n;
    return {
      files: await n(db.select({ n: count() }).from(files).where(eq(files.projectId, projectId))),
      fileBlobs: await n(
        db
          .select({ n: count() })
          .from(fileBlobs)
          .innerJoin(files, eq(files.id, fileBlobs.fileId))
          .where(eq(files.projectId, projectId)),
      ),
      documents: await n(
        db.select({ n: count() }).from(documents).where(eq(documents.projectId, projectId)),
      ),
      chunks: await n(
        db.select({ n: count() }).from(chunks).where(eq(chunks.projectId, projectId)),
      ),
      embeddings: await n(
        db.select({ n: count() }).from(embeddings).where(eq(embeddings.projectId, projectId)),
      ),
      embeddingModels: await n(
        db
          .select({ n: count() })
          .from(embeddingModels)
          .where(eq(embeddingModels.projectId, projectId)),
      ),
      memberships: await n(
        db.select({ n: count() }).from(memberships).where(eq(memberships.projectId, projectId)),
      ),
    };
  }

  const idOf = async (slug: string) => {
    const [row] = await t.quarry.store.db
      .select({ id: projects.id })
      .from(projects)
      .where(eq(projects.slug, slug));
    return row!.id;
  };

  it('removes its documents, chunks, vectors and stored files, and nothing else', async () => {
    const doomed = await createProject(owner, 'Doomed');
    const kept = await createProject(owner, 'Kept');
    expect((await upload(owner, doomed, corpus(60))).statusCode).toBe(202);
    expect((await upload(owner, kept, corpus(2))).statusCode).toBe(202);
    await t.quarry.drain();
    const doomedId = await idOf(doomed);
    const keptId = await idOf(kept);

    const before = await rowsOf(doomedId);
    expect(before).toMatchObject({ files: 60, fileBlobs: 60, documents: 60, memberships: 1 });
    expect(before.chunks).toBeGreaterThanOrEqual(60);
    expect(before.embeddings).toBe(before.chunks);
    expect(before.embeddingModels).toBeGreaterThanOrEqual(1);
    const keptBefore = await rowsOf(keptId);

    const deleted = await owner.inject({ method: 'DELETE', url: `${API}/projects/${doomed}` });
    expect(deleted.statusCode).toBe(204);
    expect(await rowsOf(doomedId)).toEqual({
      files: 0,
      fileBlobs: 0,
      documents: 0,
      chunks: 0,
      embeddings: 0,
      embeddingModels: 0,
      memberships: 0,
    });
    expect(await rowsOf(keptId)).toEqual(keptBefore);
  });
});
