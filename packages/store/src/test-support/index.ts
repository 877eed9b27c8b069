/**
 * Helpers for integration tests that run against real databases: a migrated, isolated store
 * of either kind, and factories that fill in defaults. Not part of the build.
 */
export {
  openTestStore,
  STORE_KINDS,
  testDatabaseUrl,
  type TestStore,
  type TestStoreKind,
} from './test-stores.js';
export {
  createChunks,
  createDocument,
  createFile,
  createProject,
  randomVector,
  sha256Hex,
} from './factories.js';
export { createScratchStoreConfig, type ScratchStore } from './scratch.js';
export { shippedMigrationCount } from './migrations.js';
