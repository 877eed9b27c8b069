import { openStore } from '../open-store.js';
import type { Store, StoreConfig } from '../store-types.js';
import { createScratchStoreConfig, type TestStoreKind } from './scratch.js';

export interface TestStore extends Store {
  /** The config it was opened with, to open the same database again. */
  readonly config: StoreConfig;
  /** Closes the store and deletes its database (temp directory or scratch database). */
  cleanup(): Promise<void>;
}

/**
 * A migrated store nothing else uses: PGlite in a fresh temp directory, or a fresh
 * `quarry_t_<random>` database on the test server.
 */
export async function openTestStore(kind: TestStoreKind): Promise<TestStore> {
  const scratch = await createScratchStoreConfig(kind);
  const store = await openStore(scratch.config);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    await scratch.drop();
    throw error;
  }
  return {
    ...store,
    config: scratch.config,
    async cleanup() {
      await store.close();
      await scratch.drop();
    },
  };
}
