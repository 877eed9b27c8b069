import { isUtf8 } from 'node:buffer';

import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Text decoded from bytes, with the encoding that was used. */
export interface DecodedText {
  text: string;
  encoding: string;
}

/**
 * How much of a file the binary and encoding heuristics look at. 64 KiB decides reliably
 * and keeps sniffing cheap on files of tens of megabytes.
 */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Share of control characters above which decoded "text" is treated as binary. Real text
 * carries a few (form feeds, a DOS end-of-file mark); binary data has several percent.
 */
const MAX_CONTROL_SHARE = 0.01;

const BOMS: { bytes: number[]; encoding: string }[] = [
  // UTF-32LE must be tested before UTF-16LE: its BOM starts with the UTF-16LE one.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Decodes text in any common encoding: a BOM wins; without one, valid UTF-8 is UTF-8,
 * UTF-16 is recognised by its zero bytes, and anything else is a legacy encoding guessed
 * by `chardet` (windows-1252 when unsure). Returns `undefined` for binary content.
 * The text is not normalised yet: see `normaliseText`.
 */
export function decodeText(bytes: Uint8Array): DecodedText | undefined {
  const encoding = detectEncoding(bytes);
  if (encoding === undefined) return undefined;

  const text = decodeAs(bytes, encoding);
  if (controlShare(text) > MAX_CONTROL_SHARE) return undefined;
  return { text, encoding };
}

/** The encoding `decodeText` would use, or `undefined` when the bytes are binary. */
export function detectEncoding(bytes: Uint8Array): string | undefined {
  const bom = BOMS.find((b) => b.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) return bom.encoding;

  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (sample.includes(0)) return utf16WithoutBom(sample);
  if (isUtf8(bytes)) return 'utf-8';
  return guessLegacyEncoding(bytes);
}

/** Newlines become `\n` and the text is NFC-normalised, so equal words compare equal. */
export function normaliseText(text: string): string {
  let out = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  // ASCII is already in NFC; skipping it spares a copy of large plain files.
  if (/[\u0080-\uffff]/.test(out)) out = out.normalize('NFC');
  return out;
}

function decodeAs(bytes: Uint8Array, encoding: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // iconv-lite strips a leading BOM of the encoding it decodes.
  return iconv.decode(buffer, encoding);
}

/**
 * UTF-16 without a BOM shows as ASCII with a zero byte in every other position. Anything
 * else with zero bytes is binary.
 */
function utf16WithoutBom(sample: Uint8Array): string | undefined {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return undefined;

  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros += 1;
    if (sample[i + 1] === 0) oddZeros += 1;
  }

  if (oddZeros > pairs * 0.9 && evenZeros < pairs * 0.1) return 'utf-16le';
  if (evenZeros > pairs * 0.9 && oddZeros < pairs * 0.1) return 'utf-16be';
  return undefined;
}

function guessLegacyEncoding(bytes: Uint8Array): string {
  // Look where the non-ASCII bytes are: a file that starts with pages of ASCII would
  // otherwise give chardet nothing to go on.
  const firstHigh = bytes.findIndex((b) => b >= 0x80);
  const start = Math.max(0, firstHigh - 1024);
  const guess = chardet.detect(bytes.subarray(start, start + SAMPLE_BYTES));

  if (!guess || /^(utf|iso-8859-1$)/i.test(guess) || !iconv.encodingExists(guess)) {
    // windows-1252 is a superset of ISO-8859-1's printable characters and is what
    // browsers use for "Latin-1", so it is the safe default for Western text.
    return 'windows-1252';
  }
  return guess;
}

/** Share of C0 control characters other than tab, newlines, vertical tab and form feed. */
function controlShare(text: string): number {
  const length = Math.min(text.length, SAMPLE_BYTES);
  if (length === 0) return 0;

  let controls = 0;
  for (let i = 0; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) controls += 1;
  }
  return controls / length;
}
