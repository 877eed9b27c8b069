export * from './schema.js';
export {
  bytea,
  fromVectorBinary,
  fromVectorLiteral,
  toVectorBinary,
  toVectorLiteral,
  vector,
} from './column-types.js';
export * from './errors.js';
export type { Database, PoolOptions, Store, StoreConfig, StoreKind } from './store-types.js';
export { resultRows } from './store-types.js';
export { openStore } from './open-store.js';
export { LOCK_STALE_MS } from './embedded-store.js';
export { migrationsFolder } from './migrations-folder.js';
export { ensurePgliteTemplate, pgliteTemplatePath } from './pglite-template.js';
export {
  nearestChunks,
  nearestChunksQuery,
  vectorIndexName,
  vectorIndexSql,
  type ChunkSimilarity,
  type NearestChunksQuery,
} from './vector-search.js';
export {
  DEFAULT_INSERT_BATCH_ROWS,
  insertRows,
  insertChunksWithEmbeddings,
  type ChunkBatch,
  type ChunkInput,
} from './bulk-insert.js';
export { FILE_CONTENT_INDEX, insertFile } from './file-writes.js';
export { keysetBatches } from './keyset.js';
