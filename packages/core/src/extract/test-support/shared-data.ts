import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file whose package.json has workspaces. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (json.workspaces) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('No workspace root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/**
 * The shared `data` folder: `QUARRY_SHARED_DATA` when set, else `shared/data` beside the
 * repository (where CI and every developer machine have it).
 */
export function sharedDataDir(): string {
  const dir = process.env.QUARRY_SHARED_DATA ?? path.resolve(repoRoot(), '../shared/data');
  if (!existsSync(dir)) {
    throw new Error(`Shared test data not found at ${dir}; set QUARRY_SHARED_DATA to its folder`);
  }
  return dir;
}

export function sharedInput(name: string): Buffer {
  return readFileSync(path.join(sharedDataDir(), 'inputs', name));
}
