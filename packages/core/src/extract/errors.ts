import type { DocumentKind, ExtractionErrorCode, ExtractionLimits } from '../types.js';

/**
 * The one error extraction throws. `code` is stable and safe to branch on; `message` is
 * written for the person who uploaded the file and says what they can do about it.
 */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
  readonly code: ExtractionErrorCode;

  constructor(code: ExtractionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const CODES: ReadonlySet<string> = new Set<ExtractionErrorCode>([
  'empty',
  'encrypted',
  'corrupt',
  'no_text',
  'unsupported',
  'too_large',
]);

/**
 * True for an `ExtractionError`, also one created by another copy of this module (two
 * installed versions of the package make `instanceof` alone unreliable).
 */
export function isExtractionError(e: unknown): e is ExtractionError {
  if (e instanceof ExtractionError) return true;
  if (!(e instanceof Error) || e.name !== 'ExtractionError') return false;
  const code: unknown = (e as { code?: unknown }).code;
  return typeof code === 'string' && CODES.has(code);
}

const KIND_NAMES: Record<DocumentKind, string> = {
  text: 'text file',
  markdown: 'Markdown file',
  html: 'HTML page',
  pdf: 'PDF',
  docx: 'Word document',
  csv: 'CSV file',
  json: 'JSON file',
  jsonl: 'JSON Lines file',
};

/** "52.4 MiB"; exact multiples print without decimals ("50 MiB"). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

export function emptyFile(): ExtractionError {
  return new ExtractionError('empty', 'This file is empty (0 bytes). Upload a file with content.');
}

/** A text file that decodes to nothing but spaces and line breaks. */
export function blankFile(kind: DocumentKind): ExtractionError {
  return new ExtractionError(
    'empty',
    `This ${KIND_NAMES[kind]} contains only blank space, so there is nothing to index.`,
  );
}

export function fileTooLarge(size: number, limits: ExtractionLimits): ExtractionError {
  return new ExtractionError(
    'too_large',
    `This file is ${formatBytes(size)}, over the upload limit of ` +
      `${formatBytes(limits.maxFileBytes)}. ` +
      'Split it into smaller files, or ask an administrator to raise the limit.',
  );
}

export function unpacksTooLarge(limits: ExtractionLimits, declared?: number): ExtractionError {
  const size = declared === undefined ? 'more' : `${formatBytes(declared)}, more`;
  return new ExtractionError(
    'too_large',
    `This Word document unpacks to ${size} than the limit of ` +
      `${formatBytes(limits.maxDecompressedBytes)}. ` +
      'It may be a compression bomb; if it is a real document, split it into smaller files.',
  );
}

export function tooManyPages(pageCount: number, limits: ExtractionLimits): ExtractionError {
  return new ExtractionError(
    'too_large',
    `This PDF has ${pageCount} pages, more than the limit of ${limits.maxPages} pages. ` +
      'Split it into smaller PDFs and upload those.',
  );
}

/** A PDF that exhausted the time or memory one document may use. */
export function pdfTooDemanding(limit: string): ExtractionError {
  return new ExtractionError(
    'too_large',
    `Reading this PDF needed more than ${limit}, so it was stopped. Split it into smaller ` +
      'PDFs, or export it again (printing to PDF often simplifies a damaged file).',
  );
}

export function tooManyParts(limit: number): ExtractionError {
  return new ExtractionError(
    'too_large',
    `This Word document has more than ${limit} internal parts, far more than a real ` +
      'document needs. Save it again from Word, or export it as PDF.',
  );
}

export function passwordNeeded(kind: 'pdf' | 'office'): ExtractionError {
  const message =
    kind === 'pdf'
      ? 'This PDF needs a password to open. Remove the password and upload it again.'
      : 'This Office document is protected with a password. ' +
        'Remove the password and upload it again.';
  return new ExtractionError('encrypted', message);
}

export function corrupt(kind: DocumentKind, detail?: string, cause?: unknown): ExtractionError {
  const why = detail ? ` (${detail})` : '';
  return new ExtractionError(
    'corrupt',
    `This ${KIND_NAMES[kind]} is damaged or incomplete and cannot be read${why}. ` +
      'Export or download it again and upload the new copy.',
    { cause },
  );
}

export function noText(kind: DocumentKind): ExtractionError {
  const message =
    kind === 'pdf'
      ? 'This PDF has no text layer, so there is no text to index. Scanned documents need ' +
        'OCR (text recognition) first: run OCR on it and upload the result.'
      : `No text could be found in this ${KIND_NAMES[kind]}, so there is nothing to index.`;
  return new ExtractionError('no_text', message);
}

/** `description` names what the file is, e.g. "a PNG image (image/png)". */
export function unsupported(description: string): ExtractionError {
  return new ExtractionError(
    'unsupported',
    `This file is ${description}, which Quarry cannot read. Upload PDF, Word (.docx), HTML, ` +
      'Markdown, plain text, CSV, JSON or JSON Lines files.',
  );
}
