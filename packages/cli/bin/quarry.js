#!/usr/bin/env node
// The installed `quarry` command. It loads the compiled CLI, which `npm start`, `npm test`
// or `npm run build` produce.
import('../dist/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    process.stderr.write('quarry: the CLI is not built yet. Run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
});
