import { openEmbeddedStore } from './embedded-store.js';
import { openPostgresStore } from './postgres-store.js';
import type { Store, StoreConfig } from './store-types.js';

/**
 * Opens Quarry's database: PGlite in a locked data directory, or a PostgreSQL pool. The
 * store is not migrated yet; call `store.migrate()` at start-up.
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'embedded') {
    return openEmbeddedStore(config);
  }
  return openPostgresStore(config);
}
