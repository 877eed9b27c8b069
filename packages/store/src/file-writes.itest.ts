import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateContentError, files, insertFile, StoreError } from './index.js';
import {
  createProject,
  openTestStore,
  sha256Hex,
  STORE_KINDS,
  type TestStore,
} from './test-support/index.js';

describe.each(STORE_KINDS)('file deduplication on %s', (kind) => {
  let store: TestStore;

  beforeAll(async () => {
    store = await openTestStore(kind);
  });

  afterAll(async () => {
    await store?.cleanup();
  });

  const upload = (projectId: string, contentHash: string, duplicateOf?: string) => ({
    projectId,
    name: 'report.pdf',
    sizeBytes: 10,
    contentHash,
    ...(duplicateOf ? { duplicateOf, state: 'duplicate' as const } : {}),
  });

  it('refuses a second original with the same content in the same project', async () => {
    const project = await createProject(store.db);
    const hash = sha256Hex('same bytes');
    await insertFile(store.db, upload(project.id, hash));

    const second = insertFile(store.db, upload(project.id, hash));

    await expect(second).rejects.toBeInstanceOf(DuplicateContentError);
    await expect(second).rejects.toMatchObject({ code: 'duplicate_content', contentHash: hash });
  });

  it('accepts the same content in another project', async () => {
    const first = await createProject(store.db);
    const other = await createProject(store.db);
    const hash = sha256Hex('shared bytes');

    await insertFile(store.db, upload(first.id, hash));
    const copy = await insertFile(store.db, upload(other.id, hash));

    expect(copy.projectId).toBe(other.id);
  });

  it('records duplicates of an original, and removes them with it', async () => {
    const project = await createProject(store.db);
    const hash = sha256Hex('duplicated bytes');
    const original = await insertFile(store.db, upload(project.id, hash));

    await insertFile(store.db, upload(project.id, hash, original.id));
    await insertFile(store.db, upload(project.id, hash, original.id));
    await store.db.delete(files).where(eq(files.id, original.id));

    const left = await store.db.select().from(files).where(eq(files.projectId, project.id));
    expect(left).toEqual([]);
  });

  it('leaves other constraint violations as they are', async () => {
    const missingProject = '00000000-0000-4000-8000-000000000000';

    const insert = insertFile(store.db, upload(missingProject, sha256Hex('orphan')));

    await expect(insert).rejects.not.toBeInstanceOf(StoreError);
  });

  it('refuses a file state outside the known ones', async () => {
    const project = await createProject(store.db);
    const insert = store.db
      .insert(files)
      .values({ ...upload(project.id, sha256Hex('odd')), state: 'lost' as 'failed' });

    await expect(insert).rejects.toThrow();
  });
});
