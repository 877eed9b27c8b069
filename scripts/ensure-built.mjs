// Installs dependencies on a fresh clone and compiles the workspace, so that `npm start`
// and `npm test` work as the first commands run after `git clone`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

export function ensureBuilt() {
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  run(process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-b',
    'packages/cli',
  ]);
  // The empty database new embedded stores start from, made here rather than by initdb in
  // the server (a peak of about 770 MB, against 400 MB when loaded from the template).
  run(process.execPath, [join(root, 'packages', 'store', 'scripts', 'ensure-template.mjs')]);
  // The web app the server serves at / (content-hashed, precompressed assets), built by the
  // Vite the web package depends on, wherever npm placed it.
  const web = join(root, 'packages', 'web');
  const vite = createRequire(join(web, 'package.json')).resolve('vite/package.json');
  run(process.execPath, [join(dirname(vite), 'bin', 'vite.js'), 'build'], { cwd: web });
}
