import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddings, openStore, projects, type Store } from './index.js';
import {
  createChunks,
  createDocument,
  createFile,
  createProject,
  openTestStore,
  STORE_KINDS,
  type TestStore,
} from './test-support/index.js';

describe.each(STORE_KINDS)('store lifecycle on %s', (kind) => {
  let store: TestStore;

  beforeAll(async () => {
    store = await openTestStore(kind);
  });

  afterAll(async () => {
    await store?.cleanup();
  });

  it('keeps data across close and reopen', async () => {
    const project = await createProject(store.db, { slug: 'kept', name: 'Kept' });
    const file = await createFile(store.db, project.id);
    const document = await createDocument(store.db, file);
    const [chunkId] = await createChunks(store.db, document, { count: 1, dimension: 8 });
    await store.close();

    let reopened: Store | undefined;
    try {
      reopened = await openStore(store.config);
      await reopened.migrate();

      const [row] = await reopened.db.select().from(projects).where(eq(projects.slug, 'kept'));
      const [vector] = await reopened.db
        .select()
        .from(embeddings)
        .where(eq(embeddings.chunkId, chunkId as number));
      expect(row?.name).toBe('Kept');
      expect(vector?.vector).toHaveLength(8);
    } finally {
      await reopened?.close();
    }
  });

  it('can be closed twice', async () => {
    await store.close();
    await store.close();
  });
});
