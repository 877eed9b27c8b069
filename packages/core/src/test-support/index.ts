/** Helpers for Quarry's own tests; not part of the published library. */
export { repoRoot, sharedDataDir } from '../extract/test-support/shared-data.js';
export { buildPdf } from '../extract/test-support/pdf-builder.js';
export { seeded } from '../vector/test-support/random-vectors.js';
