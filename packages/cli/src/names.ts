import { basename } from 'node:path';

/** A project short name derived from a folder name. */
export function slugForFolder(dir: string): string {
  return (
    basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'collection'
  );
}
