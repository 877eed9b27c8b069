// `npm start`: Quarry on its embedded defaults (PGlite under ./.quarry, no external service).
import { join } from 'node:path';
import { ensureBuilt, root, run } from './ensure-built.mjs';
import { serverEnvironment } from './server-env.mjs';

ensureBuilt();
run(
  process.execPath,
  [join(root, 'packages/cli/dist/main.js'), 'serve', ...process.argv.slice(2)],
  {
    env: serverEnvironment(),
  },
);
