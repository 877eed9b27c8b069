import { describe, expect, test } from 'vitest';

import { extractFile, isExtractionError } from './index.js';
import { PdfThreadError, startPdfThread } from './pdf-thread.js';
import { buildPdf } from './test-support/pdf-builder.js';

describe('PDF extraction', () => {
  test('pages are joined by a blank line and each span points at its own page text', async () => {
    const pdf = buildPdf([
      ['Turbine report', 'Blades show hairline cracks.'],
      ['Lubrication', 'Change the oil every 4000 hours.'],
    ]);

    const file = await extractFile(pdf, { fileName: 'two-pages.pdf' });
    const [document] = file.documents;

    expect(file).toMatchObject({ kind: 'pdf', mediaType: 'application/pdf', pageCount: 2 });
    expect(document?.text).toBe(
      'Turbine report\nBlades show hairline cracks.\n\nLubrication\nChange the oil every 4000 hours.',
    );
    expect(document?.pages).toEqual([
      { page: 1, start: 0, end: 43 },
      { page: 2, start: 45, end: 89 },
    ]);
    const [first, second] = document?.pages ?? [];
    expect(document?.text.slice(first?.start, first?.end)).toContain('hairline cracks');
    expect(document?.text.slice(second?.start, second?.end)).toBe(
      'Lubrication\nChange the oil every 4000 hours.',
    );
  });

  test('a page without text is counted but has no span', async () => {
    const file = await extractFile(buildPdf([['First page'], [], ['Third page']]));
    expect(file.pageCount).toBe(3);
    expect(file.documents[0]?.pages?.map((span) => span.page)).toEqual([1, 3]);
  });

  test('the caller keeps its bytes: extraction does not detach or change them', async () => {
    const pdf = buildPdf([['Keep me']]);
    const copy = pdf.slice();
    await extractFile(pdf);
    expect(pdf).toEqual(copy);
  });

  test('more pages than maxPages is too large, and the message names the limit', async () => {
    const pdf = buildPdf([['one'], ['two'], ['three']]);
    const error = await extractFile(pdf, { limits: { maxPages: 2 } }).catch((e: unknown) => e);

    expect(isExtractionError(error) && error.code).toBe('too_large');
    expect((error as Error).message).toContain('more than the limit of 2 pages');
  });

  test('garbage after a PDF header is corrupt, not a crash', async () => {
    const bytes = new Uint8Array(Buffer.from('%PDF-1.7\n' + 'x'.repeat(500) + '\n%%EOF'));
    const error = await extractFile(bytes).catch((e: unknown) => e);
    expect(isExtractionError(error) && error.code).toBe('corrupt');
  });

  test('many PDFs extracted at once all succeed independently', async () => {
    const files = await Promise.all(
      Array.from({ length: 8 }, (_, i) => extractFile(buildPdf([[`Document number ${i}`]]))),
    );
    expect(files.map((file) => file.documents[0]?.text)).toEqual(
      Array.from({ length: 8 }, (_, i) => `Document number ${i}`),
    );
  });
});

describe('the PDF thread', () => {
  test('a thread that dies is reported through guard instead of leaving work hanging', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const thread = startPdfThread(pdfjs, 'file:///nonexistent/pdf.worker.mjs');
    try {
      const never = new Promise<never>(() => undefined);
      await expect(thread.guard(never)).rejects.toBeInstanceOf(PdfThreadError);
    } finally {
      await thread.close();
    }
  });
});
