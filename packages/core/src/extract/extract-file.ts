import type { DocumentKind, ExtractedDocument, ExtractedFile, ExtractionLimits } from '../types.js';
import { extractCsv } from './csv.js';
import type { Sniffed } from './detect.js';
import { sniff } from './detect.js';
import { extractDocx } from './docx.js';
import {
  blankFile,
  corrupt,
  emptyFile,
  fileTooLarge,
  isExtractionError,
  noText,
  passwordNeeded,
  unsupported,
} from './errors.js';
import { extractHtml } from './html.js';
import { emptyRecordsNotice, extractJson, extractJsonLines } from './json.js';
import { resolveLimits } from './limits.js';
import { extractMarkdown } from './markdown.js';
import { extractPdf } from './pdf.js';

export interface ExtractFileOptions {
  /** Only a hint: the kind is read from the content. */
  fileName?: string;
  limits?: Partial<ExtractionLimits>;
}

/**
 * Turns an uploaded file into searchable documents. Every failure a file can cause is an
 * `ExtractionError` with a stable code; nothing a file contains can make this throw
 * anything else (a bad `limits` value is a programming error and throws a RangeError).
 *
 * A text or Markdown file holding only blank space is `empty` (there is nothing in it);
 * a structured file (PDF, DOCX, HTML, CSV, JSON) that yields no text is `no_text`.
 */
export async function extractFile(
  bytes: Uint8Array,
  options: ExtractFileOptions = {},
): Promise<ExtractedFile> {
  const limits = resolveLimits(options.limits);
  if (bytes.byteLength === 0) throw emptyFile();
  if (bytes.byteLength > limits.maxFileBytes) throw fileTooLarge(bytes.byteLength, limits);

  let sniffed: Sniffed;
  try {
    sniffed = await sniff(bytes, options.fileName);
  } catch (error) {
    if (isExtractionError(error)) throw error;
    throw corrupt('text', undefined, error);
  }

  if (sniffed.kind === 'unsupported') {
    if (sniffed.passwordProtected) throw passwordNeeded('office');
    throw unsupported(sniffed.description);
  }
  const kind = sniffed.kind;

  try {
    const extracted = await extractKind(kind, sniffed, bytes, limits);
    const documents = extracted.documents.filter((document) => document.text.trim() !== '');
    if (documents.length === 0) {
      throw kind === 'text' || kind === 'markdown' ? blankFile(kind) : noText(kind);
    }
    return { ...extracted, kind, mediaType: sniffed.mediaType, documents };
  } catch (error) {
    // Parsers can fail in ways nobody listed; to the uploader that is a damaged file.
    if (isExtractionError(error)) throw error;
    throw corrupt(kind, undefined, error);
  }
}

type Extracted = Pick<ExtractedFile, 'documents' | 'pageCount' | 'notice'>;

async function extractKind(
  kind: DocumentKind,
  sniffed: Sniffed,
  bytes: Uint8Array,
  limits: ExtractionLimits,
): Promise<Extracted> {
  const text = sniffed.text ?? '';

  switch (kind) {
    case 'pdf': {
      const { document, pageCount } = await extractPdf(bytes, limits);
      return { documents: [document], pageCount };
    }
    case 'docx':
      return { documents: [await extractDocx(bytes, limits, sniffed.zip)] };
    case 'html':
      return { documents: [extractHtml(text)] };
    case 'csv':
      return { documents: [extractCsv(text, sniffed.delimiter ?? ',')] };
    case 'json':
      return { documents: [extractJson(text, sniffed.json)] };
    case 'jsonl': {
      const { documents, emptyLines } = extractJsonLines(text);
      return emptyLines.length > 0
        ? { documents, notice: emptyRecordsNotice(emptyLines) }
        : { documents };
    }
    case 'markdown':
      return { documents: [extractMarkdown(text)] };
    case 'text':
      return { documents: [plainText(text)] };
  }
}

function plainText(text: string): ExtractedDocument {
  return { text };
}
