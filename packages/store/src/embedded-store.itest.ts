import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from './embedded-store.js';
import {
  LOCK_STALE_MS,
  ensurePgliteTemplate,
  openStore,
  projects,
  StoreLockedError,
  type Store,
} from './index.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const probe = fileURLToPath(new URL('./test-support/lock-probe.ts', import.meta.url));

/** Opens the store in `dataDir` from a separate Node process and reports the outcome. */
async function openFromAnotherProcess(
  dataDir: string,
): Promise<{ opened: boolean; code?: string; message?: string }> {
  const { stdout } = await run(tsx, [probe, dataDir], { cwd: repoRoot, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('embedded store data-directory lock', () => {
  let dataDir: string;
  const open: Store[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'quarry-lock-test-'));
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function openHere(): Promise<Store> {
    const store = await openStore({ kind: 'embedded', dataDir });
    open.push(store);
    return store;
  }

  it('refuses a second store on the same directory in the same process', async () => {
    await openHere();

    const second = openStore({ kind: 'embedded', dataDir });

    await expect(second).rejects.toBeInstanceOf(StoreLockedError);
    await expect(second).rejects.toMatchObject({ code: 'store_locked' });
    await expect(second).rejects.toThrow(dataDir);
    await expect(second).rejects.toThrow(/another Quarry process.*--data-dir/s);
  });

  it('refuses another process while this one holds the directory', async () => {
    await openHere();

    const outcome = await openFromAnotherProcess(dataDir);

    expect(outcome.opened).toBe(false);
    expect(outcome.code).toBe('store_locked');
    expect(outcome.message).toContain(dataDir);
  });

  it('frees the directory on close, for this process and for others', async () => {
    const first = await openHere();
    await first.close();

    expect(await openFromAnotherProcess(dataDir)).toEqual({ opened: true });
    const again = await openHere();
    expect(again.kind).toBe('embedded');
  });

  it('takes over a lock left behind by a process that died', async () => {
    // What a crashed process leaves: the lock directory, no longer refreshed.
    const lockPath = path.join(dataDir, 'store.lock');
    await mkdir(lockPath);
    const longAgo = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    await utimes(lockPath, longAgo, longAgo);

    const store = await openHere();

    expect(store.kind).toBe('embedded');
  });

  it('refuses while a lock left behind is still fresh', async () => {
    await mkdir(path.join(dataDir, 'store.lock'));

    await expect(openStore({ kind: 'embedded', dataDir })).rejects.toBeInstanceOf(StoreLockedError);
  });

  it('reports a database it cannot open, and leaves the directory unlocked', async () => {
    await mkdir(path.join(dataDir, 'pgdata'));
    await writeFile(path.join(dataDir, 'pgdata', 'PG_VERSION'), '9\n');

    const opening = openStore({ kind: 'embedded', dataDir });

    await expect(opening).rejects.toMatchObject({ code: 'store_open_failed' });
    await expect(opening).rejects.toThrow(dataDir);
    await expect(openStore({ kind: 'embedded', dataDir })).rejects.toMatchObject({
      code: 'store_open_failed',
    });
  });
});

/** A new temporary folder for each test of the block, removed after it. */
function temporaryFolders(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

describe('a new embedded store', () => {
  const folder = temporaryFolders('quarry-template-test-');

  /** Opens a store in `dataDir` from `templateFile`, migrates it, writes a row, reads it back. */
  async function roundTrip(dataDir: string, templateFile: string) {
    const store = await openEmbeddedStore({ dataDir, templateFile });
    try {
      await store.migrate();
      await store.db.insert(projects).values({ name: 'Notes', slug: 'notes' });
    } finally {
      await store.close();
    }
    // Reopened without any template: the database is on disk, whole.
    const again = await openEmbeddedStore({ dataDir, templateFile: path.join(folder(), 'none') });
    try {
      return (await again.db.select({ slug: projects.slug }).from(projects)).map((p) => p.slug);
    } finally {
      await again.close();
    }
  }

  it('starts from the empty cluster the build made, and keeps what it stores', async () => {
    const template = await ensurePgliteTemplate(path.join(folder(), 'cluster.tar.gz'));
    expect(await ensurePgliteTemplate(template)).toBe(template);
    expect(await roundTrip(path.join(folder(), 'data'), template)).toEqual(['notes']);
  });

  it('runs initdb itself when there is no template, or one that does not load', async () => {
    expect(
      await roundTrip(path.join(folder(), 'plain'), path.join(folder(), 'missing.tar.gz')),
    ).toEqual(['notes']);
    const broken = path.join(folder(), 'broken.tar.gz');
    await writeFile(broken, 'not a tarball at all');
    expect(await roundTrip(path.join(folder(), 'fallback'), broken)).toEqual(['notes']);
  });
});

describe('the embedded page cache', () => {
  const folder = temporaryFolders('quarry-cache-test-');

  async function sharedBuffers(cacheMb?: number): Promise<string> {
    const store = await openEmbeddedStore({
      dataDir: path.join(folder(), String(cacheMb)),
      cacheMb,
    });
    try {
      const result = await store.db.execute('SHOW shared_buffers');
      return (result as unknown as { rows: Array<{ shared_buffers: string }> }).rows[0]!
        .shared_buffers;
    } finally {
      await store.close();
    }
  }

  it('is 16 MB unless configured, and takes the configured size', async () => {
    expect(await sharedBuffers()).toBe('16MB');
    expect(await sharedBuffers(48)).toBe('48MB');
  });
});
