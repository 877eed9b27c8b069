// `npm test`: type checks, lint, unit tests, then integration tests on PGlite and the local
// PostgreSQL (see scripts/setup-postgres.sh), browser tests of the web app in Chromium and the
// examples.
import { ensureBuilt, run } from './ensure-built.mjs';

ensureBuilt();
run('npx', ['tsc', '-p', 'tsconfig.check.json']);
run('npx', ['tsc', '-p', 'packages/web/tsconfig.json']);
run('npx', ['eslint', '.']);
run('npx', ['prettier', '--check', '.']);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
