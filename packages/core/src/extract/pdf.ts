import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

import type { ExtractedDocument, ExtractionLimits, PageSpan } from '../types.js';
import {
  corrupt,
  formatBytes,
  noText,
  passwordNeeded,
  pdfTooDemanding,
  tooManyPages,
} from './errors.js';
import type { PdfThread } from './pdf-thread.js';
import {
  PDF_TIME_LIMIT_MS,
  PDF_THREAD_HEAP_MB,
  PdfThreadError,
  startPdfThread,
} from './pdf-thread.js';

type PdfDocument = Awaited<ReturnType<(typeof PdfjsModule)['getDocument']>['promise']>;

/** Separates pages in the document text: a blank line, so a page never ends mid-paragraph. */
const PAGE_SEPARATOR = '\n\n';

/** How long to wait for pdfjs to confirm a document is destroyed; a dead thread never does. */
const DESTROY_WAIT_MS = 1000;

export interface PdfText {
  document: ExtractedDocument;
  pageCount: number;
}

/**
 * The text of every page, pages joined by a blank line, with `pages` recording which span
 * of the text lies on which page. Parsing runs in a thread of its own (see
 * `startPdfThread`); the document and the thread are released whatever happens.
 */
export async function extractPdf(bytes: Uint8Array, limits: ExtractionLimits): Promise<PdfText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const thread = startPdfThread(
    pdfjs,
    pathToFileURL(pdfjsAsset('legacy/build/pdf.worker.mjs')).href,
  );

  // pdfjs takes ownership of the array it is given (it is sent to the thread); a copy
  // leaves the caller's bytes intact.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    worker: thread.worker,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    // Character maps ship with pdfjs-dist; many CJK PDFs need them for their text.
    cMapUrl: pdfjsAsset('cmaps/'),
    cMapPacked: true,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // Be lenient: a damaged object loses its own text, not the whole document's.
    stopAtErrors: false,
  });

  try {
    const pdf = await openDocument(thread.guard(task.promise));
    if (pdf.numPages > limits.maxPages) throw tooManyPages(pdf.numPages, limits);
    return { document: await readPages(pdf, thread), pageCount: pdf.numPages };
  } catch (error) {
    if (!(error instanceof PdfThreadError)) throw error;
    if (error.reason === 'timeout') throw pdfTooDemanding(`${PDF_TIME_LIMIT_MS / 60_000} minutes`);
    if (error.reason === 'out_of_memory') {
      throw pdfTooDemanding(`${formatBytes(PDF_THREAD_HEAP_MB * 1024 * 1024)} of memory`);
    }
    throw corrupt('pdf', undefined, error);
  } finally {
    await Promise.race([task.destroy().catch(() => undefined), sleep(DESTROY_WAIT_MS)]);
    await thread.close();
  }
}

function pdfjsAsset(relative: string): string {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  return path.join(root, relative) + (relative.endsWith('/') ? path.sep : '');
}

async function openDocument(loading: Promise<PdfDocument>): Promise<PdfDocument> {
  try {
    return await loading;
  } catch (error) {
    if (error instanceof PdfThreadError) throw error;
    // pdfjs rejects with PasswordException both when no password was given and when a
    // wrong one was; an empty user password is tried first, so owner-only PDFs open.
    if ((error as Error | undefined)?.name === 'PasswordException') throw passwordNeeded('pdf');
    throw corrupt('pdf', undefined, error);
  }
}

async function readPages(pdf: PdfDocument, thread: PdfThread): Promise<ExtractedDocument> {
  const parts: string[] = [];
  const pages: PageSpan[] = [];
  let offset = 0;
  let failedPages = 0;
  let firstFailure: unknown;

  for (let number = 1; number <= pdf.numPages; number += 1) {
    let text: string;
    try {
      text = await thread.guard(pageText(pdf, number));
    } catch (error) {
      if (error instanceof PdfThreadError) throw error;
      // One unreadable page should not cost the others; a document whose every page
      // fails is reported as corrupt below.
      failedPages += 1;
      firstFailure ??= error;
      continue;
    }
    if (!text) continue;

    if (parts.length > 0) {
      parts.push(PAGE_SEPARATOR);
      offset += PAGE_SEPARATOR.length;
    }
    parts.push(text);
    pages.push({ page: number, start: offset, end: offset + text.length });
    offset += text.length;
  }

  if (pages.length === 0) {
    if (failedPages > 0) throw corrupt('pdf', undefined, firstFailure);
    throw noText('pdf');
  }

  const document: ExtractedDocument = { text: parts.join(''), pages };
  const title = await thread.guard(documentTitle(pdf));
  if (title) document.title = title;
  return document;
}

async function pageText(pdf: PdfDocument, number: number): Promise<string> {
  const page = await pdf.getPage(number);
  try {
    const content = await page.getTextContent();
    const pieces: string[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      pieces.push(item.str);
      if (item.hasEOL) pieces.push('\n');
    }
    return tidyPage(pieces.join(''));
  } finally {
    page.cleanup();
  }
}

/** Collapses runs of spaces, trims lines, keeps at most one blank line; NFC throughout. */
function tidyPage(text: string): string {
  return text
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .normalize('NFC');
}

async function documentTitle(pdf: PdfDocument): Promise<string | undefined> {
  try {
    const { info } = await pdf.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    return typeof title === 'string' && title.trim() ? title.trim() : undefined;
  } catch {
    // Metadata is optional; a broken info dictionary must not fail the extraction.
    return undefined;
  }
}
