// Makes the empty PGlite cluster that new embedded stores are loaded from, so that no
// process of Quarry runs initdb (see src/pglite-template.ts). Run by the build, after tsc.
import { ensurePgliteTemplate } from '../dist/index.js';

await ensurePgliteTemplate();
