import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import type { ExtractedFile } from '../types.js';
import { extractFile, isExtractionError } from './index.js';
import { sharedDataDir, sharedInput } from './test-support/shared-data.js';

interface ManifestEntry {
  file: string;
  expect: string;
  note: string;
}

const manifest = JSON.parse(
  readFileSync(path.join(sharedDataDir(), 'inputs', 'MANIFEST.json'), 'utf8'),
) as ManifestEntry[];

/** The phrases each note names, checked against the extracted text. */
const CHECKS: Record<string, (file: ExtractedFile) => void> = {
  'report.pdf': (file) => {
    expect(file.kind).toBe('pdf');
    expect(file.pageCount).toBe(3);
    expect(onPage(file, 1)).toContain('hairline cracks');
    expect(onPage(file, 2)).toContain('oil change interval');
    expect(onPage(file, 1)).not.toContain('oil change interval');
    expect(file.documents[0]?.pages?.map((span) => span.page)).toEqual([1, 2, 3]);
  },
  'owner-password-only.pdf': (file) => expect(allText(file)).toContain('anemometer calibration'),
  'corrupt-xref.pdf': (file) => expect(allText(file).toLowerCase()).toContain('glacier retreat'),
  'latin1.txt': (file) => expect(allText(file)).toContain('crème brûlée'),
  'utf16le-bom.txt': (file) => {
    expect(allText(file)).toContain('accumulator');
    expect(allText(file)).not.toContain('\uFEFF');
  },
  'one-long-line.txt': (file) => {
    expect(file.kind).toBe('text');
    expect(allText(file).length).toBeGreaterThan(3_000_000);
  },
  'cjk-notes.md': (file) => {
    expect(file.kind).toBe('markdown');
    expect(file.documents[0]?.title).toBe('研究ノート');
    for (const phrase of ['机器学习', '検索エンジン', '검색'])
      expect(allText(file)).toContain(phrase);
  },
  'table.csv': (file) => {
    const [document] = file.documents;
    const records = document?.text.split('\n\n') ?? [];
    expect(records).toHaveLength(3);
    expect(records[0]).toContain('opens at 3 bar, closes at 1 bar');
    expect(records[1]).toContain('line one line two of the same cell');
    expect(records[2]).toContain('primes slowly');
    expect(document?.chunkPrefix).toBe('id, name, notes');
  },
  'page.html': (file) => {
    expect(file.documents[0]?.title).toBe('Pump manual');
    expect(allText(file)).toContain('bleed valve');
    expect(allText(file)).not.toContain('secretToken');
    expect(allText(file)).not.toContain('color');
    expect(allText(file)).not.toContain('<');
  },
  'pdf-named.docx': (file) => {
    expect(file.kind).toBe('pdf');
    expect(allText(file).toLowerCase()).toContain('seismic survey');
  },
  'duplicate-a.txt': (file) => expect(allText(file)).toContain('gasket kit'),
  'duplicate-b.txt': (file) => expect(allText(file)).toContain('gasket kit'),
  'résumé 履歴書 “final”.txt': (file) => expect(allText(file)).toContain('hydrologist'),
};

describe('extracting the shared sample inputs', () => {
  test.each(manifest)('$file ends as the manifest expects: $expect', async (entry) => {
    const outcome = await extractFile(sharedInput(entry.file), { fileName: entry.file }).then(
      (file) => ({ file }),
      (error: unknown) => ({ error }),
    );
    const [expected, code] = entry.expect.split(':');
    const mayFail = expected === 'error' || expected === 'indexed-or-error';

    if ('error' in outcome && mayFail) {
      expect(isExtractionError(outcome.error)).toBe(true);
      expect(outcome.error).toMatchObject({ code });
      expect((outcome.error as Error).message.length).toBeGreaterThan(20);
      return;
    }

    // "indexed", "duplicate-of:…" (duplicates are the store's concern) or a tolerated success.
    expect(expected, `${entry.file} should have failed with ${code}`).not.toBe('error');
    if ('error' in outcome) throw outcome.error;
    const { file } = outcome;
    expect(file.documents.length).toBeGreaterThan(0);
    for (const document of file.documents) expect(document.text.trim()).not.toBe('');
    CHECKS[entry.file]?.(file);
  });

  test('every manifest file that must be indexed has its phrases checked', () => {
    const indexed = manifest.filter((entry) => !entry.expect.startsWith('error:'));
    expect(indexed.filter((entry) => !CHECKS[entry.file]).map((entry) => entry.file)).toEqual([]);
  });

  test('a duplicate file extracts to exactly the text of its original', async () => {
    const a = await extractFile(sharedInput('duplicate-a.txt'), { fileName: 'duplicate-a.txt' });
    const b = await extractFile(sharedInput('duplicate-b.txt'), { fileName: 'duplicate-b.txt' });
    expect(b.documents).toEqual(a.documents);
  });

  test('the zip bomb is refused quickly and without unpacking it into memory', async () => {
    const bytes = sharedInput('zip-bomb.docx');
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();

    const error = await extractFile(bytes, { fileName: 'zip-bomb.docx' }).catch((e: unknown) => e);

    expect(isExtractionError(error) && error.code).toBe('too_large');
    expect((error as Error).message).toContain('limit of 200 MiB');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });
});

function allText(file: ExtractedFile): string {
  return file.documents.map((document) => document.text).join('\n\n');
}

function onPage(file: ExtractedFile, page: number): string {
  const document = file.documents[0];
  const span = document?.pages?.find((candidate) => candidate.page === page);
  return span && document ? document.text.slice(span.start, span.end) : '';
}
