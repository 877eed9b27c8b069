import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { chunks, documents, embeddings, files } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { sharedDataDir } from '@quarry/core/test-support';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';
import { upload } from '../test-support/http.js';

interface ManifestEntry {
  file: string;
  expect: string;
  note: string;
}

const inputsDir = () => path.join(sharedDataDir(), 'inputs');
const manifest = () =>
  JSON.parse(readFileSync(path.join(inputsDir(), 'MANIFEST.json'), 'utf8')) as ManifestEntry[];

/** Phrases the manifest promises each indexed file can be found by. */
const findableBy: Record<string, string[]> = {
  'report.pdf': ['hairline cracks', 'oil change interval'],
  'owner-password-only.pdf': ['anemometer calibration'],
  'latin1.txt': ['crème brûlée'],
  'utf16le-bom.txt': ['accumulator'],
  'cjk-notes.md': ['机器学习', '検索エンジン', '검색'],
  'table.csv': ['primes slowly'],
  'page.html': ['bleed valve'],
  'pdf-named.docx': ['seismic survey'],
  'corrupt-xref.pdf': ['glacier retreat'],
};

describe.each(STORE_KINDS)('ingesting the awkward inputs on %s', (kind) => {
  let t: TestQuarry;
  let results: Array<{ fileId: string; name: string; state: string; duplicateOf?: string }>;
  let finalStates: Map<
    string,
    { state: string; errorCode: string | null; errorMessage: string | null }
  >;

  beforeAll(async () => {
    t = await startTestQuarry(kind);
    const app = t;
    await app.inject({ method: 'POST', url: '/api/v1/projects', payload: { name: 'inputs' } });
    // duplicate-a before duplicate-b, so "a" is the original.
    const entries = manifest().sort((a, b) => a.file.localeCompare(b.file));
    const response = await upload(
      app,
      'inputs',
      entries.map((e) => ({ name: e.file, bytes: readFileSync(path.join(inputsDir(), e.file)) })),
    );
    expect(response.statusCode).toBe(202);
    results = response.json<{ files: typeof results }>().files;
    await t.quarry.drain();
    const listed = await app.inject({ url: '/api/v1/projects/inputs/files?limit=100' });
    finalStates = new Map(
      listed
        .json<{
          files: Array<{
            name: string;
            state: string;
            errorCode: string | null;
            errorMessage: string | null;
          }>;
        }>()
        .files.map((f) => [f.name, f]),
    );
  });

  afterAll(async () => t?.cleanup());

  it('accepts every file of the upload and names each in the response', () => {
    expect(results.map((r) => r.name).sort()).toEqual(
      manifest()
        .map((e) => e.file)
        .sort(),
    );
  });

  it.each(manifest().map((e) => [e.file, e] as const))(
    '%s ends as the manifest says',
    async (file, entry) => {
      const state = finalStates.get(file);
      expect(state, `no recorded state for ${file}`).toBeDefined();
      const [expectation, detail] = entry.expect.split(':');
      if (expectation === 'indexed') {
        expect(state!.state).toBe('indexed');
      } else if (expectation === 'error') {
        expect(state!.state).toBe('failed');
        expect(state!.errorCode).toBe(detail);
        expect(state!.errorMessage?.length).toBeGreaterThan(20);
      } else if (expectation === 'indexed-or-error') {
        expect(state!.state === 'indexed' || state!.errorCode === detail).toBe(true);
      } else if (expectation === 'duplicate-of') {
        const original = results.find((r) => r.name === detail)!;
        const duplicate = results.find((r) => r.name === file)!;
        expect(state!.state).toBe('duplicate');
        expect(duplicate.duplicateOf).toBe(original.fileId);
      }

      if (state!.state === 'indexed') {
        for (const phrase of findableBy[file] ?? []) {
          const response = await t.inject({
            method: 'POST',
            url: '/api/v1/projects/inputs/search',
            payload: { query: phrase, mode: 'keyword', limit: 3 },
          });
          const hits = response.json<{ hits: Array<{ fileName: string }> }>().hits;
          expect(
            hits.map((h) => h.fileName),
            `"${phrase}" should find ${file}`,
          ).toContain(file);
        }
      }
    },
  );

  it('keeps page numbers on PDF hits', async () => {
    const search = async (query: string) =>
      (
        await t.inject({
          method: 'POST',
          url: '/api/v1/projects/inputs/search',
          payload: { query, mode: 'keyword', limit: 1 },
        })
      ).json<{ hits: Array<{ fileName: string; passages: Array<{ page: number | null }> }> }>()
        .hits[0]!;
    expect((await search('hairline cracks')).passages[0]!.page).toBe(1);
    expect((await search('oil change interval')).passages[0]!.page).toBe(2);
  });

  it('never indexes script or style content of HTML', async () => {
    for (const query of ['secretToken', 'color']) {
      const response = await t.inject({
        method: 'POST',
        url: '/api/v1/projects/inputs/search',
        payload: { query, mode: 'keyword' },
      });
      const names = response
        .json<{ hits: Array<{ fileName: string }> }>()
        .hits.map((h) => h.fileName);
      expect(names).not.toContain('page.html');
    }
  });

  it('stores the file name with accents, CJK and curly quotes intact', () => {
    expect(finalStates.has('résumé 履歴書 “final”.txt')).toBe(true);
  });

  it('keeps the long single-line file in bounded chunks', async () => {
    const db = t.quarry.store.db;
    const [file] = await db.select().from(files).where(eq(files.name, 'one-long-line.txt'));
    const rows = await db
      .select({ text: chunks.text })
      .from(chunks)
      .innerJoin(documents, eq(documents.id, chunks.documentId))
      .where(eq(documents.fileId, file!.id));
    expect(rows.length).toBeGreaterThan(1_000);
    expect(Math.max(...rows.map((r) => r.text.length))).toBeLessThanOrEqual(
      t.settings.chunking.maxChars,
    );
  });

  it('keeps everything across a restart', async () => {
    const db = () => t.quarry.store.db;
    const before = await db().select({ n: count() }).from(chunks);
    const vectorsBefore = await db().select({ n: count() }).from(embeddings);
    await t.restart();
    const after = await db().select({ n: count() }).from(chunks);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await db().select({ n: count() }).from(embeddings))[0]!.n).toBe(vectorsBefore[0]!.n);
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/inputs/search',
      payload: { query: 'anemometer calibration' },
    });
    expect(response.json<{ hits: Array<{ fileName: string }> }>().hits[0]!.fileName).toBe(
      'owner-password-only.pdf',
    );
  });
});
