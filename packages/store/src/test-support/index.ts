/**
 * Helpers for integration tests that run against real databases: a migrated, isolated store
 * of either kind, and factories that fill in defaults. Not part of the build.
 */
export { openTestStore, type TestStore } from './test-stores.js';
export {
  createChunks,
  createDocument,
  createFile,
  createProject,
  randomVector,
  sha256Hex,
} from './factories.js';
export {
  createScratchStoreConfig,
  STORE_KINDS,
  testDatabaseUrl,
  type ScratchStore,
  type TestStoreKind,
} from './scratch.js';
export { shippedMigrationCount } from './migrations.js';
