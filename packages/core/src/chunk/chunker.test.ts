import { describe, expect, it } from 'vitest';
import type { Chunk, ChunkingOptions, ExtractedDocument } from '../types.js';
import { seeded } from '../vector/test-support/random-vectors.js';
import { chunkDocument, DEFAULT_CHUNKING } from './chunker.js';

const WORDS = ['quarry', 'stone', 'granite', 'a', 'of', 'seismic', 'fault', 'line', 'x', 'data'];
const CJK = '東京都は日本の首都であり人口が多い大阪京都名古屋';

type Generator = (random: () => number) => string;

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

const generators: Record<string, Generator> = {
  prose(random) {
    const paragraphs: string[] = [];
    for (let p = 0, n = 1 + random() * 12; p < n; p++) {
      const sentences: string[] = [];
      for (let s = 0, m = 1 + random() * 15; s < m; s++) {
        const words = Array.from({ length: 1 + random() * 30 }, () => pick(random, WORDS));
        sentences.push(words.join(' ') + pick(random, ['.', '!', '?', ';']));
      }
      paragraphs.push(sentences.join(' '));
    }
    return paragraphs.join(pick(random, ['\n\n', '\n \n', '\r\n\r\n']));
  },
  noSeparator: (random) => 'abcdefghij'.repeat(50 + random() * 600),
  cjk(random) {
    const sentences = Array.from({ length: 5 + random() * 80 }, () => {
      const length = 3 + random() * 60;
      let sentence = '';
      for (let i = 0; i < length; i++) sentence += pick(random, [...CJK]);
      return sentence + pick(random, ['。', '！', '？', '']);
    });
    return sentences.join('');
  },
  tinyParagraphs: (random) =>
    Array.from({ length: 20 + random() * 300 }, (_, i) => `id,${i},${pick(random, WORDS)}`).join(
      '\n\n',
    ),
  astralSymbols: (random) =>
    Array.from({ length: 100 + random() * 800 }, () =>
      pick(random, ['😀', '𝄞', 'é', '👩‍🔬', 'z']),
    ).join(''),
};

const optionSets: Partial<ChunkingOptions>[] = [
  {},
  { targetChars: 60, maxChars: 100, overlapChars: 20 },
  { targetChars: 8, maxChars: 9, overlapChars: 3 },
  { targetChars: 300, maxChars: 300, overlapChars: 0 },
];

function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

function splitsSurrogatePair(text: string, pos: number): boolean {
  return /[\uD800-\uDBFF]/.test(text[pos - 1] ?? '') && /[\uDC00-\uDFFF]/.test(text[pos] ?? '');
}

/** The invariants every chunking must satisfy, whatever the text. */
function expectWellFormed(doc: ExtractedDocument, chunks: Chunk[], maxChars: number): void {
  chunks.forEach((chunk, i) => {
    expect(chunk.ordinal).toBe(i);
    expect(chunk.text).toBe(doc.text.slice(chunk.start, chunk.end));
    expect(chunk.text.length).toBeGreaterThan(0);
    expect(chunk.text.length).toBeLessThanOrEqual(maxChars);
    expect(isWhitespace(chunk.text[0]) || isWhitespace(chunk.text.at(-1))).toBe(false);
    expect(splitsSurrogatePair(doc.text, chunk.start)).toBe(false);
    expect(splitsSurrogatePair(doc.text, chunk.end)).toBe(false);
    if (i > 0) {
      expect(chunk.start).toBeGreaterThan(chunks[i - 1]!.start);
      expect(chunk.end).toBeGreaterThan(chunks[i - 1]!.end);
    }
  });

  // Every non-blank character of the document lies in some chunk.
  let covered = 0;
  for (const chunk of chunks) {
    const gap = doc.text.slice(covered, Math.max(covered, chunk.start));
    expect(gap.trim()).toBe('');
    covered = Math.max(covered, chunk.end);
  }
  expect(doc.text.slice(covered).trim()).toBe('');
}

