import path from 'node:path';

import { fileTypeFromBuffer } from 'file-type';

import type { DocumentKind } from '../types.js';
import { detectDelimiter } from './csv.js';
import { decodeText, normaliseText } from './decode.js';
import { MAX_DOCX_PARTS } from './docx.js';
import { looksLikeHtml } from './html.js';
import { looksLikeJsonLines, tryParseJson } from './json.js';
import { looksLikeMarkdown } from './markdown.js';
import type { ZipInventory } from './zip.js';
import { listZipEntries } from './zip.js';

/** What a file's content turned out to be. */
export interface KindDetection {
  kind: DocumentKind | 'unsupported';
  mediaType: string;
  /** The content in words a user knows, e.g. "a PNG image" or "plain text (windows-1252)". */
  description: string;
}

/**
 * Detection plus what was learnt on the way, so extraction does not decode or parse the
 * same bytes twice.
 */
export interface Sniffed extends KindDetection {
  /** Decoded and normalised text, for the text-based kinds. */
  text?: string;
  /** CSV delimiter. */
  delimiter?: string;
  /** The parsed value, when the whole file parsed as JSON. */
  json?: ReturnType<typeof tryParseJson>;
  /** The zip directory of a DOCX file. */
  zip?: ZipInventory;
  /** An Office file encrypted with a password (it is then not a zip at all). */
  passwordProtected?: boolean;
}

const MEDIA_TYPES: Record<DocumentKind, string> = {
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
};

const OCTET_STREAM = 'application/octet-stream';

/** Friendlier names for the binary formats people most often upload by mistake. */
const BINARY_NAMES: Record<string, string> = {
  png: 'a PNG image',
  jpg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  tif: 'a TIFF image',
  bmp: 'a BMP image',
  heic: 'a HEIC photo',
  mp3: 'an MP3 audio file',
  mp4: 'an MP4 video',
  mov: 'a QuickTime video',
  wav: 'a WAV audio file',
  gz: 'a gzip archive',
  '7z': 'a 7-Zip archive',
  rar: 'a RAR archive',
  exe: 'a Windows program',
  elf: 'a Linux program',
  sqlite: 'an SQLite database',
  epub: 'an EPUB book',
};

const PDF_MAGIC = Buffer.from('%PDF-');
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Encrypted OOXML files are OLE2 containers with a stream of this name (UTF-16LE). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/**
 * Reads what a file is from its content. The name only settles what content cannot: it
 * makes a text file CSV, Markdown or JSON Lines when the content fits, but never turns
 * a PDF into a Word document or random bytes into text.
 */
export async function detectKind(bytes: Uint8Array, fileName?: string): Promise<KindDetection> {
  const { kind, mediaType, description } = await sniff(bytes, fileName);
  return { kind, mediaType, description };
}

/** `detectKind` with the decoded text and parsed structures kept for extraction. */
export async function sniff(bytes: Uint8Array, fileName?: string): Promise<Sniffed> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const extension = path.extname(fileName ?? '').toLowerCase();

  if (buffer.length === 0) return unsupported('an empty file', OCTET_STREAM);

  // The PDF header may follow some junk; readers accept it within the first kilobyte.
  const pdfAt = buffer.subarray(0, 1024).indexOf(PDF_MAGIC);
  if (pdfAt !== -1) return known('pdf', 'a PDF document');

  if (startsWith(buffer, ZIP_MAGIC)) return sniffZip(buffer, extension);
  if (startsWith(buffer, EMPTY_ZIP_MAGIC))
    return unsupported('an empty ZIP archive', 'application/zip');
  if (startsWith(buffer, OLE2_MAGIC)) return sniffOle2(buffer);

  const decoded = decodeText(buffer);
  if (!decoded) return sniffBinary(buffer);

  const text = normaliseText(decoded.text);
  return { ...classifyText(text, extension, decoded.encoding), text };
}

