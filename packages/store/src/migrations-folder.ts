import { fileURLToPath } from 'node:url';

/**
 * The package's `drizzle/` folder. This module sits one level below the package root both as
 * `src/*.ts` (tests) and as `dist/*.js` (build), so one relative URL serves both.
 */
export function migrationsFolder(): string {
  return fileURLToPath(new URL('../drizzle', import.meta.url));
}
