import { describe, expect, test } from 'vitest';

import { extractFile, isExtractionError } from './index.js';
import { buildZip, docxParts } from './test-support/zip-builder.js';

async function errorCode(promise: Promise<unknown>): Promise<string | false> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isExtractionError(error) && error.code;
}

describe('DOCX extraction', () => {
  test('paragraphs become text separated by blank lines, and the title comes from properties', async () => {
    const docx = buildZip(
      docxParts(['Pump maintenance', 'Open the bleed valve & wait.'], 'Maintenance <guide>'),
    );
    const file = await extractFile(docx, { fileName: 'guide.docx' });

    expect(file).toMatchObject({
      kind: 'docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(file.documents).toEqual([
      { title: 'Maintenance <guide>', text: 'Pump maintenance\n\nOpen the bleed valve & wait.' },
    ]);
  });

  test('declared sizes above maxDecompressedBytes are refused before anything is unpacked', async () => {
    const docx = buildZip(docxParts(['x'.repeat(4096)]));
    const error = await extractFile(docx, { limits: { maxDecompressedBytes: 1024 } }).catch(
      (e: unknown) => e,
    );
    expect(isExtractionError(error) && error.code).toBe('too_large');
    expect((error as Error).message).toContain('the limit of 1 KiB');
  });

  test('an entry that inflates past the limit while its header claims little is too large', async () => {
    const parts = docxParts(['short']);
    const huge = `<w:document xmlns:w="x"><w:body>${'<w:p/>'.repeat(500_000)}</w:body></w:document>`;
    parts[2] = { name: 'word/document.xml', content: huge, declaredSize: 100 };

    const code = await errorCode(
      extractFile(buildZip(parts), { limits: { maxDecompressedBytes: 256 * 1024 } }),
    );
    expect(code).toBe('too_large');
  });

  test('an entry whose real size differs from its header, within the limit, is corrupt', async () => {
    const parts = docxParts(['short']);
    parts[2] = { ...parts[2]!, declaredSize: 5 };
    expect(await errorCode(extractFile(buildZip(parts)))).toBe('corrupt');
  });

  test('a truncated DOCX is corrupt', async () => {
    const docx = buildZip(docxParts(['Some text in a paragraph.']));
    const truncated = docx.subarray(0, Math.floor(docx.length * 0.6));
    expect(await errorCode(extractFile(truncated, { fileName: 'cut.docx' }))).toBe('corrupt');
  });

  test('a DOCX whose XML is broken is corrupt', async () => {
    const parts = docxParts([]);
    parts[2] = { name: 'word/document.xml', content: '<w:document><w:body><unclosed' };
    expect(await errorCode(extractFile(buildZip(parts)))).toBe('corrupt');
  });

  test('a DOCX with only empty paragraphs has no text', async () => {
    expect(await errorCode(extractFile(buildZip(docxParts(['', '  ']))))).toBe('no_text');
  });

  test('a password-protected Office file is reported as encrypted', async () => {
    const ole2 = Buffer.alloc(2048);
    ole2.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    ole2.write('EncryptedPackage', 1024, 'utf16le');
    expect(await errorCode(extractFile(new Uint8Array(ole2), { fileName: 'secret.docx' }))).toBe(
      'encrypted',
    );
  });
});
