import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';

import { decodeText, detectEncoding, normaliseText } from './decode.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

describe('decodeText', () => {
  test('a byte order mark decides the encoding and is not part of the text', () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('héllo', 'utf8')]), 'utf-8'],
      [new Uint8Array([0xff, 0xfe, ...Buffer.from('héllo', 'utf16le')]), 'utf-16le'],
      [new Uint8Array([0xfe, 0xff, ...iconv.encode('héllo', 'utf-16be')]), 'utf-16be'],
    ];
    for (const [input, encoding] of cases) {
      expect(decodeText(input)).toEqual({ text: 'héllo', encoding });
    }
  });

  test('valid UTF-8 without a BOM is read as UTF-8', () => {
    expect(decodeText(utf8('naïve 検索 검색'))).toEqual({
      text: 'naïve 検索 검색',
      encoding: 'utf-8',
    });
  });

  test('Latin-1 bytes are detected and decoded without mojibake', () => {
    const latin1 = new Uint8Array(
      Buffer.from('Les crèmes brûlées du café étaient délicieuses, très sucrées.', 'latin1'),
    );
    expect(decodeText(latin1)?.text).toBe(
      'Les crèmes brûlées du café étaient délicieuses, très sucrées.',
    );
  });

  test('windows-1252 curly quotes decode to the right characters', () => {
    const input = iconv.encode(
      'He said \u201cthe pump\u201d \u2013 twice, caf\u00e9.',
      'windows-1252',
    );
    expect(decodeText(new Uint8Array(input))?.text).toBe(
      'He said \u201cthe pump\u201d \u2013 twice, caf\u00e9.',
    );
  });

  test('UTF-16LE without a BOM is recognised from its zero bytes', () => {
    const input = new Uint8Array(Buffer.from('plain ASCII text in UTF-16', 'utf16le'));
    expect(detectEncoding(input)).toBe('utf-16le');
    expect(decodeText(input)?.text).toBe('plain ASCII text in UTF-16');
  });

  test('bytes with NULs or many control characters are binary, not text', () => {
    expect(decodeText(bytes(0x48, 0x00, 0x13, 0x00, 0x00, 0x9a, 0x41, 0x00, 0x00, 0x00))).toBe(
      undefined,
    );
    const controls = new Uint8Array(200).map((_, i) => (i % 4 === 0 ? 0x01 : 0x61));
    expect(decodeText(controls)).toBe(undefined);
  });

  test('a few stray control characters do not make a long text binary', () => {
    const text = 'A line of ordinary prose. '.repeat(40) + '\x0c\x1a';
    expect(decodeText(utf8(text))?.text).toBe(text);
  });
});

describe('normaliseText', () => {
  test('Windows and old Mac line endings become \\n', () => {
    expect(normaliseText('one\r\ntwo\rthree\n')).toBe('one\ntwo\nthree\n');
  });

  test('decomposed accents are composed (NFC) so equal words compare equal', () => {
    expect(normaliseText('cre\u0300me')).toBe('crème');
  });
});
