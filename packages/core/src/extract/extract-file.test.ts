import { describe, expect, test } from 'vitest';

import {
  DEFAULT_EXTRACTION_LIMITS,
  ExtractionError,
  extractFile,
  isExtractionError,
} from './index.js';

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isExtractionError(error)) throw new Error(`expected an ExtractionError, got ${error}`);
  return error;
}

describe('extractFile', () => {
  test('zero bytes are empty', async () => {
    expect((await failure(extractFile(new Uint8Array(0)))).code).toBe('empty');
  });

  test('a text file holding only blank space is empty, as its message explains', async () => {
    const error = await failure(extractFile(utf8(' \n\t\r\n  '), { fileName: 'blank.txt' }));
    expect(error.code).toBe('empty');
    expect(error.message).toContain('only blank space');
  });

  test('an HTML page without visible text has no text', async () => {
    const html = utf8('<!doctype html><html><head><title>t</title></head><body> </body></html>');
    expect((await failure(extractFile(html))).code).toBe('no_text');
  });

  test('a file over maxFileBytes is too large and the message names the limit and value', async () => {
    const error = await failure(extractFile(utf8('0123456789'), { limits: { maxFileBytes: 8 } }));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/^This file is 10 bytes, over the upload limit of 8 bytes\./);
  });

  test('an invalid limit is a programming error, not an extraction error', async () => {
    await expect(extractFile(utf8('text'), { limits: { maxPages: -1 } })).rejects.toThrow(
      RangeError,
    );
  });

  test('the default limits are 50 MiB per file, 200 MiB unpacked and 2000 pages', () => {
    expect(DEFAULT_EXTRACTION_LIMITS).toEqual({
      maxFileBytes: 52_428_800,
      maxDecompressedBytes: 209_715_200,
      maxPages: 2000,
    });
  });

  test('plain text keeps its content with newlines normalised and no BOM', async () => {
    const file = await extractFile(utf8('\uFEFFfirst line\r\nsecond line\r\n'));
    expect(file).toEqual({
      kind: 'text',
      mediaType: 'text/plain',
      documents: [{ text: 'first line\nsecond line\n' }],
    });
  });

  test('Markdown text is kept as written and titled by its first heading', async () => {
    const markdown = '```\n# not a title\n```\n\nIntro\n\n# Pump *manual*\n\n## Steps\n';
    const file = await extractFile(utf8(markdown), { fileName: 'manual.md' });
    expect(file.documents).toEqual([{ title: 'Pump manual', text: markdown }]);
  });

  test('CSV records are paragraphs of name: value pairs and the header is the chunk prefix', async () => {
    const csv = 'part,qty,note\nseal,2,"spare, keep dry"\ngasket,,\n';
    const file = await extractFile(utf8(csv), { fileName: 'parts.csv' });
    expect(file.documents).toEqual([
      {
        text: 'part: seal; qty: 2; note: spare, keep dry\n\npart: gasket',
        chunkPrefix: 'part, qty, note',
      },
    ]);
  });

  test('a CSV with an unterminated quote is corrupt', async () => {
    const error = await failure(extractFile(utf8('a,b\n1,"open\n'), { fileName: 'bad.csv' }));
    expect(error.code).toBe('corrupt');
  });

  test('an unsupported file says what it is', async () => {
    const gif = utf8('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
    const error = await failure(extractFile(new Uint8Array([...gif, 0, 0, 0])));
    expect(error.code).toBe('unsupported');
    expect(error.message).toContain('GIF');
  });

  test('a 3 MB single line of text is extracted whole', async () => {
    const line = 'quarry'.repeat(550_000);
    const file = await extractFile(utf8(line), { fileName: 'long.txt' });
    expect(file.documents[0]?.text.length).toBe(line.length);
  });
});

describe('ExtractionError', () => {
  test('carries a stable code and is recognised by isExtractionError', () => {
    const error = new ExtractionError('corrupt', 'broken');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ExtractionError');
    expect(isExtractionError(error)).toBe(true);
    expect(isExtractionError(new Error('corrupt'))).toBe(false);
    expect(isExtractionError({ name: 'ExtractionError', code: 'corrupt' })).toBe(false);
  });
});
