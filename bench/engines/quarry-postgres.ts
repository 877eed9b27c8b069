/** Quarry inside its server on PostgreSQL with pgvector (`QUARRY_TEST_DATABASE_URL`). */
import { runServerEngine } from './quarry-server-run.js';

await runServerEngine('postgres');