/** Decides among the text-based kinds. */
function classifyText(text: string, extension: string, encoding: string): Sniffed {
  if (text.startsWith('{\\rtf')) {
    return unsupported('a Rich Text Format (RTF) document', 'application/rtf');
  }

  const markup = /^\s*</.test(text);
  if (looksLikeHtml(text) || (markup && ['.html', '.htm', '.xhtml'].includes(extension))) {
    return known('html', 'an HTML page');
  }

  // One record on one line is valid JSON too; a JSON Lines name settles which it is.
  const namedJsonl = ['.jsonl', '.ndjson'].includes(extension);
  if (namedJsonl && looksLikeJsonLines(text, false)) return known('jsonl', 'a JSON Lines file');
  const json = tryParseJson(text);
  if (json) return { ...known('json', 'a JSON file'), json };
  if (looksLikeJsonLines(text)) return known('jsonl', 'a JSON Lines file');
  // Named JSON and shaped like JSON but not parsing: damaged JSON, not prose.
  if (/^\s*[[{]/.test(text) && (extension === '.json' || namedJsonl)) {
    return extension === '.json'
      ? known('json', 'a JSON file')
      : known('jsonl', 'a JSON Lines file');
  }

  if (extension === '.csv' || extension === '.tsv') {
    const fallback = extension === '.tsv' ? '\t' : ',';
    return csv(detectDelimiter(text, 1) ?? fallback);
  }
  if (['.md', '.markdown', '.mdown', '.mkd'].includes(extension) || looksLikeMarkdown(text)) {
    return known('markdown', 'a Markdown file');
  }

  const delimiter = detectDelimiter(text);
  if (delimiter) return csv(delimiter);

  return known('text', `plain text (${encoding})`);
}

async function sniffZip(buffer: Buffer, extension: string): Promise<Sniffed> {
  let zip: ZipInventory;
  try {
    zip = await listZipEntries(buffer, MAX_DOCX_PARTS);
  } catch {
    // The directory is unreadable; a local header naming the Word body still shows what
    // the file was meant to be, and extraction then reports it as damaged.
    if (buffer.includes('word/document.xml') || extension === '.docx') {
      return known('docx', 'a Word document');
    }
    return unsupported('a damaged ZIP archive', 'application/zip');
  }

  const names = new Set(zip.entries.map((entry) => entry.name));
  if (names.has('word/document.xml') || (zip.truncated && extension === '.docx')) {
    return { ...known('docx', 'a Word document'), zip };
  }
  if (names.has('xl/workbook.xml')) {
    return unsupported('an Excel workbook (XLSX)', 'application/vnd.ms-excel');
  }
  if (names.has('ppt/presentation.xml')) {
    return unsupported('a PowerPoint presentation (PPTX)', 'application/vnd.ms-powerpoint');
  }
  if (names.has('META-INF/container.xml'))
    return unsupported('an EPUB book', 'application/epub+zip');
  if (names.has('content.xml')) {
    return unsupported(
      'an OpenDocument file (ODT, ODS or ODP)',
      'application/vnd.oasis.opendocument',
    );
  }
  return unsupported('a ZIP archive', 'application/zip');
}

function sniffOle2(buffer: Buffer): Sniffed {
  if (buffer.includes(ENCRYPTED_PACKAGE)) {
    return {
      ...unsupported('a password-protected Office document', 'application/x-cfb'),
      passwordProtected: true,
    };
  }
  return unsupported(
    'a legacy Microsoft Office file (.doc, .xls or .ppt); save it as .docx or PDF first',
    'application/x-cfb',
  );
}

async function sniffBinary(buffer: Buffer): Promise<Sniffed> {
  let type: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    type = await fileTypeFromBuffer(buffer);
  } catch {
    type = undefined;
  }
  if (!type) return unsupported('binary data, not text', OCTET_STREAM);

  const name = BINARY_NAMES[type.ext] ?? `a ${type.ext.toUpperCase()} file`;
  return unsupported(`${name} (${type.mime})`, type.mime);
}

function known(kind: DocumentKind, description: string): Sniffed {
  return { kind, mediaType: MEDIA_TYPES[kind], description };
}

function csv(delimiter: string): Sniffed {
  const tabs = delimiter === '\t';
  return {
    kind: 'csv',
    mediaType: tabs ? 'text/tab-separated-values' : MEDIA_TYPES.csv,
    description: tabs ? 'a tab-separated table' : 'a CSV table',
    delimiter,
  };
}

function unsupported(description: string, mediaType: string): Sniffed {
  return { kind: 'unsupported', mediaType, description };
}

function startsWith(buffer: Buffer, magic: Buffer): boolean {
  return buffer.length >= magic.length && buffer.subarray(0, magic.length).equals(magic);
}
