import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

/**
 * A fresh PGlite store runs `initdb`, which here takes 3 s and raises the process's peak RSS
 * to about 770 MB; loading the same empty database from a tarball takes 1.2 s and peaks near
 * 400 MB. The tarball is made once, by the build (`scripts/ensure-built.mjs`), in a process
 * of its own, so that no process of the product ever runs `initdb`. It holds an empty cluster
 * only: extensions and the schema come from the migrations, as on any store.
 */

/** The installed PGlite's version: one version's data directory is not another's. */
function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Where the build puts the template, beside the compiled store (`dist/` is not committed). */
export function pgliteTemplatePath(): string {
  const name = `pglite-${pgliteVersion()}-empty-cluster.tar.gz`;
  return fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
}

/** Makes the template unless it is there; returns its path. */
export async function ensurePgliteTemplate(file = pgliteTemplatePath()): Promise<string> {
  if (existsSync(file)) return file;
  const client = await PGlite.create({ extensions: { vector } });
  try {
    const tarball = await client.dumpDataDir('gzip');
    await mkdir(dirname(file), { recursive: true });
    // Written whole, then renamed: a build cut short leaves no half template behind.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await client.close();
  }
  return file;
}

/** The template's bytes, or undefined when the build has not made it (a store then runs initdb). */
export async function readPgliteTemplate(file = pgliteTemplatePath()): Promise<Blob | undefined> {
  return existsSync(file) ? new Blob([await readFile(file)]) : undefined;
}
