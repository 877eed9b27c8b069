import type { ExtractedDocument, ExtractionLimits } from '../types.js';
import { corrupt, noText, passwordNeeded, tooManyParts, unpacksTooLarge } from './errors.js';
import type { ZipInventory } from './zip.js';
import { inflateAllEntries, listZipEntries, ZipLimitError } from './zip.js';

/**
 * A Word document has a few dozen parts, a large one a few hundred (one per image).
 * Far more is a crafted archive meant to exhaust memory while being listed.
 */
export const MAX_DOCX_PARTS = 10_000;

const CORE_PROPERTIES = 'docProps/core.xml';

/**
 * The text of a DOCX file. The archive is checked before mammoth sees it: the declared
 * unpacked size first (cheap, stops honest bombs at once), then every entry is actually
 * inflated and counted, because mammoth's zip reader trusts the headers and would unpack
 * a lying entry into memory.
 */
export async function extractDocx(
  bytes: Uint8Array,
  limits: ExtractionLimits,
  inventory?: ZipInventory,
): Promise<ExtractedDocument> {
  const zip = inventory ?? (await readInventory(bytes));
  if (zip.truncated) throw tooManyParts(MAX_DOCX_PARTS);
  if (zip.entries.some((entry) => entry.encrypted)) throw passwordNeeded('office');
  if (zip.declaredBytes > limits.maxDecompressedBytes) {
    throw unpacksTooLarge(limits, zip.declaredBytes);
  }

  let kept: Map<string, string>;
  try {
    kept = await inflateAllEntries(bytes, limits.maxDecompressedBytes, new Set([CORE_PROPERTIES]));
  } catch (error) {
    if (error instanceof ZipLimitError && error.reason === 'too_large') {
      throw unpacksTooLarge(limits);
    }
    if (error instanceof ZipLimitError && error.reason === 'encrypted') {
      throw passwordNeeded('office');
    }
    throw corrupt('docx', undefined, error);
  }

  let raw: string;
  try {
    // Loaded on first use: most deployments see far more PDFs and text than DOCX.
    const { default: mammoth } = await import('mammoth');
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    raw = (await mammoth.extractRawText({ buffer })).value;
  } catch (error) {
    throw corrupt('docx', undefined, error);
  }

  // mammoth ends every paragraph with a blank line; empty paragraphs stack them up.
  const text = raw
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .normalize('NFC');
  if (!text) throw noText('docx');

  const document: ExtractedDocument = { text };
  const title = coreTitle(kept.get(CORE_PROPERTIES));
  if (title) document.title = title;
  return document;
}

export async function readInventory(bytes: Uint8Array): Promise<ZipInventory> {
  try {
    return await listZipEntries(bytes, MAX_DOCX_PARTS);
  } catch (error) {
    throw corrupt('docx', undefined, error);
  }
}

/** `dc:title` from the document properties, when the author set one. */
function coreTitle(xml: string | undefined): string | undefined {
  const match = xml && /<dc:title>([\s\S]*?)<\/dc:title>/.exec(xml);
  if (!match?.[1]) return undefined;
  const title = match[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
  return title || undefined;
}
