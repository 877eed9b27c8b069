import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsFolder } from '../migrations-folder.js';

/** How many migrations the package ships, from drizzle's journal. */
export function shippedMigrationCount(): number {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'),
  ) as { entries: unknown[] };
  return journal.entries.length;
}