describe('chunkDocument', () => {
  for (const [name, generate] of Object.entries(generators)) {
    it(`keeps every chunk within maxChars and faithful to the text for ${name} input`, () => {
      const random = seeded(name.length * 7919);
      for (let run = 0; run < 6; run++) {
        const doc = { text: generate(random) };
        for (const options of optionSets) {
          const maxChars = options.maxChars ?? DEFAULT_CHUNKING.maxChars;
          expectWellFormed(doc, chunkDocument(doc, options), maxChars);
        }
      }
    });
  }

  it('never splits a paragraph that fits within maxChars', () => {
    const random = seeded(42);
    for (let run = 0; run < 20; run++) {
      const paragraphs = Array.from({ length: 3 + random() * 20 }, () => {
        const words = Array.from({ length: 1 + random() * 60 }, () => pick(random, WORDS));
        return words.join(' ') + '.';
      });
      const text = paragraphs.join('\n\n');
      const chunks = chunkDocument({ text }, { targetChars: 150, maxChars: 250, overlapChars: 30 });

      let from = 0;
      for (const paragraph of paragraphs) {
        const start = text.indexOf(paragraph, from);
        const end = start + paragraph.length;
        from = end;
        if (paragraph.length > 250) continue;
        const whole = chunks.some((chunk) => chunk.start <= start && chunk.end >= end);
        expect(whole, `paragraph at ${start} was split`).toBe(true);
      }
    }
  });

  it('cuts prose at sentence ends when a paragraph is too long', () => {
    const sentence = 'The fault line runs under the quarry floor. ';
    const text = sentence.repeat(100).trim();
    const chunks = chunkDocument({ text }, { targetChars: 300, maxChars: 400, overlapChars: 50 });

    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.text.endsWith('floor.')).toBe(true);
  });

  it('cuts CJK text at its sentence punctuation', () => {
    const text = '東京は日本の首都です。'.repeat(300);
    const chunks = chunkDocument({ text });

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.endsWith('。')).toBe(true);
      expect(chunk.text.startsWith('東京')).toBe(true);
    }
  });

  it('repeats the end of the previous chunk, starting at a sentence or word boundary', () => {
    const sentences = Array.from({ length: 80 }, (_, i) => `Sentence number ${i} is here.`);
    const text = sentences.join(' ');
    const chunks = chunkDocument({ text }, { targetChars: 200, maxChars: 300, overlapChars: 60 });

    expect(chunks.length).toBeGreaterThan(3);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!;
      const chunk = chunks[i]!;
      expect(chunk.start).toBeLessThan(previous.end);
      expect(previous.end - chunk.start).toBeLessThanOrEqual(60);
      expect(text[chunk.start - 1]).toBe(' ');
    }
    // The last paragraph fits whole, which leaves room for only a few words of overlap.
    const sentenceStarts = chunks.slice(1, -1).map((chunk) => chunk.text.slice(0, 15));
    expect(new Set(sentenceStarts)).toEqual(new Set(['Sentence number']));
  });

  it('keeps a lone heading with the start of the long paragraph after it', () => {
    const body = Array.from({ length: 40 }, (_, i) => `Body sentence ${i}.`).join(' ');
    const text = `Introduction\n\n${body}`;
    const chunks = chunkDocument({ text }, { targetChars: 200, maxChars: 300, overlapChars: 0 });

    expect(chunks[0]!.text.startsWith('Introduction\n\nBody sentence 0.')).toBe(true);
  });

  it('chunks 3.3 MB of text without any separator quickly and within maxChars', () => {
    const text = 'q'.repeat(3_300_000);
    const started = performance.now();
    const chunks = chunkDocument({ text });
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(5_000);
    expect(chunks.every((chunk) => chunk.text.length <= DEFAULT_CHUNKING.maxChars)).toBe(true);
    expect(chunks.at(-1)!.end).toBe(text.length);
    const overlapping = chunks.slice(1).every((chunk, i) => chunk.start < chunks[i]!.end);
    expect(overlapping).toBe(true);
  });

  it('assigns each chunk the page it starts on', () => {
    const pageText = (page: number) => `Page ${page} says something about granite. `.repeat(40);
    const texts = [1, 2, 3].map(pageText);
    const pages = texts.map((text, i) => {
      const start = texts.slice(0, i).reduce((sum, t) => sum + t.length, 0);
      return { page: i + 1, start, end: start + text.length };
    });
    const doc = { text: texts.join(''), pages: [...pages].reverse() };
    const chunks = chunkDocument(doc, { targetChars: 300, maxChars: 500, overlapChars: 40 });

    for (const chunk of chunks) {
      const expected = pages.find((span) => chunk.start >= span.start && chunk.start < span.end);
      expect(chunk.page).toBe(expected!.page);
    }
    expect(new Set(chunks.map((chunk) => chunk.page))).toEqual(new Set([1, 2, 3]));
  });

  it('never lets a chunk span two pages, so short pages keep their own numbers', () => {
    const texts = ['Hairline cracks on the casing.', 'Oil change interval is 500 hours.', 'End.'];
    let offset = 0;
    const pages = texts.map((text, i) => {
      const span = { page: i + 1, start: offset, end: offset + text.length };
      offset += text.length + 2;
      return span;
    });
    const chunks = chunkDocument({ text: texts.join('\n\n'), pages });

    expect(chunks.map((c) => [c.page, c.text])).toEqual(texts.map((t, i) => [i + 1, t]));
  });

  it('copies the document chunk prefix onto every chunk', () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},granite,42`).join('\n\n');
    const chunks = chunkDocument({ text, chunkPrefix: 'id,rock,weight' }, { targetChars: 100 });

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.prefix === 'id,rock,weight')).toBe(true);
    expect(chunkDocument({ text: 'plain' })[0]).not.toHaveProperty('prefix');
  });

  it('returns no chunks for empty or blank text', () => {
    expect(chunkDocument({ text: '' })).toEqual([]);
    expect(chunkDocument({ text: ' \n\n\t ' })).toEqual([]);
  });

  it('returns one trimmed chunk for a short document', () => {
    const chunks = chunkDocument({ text: '\n  A short note.  \n' });

    expect(chunks).toEqual([{ ordinal: 0, text: 'A short note.', start: 3, end: 16 }]);
  });

  it('refuses options that are not non-negative integers', () => {
    expect(() => chunkDocument({ text: 'x' }, { maxChars: 0 })).toThrow(RangeError);
    expect(() => chunkDocument({ text: 'x' }, { targetChars: -1 })).toThrow(/targetChars/);
    expect(() => chunkDocument({ text: 'x' }, { overlapChars: 1.5 })).toThrow(/overlapChars/);
  });
});
