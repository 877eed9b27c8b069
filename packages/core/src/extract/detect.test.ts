import { describe, expect, test } from 'vitest';

import { detectKind } from './index.js';
import { buildPdf } from './test-support/pdf-builder.js';
import { buildZip, docxParts } from './test-support/zip-builder.js';

const text = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'utf8'));

describe('detectKind', () => {
  test('a PDF named .docx is a PDF: the content decides, not the name', async () => {
    const detection = await detectKind(buildPdf([['hello']]), 'report.docx');
    expect(detection).toMatchObject({ kind: 'pdf', mediaType: 'application/pdf' });
  });

  test('random bytes named .txt are unsupported binary data', async () => {
    const random = new Uint8Array(4096);
    let seed = 7;
    for (let i = 0; i < random.length; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      random[i] = seed >> 23;
    }
    const detection = await detectKind(random, 'notes.txt');
    expect(detection.kind).toBe('unsupported');
    expect(detection.description).toContain('binary');
  });

  test('known binary formats are unsupported and named', async () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0,
      0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
    ]);
    expect(await detectKind(png, 'photo.txt')).toMatchObject({
      kind: 'unsupported',
      mediaType: 'image/png',
    });
    expect((await detectKind(png)).description).toContain('PNG image');

    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    expect((await detectKind(jpeg, 'scan.pdf')).description).toContain('JPEG');
  });

  test('a zip holding word/document.xml is DOCX; any other zip is unsupported', async () => {
    const docx = buildZip(docxParts(['Hello']));
    expect((await detectKind(docx, 'file.zip')).kind).toBe('docx');

    const xlsx = buildZip([{ name: 'xl/workbook.xml', content: '<workbook/>' }]);
    expect(await detectKind(xlsx, 'book.docx')).toMatchObject({
      kind: 'unsupported',
      description: expect.stringContaining('Excel'),
    });

    const plainZip = buildZip([{ name: 'notes.txt', content: 'hello' }]);
    expect((await detectKind(plainZip)).description).toBe('a ZIP archive');
  });

  test('HTML is recognised by its leading markup, whatever the name', async () => {
    expect((await detectKind(text('  <!DOCTYPE html><p>hi</p>'), 'a.txt')).kind).toBe('html');
    expect((await detectKind(text('<html lang="en"><body>hi</body></html>'))).kind).toBe('html');
    expect((await detectKind(text('<?xml version="1.0"?>\n<html><body/></html>'))).kind).toBe(
      'html',
    );
    expect((await detectKind(text('<p>a fragment</p>'), 'page.html')).kind).toBe('html');
  });

  test('JSON and JSON Lines are recognised by parsing', async () => {
    expect((await detectKind(text('{"a": [1, 2]}'))).kind).toBe('json');
    expect((await detectKind(text('{"a":1}\n{"a":2}\n'))).kind).toBe('jsonl');
    expect((await detectKind(text('{"a":1}\n'), 'one.jsonl')).kind).toBe('jsonl');
    expect((await detectKind(text('{"a": broken'), 'data.json')).kind).toBe('json');
    expect((await detectKind(text('{not json at all}'))).kind).toBe('text');
  });

  test('CSV is recognised by its name or by a consistent delimiter structure', async () => {
    expect((await detectKind(text('a,b\n1,2\n'), 't.csv')).kind).toBe('csv');
    expect(await detectKind(text('id\tname\n1\tx\n2\ty\n'))).toMatchObject({
      kind: 'csv',
      mediaType: 'text/tab-separated-values',
    });
    expect((await detectKind(text('a;b;c\n1;2;3\n4;5;6\n'))).kind).toBe('csv');
    expect((await detectKind(text('Hello, world.\nShort note.\nAnother line.\n'))).kind).toBe(
      'text',
    );
  });

  test('Markdown is recognised by its name or by markdown syntax', async () => {
    expect((await detectKind(text('just words'), 'readme.md')).kind).toBe('markdown');
    const markdown = '# Setup\n\nSee [the guide](https://example.com).\n\n- one\n- two\n';
    expect((await detectKind(text(markdown), 'notes.txt')).kind).toBe('markdown');
    expect((await detectKind(text('# only a comment line\nplain words\n'))).kind).toBe('text');
  });

  test('plain prose is text and says its encoding', async () => {
    expect(await detectKind(text('The pump primes slowly in winter.'))).toEqual({
      kind: 'text',
      mediaType: 'text/plain',
      description: 'plain text (utf-8)',
    });
  });

  test('RTF and legacy Office files are unsupported with a helpful description', async () => {
    expect((await detectKind(text('{\\rtf1\\ansi hello}'), 'a.txt')).description).toContain('RTF');
    const ole2 = new Uint8Array(1024);
    ole2.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect((await detectKind(ole2, 'old.doc')).description).toContain('.docx');
  });
});
