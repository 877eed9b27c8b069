/** Quarry inside its server on the embedded store (PGlite), as `npm start` runs it. */
import { runServerEngine } from './quarry-server-run.js';

await runServerEngine('embedded');
