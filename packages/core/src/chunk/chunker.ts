import type { Chunk, ChunkingOptions, ExtractedDocument } from '../types.js';
import {
  closestTo,
  overlapStart,
  paragraphEnds,
  safeCut,
  sentenceEnds,
  skipWhitespace,
  trimEnd,
  wordEnds,
} from './boundaries.js';

/**
 * Chunks of about 1200 characters hold a few paragraphs: long enough for an embedding to
 * capture a topic, short enough that a citation points at something a reader can check.
 * The 2000-character ceiling keeps every chunk inside the input limit of small embedding
 * models (512 tokens), and 150 characters of overlap carry the previous sentence along so
 * a fact that straddles a cut can still be found.
 */
export const DEFAULT_CHUNKING: ChunkingOptions = Object.freeze({
  targetChars: 1200,
  maxChars: 2000,
  overlapChars: 150,
});

/** Options with every field present, checked and reconciled with each other. */
function resolveOptions(options: Partial<ChunkingOptions>): ChunkingOptions {
  const merged = { ...DEFAULT_CHUNKING, ...options };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Chunking option ${name} must be a non-negative integer, got ${value}`);
    }
  }
  if (merged.maxChars < 1) throw new RangeError('Chunking option maxChars must be at least 1');

  const targetChars = Math.max(1, Math.min(merged.targetChars, merged.maxChars));
  // Overlap longer than half a chunk would make most of the index duplicated text.
  const overlapChars = Math.min(merged.overlapChars, Math.floor(targetChars / 2));
  return { targetChars, maxChars: merged.maxChars, overlapChars };
}

/** Whether the paragraph starting at `start` ends within `max` characters. */
function paragraphFits(text: string, start: number, max: number): boolean {
  const window = text.slice(start, start + max + 2);
  const ends = paragraphEnds(window, start + window.length >= text.length);
  return ends.some((end) => end <= max);
}

/**
 * Where the chunk whose own (non-overlapping) text begins at `start` should end.
 *
 * Cuts are tried from the strongest boundary to the weakest: a paragraph break, a sentence
 * end, a word end, and finally a hard cut. At each level the candidate closest to `target`
 * wins, so a paragraph that fits within `max` is never split: when a paragraph break lies in
 * reach, the cut is made at one of them.
 *
 * One exception avoids chunks made of a lone heading: when the only break in reach leaves a
 * sliver (under a quarter of the target) and the paragraph after it is too long to fit
 * anyway, the sliver is kept with the start of that paragraph, cut at a sentence end.
 */
function findCoreEnd(text: string, start: number, target: number, max: number): number {
  // Two characters past `max` let a blank line right after the limit count as a break.
  const window = text.slice(start, start + max + 2);
  const windowIsTail = start + window.length >= text.length;

  const paragraphs = paragraphEnds(window, windowIsTail);
  const paragraphCut = closestTo(paragraphs, target, max);
  if (paragraphCut > 0) {
    const sliver =
      paragraphCut < target / 4 &&
      !paragraphs.some((end) => end > paragraphCut && end <= max) &&
      !paragraphFits(text, skipWhitespace(text, start + paragraphCut), max);
    if (!sliver) return start + paragraphCut;
  }

  // After a sliver, only cuts past it are worth making; failing those, the sliver stands.
  const past = (ends: number[]) => ends.filter((end) => end > paragraphCut);
  const sentenceCut = closestTo(past(sentenceEnds(window, windowIsTail)), target, max);
  if (sentenceCut > 0) return start + sentenceCut;

  const wordCut = closestTo(past(wordEnds(window)), target, max);
  if (wordCut > 0) return start + wordCut;

  if (paragraphCut > 0) return start + paragraphCut;
  return safeCut(text, start, Math.min(text.length, start + target));
}

/**
 * Splits a document into overlapping chunks whose offsets point back into `doc.text`.
 *
 * The text is first divided into consecutive, non-overlapping "cores"; each chunk is its core
 * plus up to `overlapChars` of the previous core, starting at a sentence or word boundary.
 * Overlap is only added while the chunk stays within `maxChars`, which is what keeps the
 * ceiling absolute. Work is done window by window, so memory stays bounded whatever the size
 * and shape of the text. A paged document is chunked page by page: no chunk spans two
 * pages, so the page a hit reports is the page its words are on.
 */
export function chunkDocument(
  doc: ExtractedDocument,
  options: Partial<ChunkingOptions> = {},
): Chunk[] {
  const resolved = resolveOptions(options);
  const { text } = doc;
  const pages = doc.pages && doc.pages.length > 0 ? [...doc.pages] : undefined;
  pages?.sort((a, b) => a.start - b.start);

  const chunks: Chunk[] = [];
  const emit = (start: number, end: number, page: number | undefined) => {
    const chunk: Chunk = { ordinal: chunks.length, text: text.slice(start, end), start, end };
    if (page !== undefined) chunk.page = page;
    if (doc.chunkPrefix !== undefined) chunk.prefix = doc.chunkPrefix;
    chunks.push(chunk);
  };

  if (!pages) {
    chunkRegion(text, 0, resolved, (start, end) => emit(start, end, undefined));
    return chunks;
  }
  // Text before the first page span (if any) belongs to the first page.
  pages.forEach((span, i) => {
    const regionStart = i === 0 ? 0 : span.start;
    const regionEnd = i === pages.length - 1 ? text.length : pages[i + 1]!.start;
    // The region is cut off at its end so that no boundary search looks past the page.
    chunkRegion(text.slice(0, regionEnd), regionStart, resolved, (start, end) =>
      emit(start, end, span.page),
    );
  });
  return chunks;
}

/** Chunks `text` from `from` to its end, calling `emit` with each chunk's offsets. */
function chunkRegion(
  text: string,
  from: number,
  { targetChars, maxChars, overlapChars }: ChunkingOptions,
  emit: (start: number, end: number) => void,
): void {
  // The core aims short of the target so that core plus overlap lands near it.
  const coreTarget = Math.max(1, targetChars - overlapChars);
  let previousCoreStart = -1;
  let coreStart = skipWhitespace(text, from);

  while (coreStart < text.length) {
    // A short remainder becomes one last chunk rather than a tiny trailing fragment.
    const textEnd = trimEnd(text, coreStart, text.length);
    const coreEnd =
      textEnd - coreStart <= targetChars
        ? textEnd
        : findCoreEnd(text, coreStart, coreTarget, maxChars);

    let start = coreStart;
    if (overlapChars > 0 && previousCoreStart >= 0) {
      // Overlap never swallows the whole previous core, so chunks always move forward.
      const lo = Math.max(previousCoreStart + 1, coreStart - overlapChars, coreEnd - maxChars);
      start = Math.min(coreStart, overlapStart(text, previousCoreStart, lo, coreStart));
    }
    emit(start, coreEnd);

    previousCoreStart = coreStart;
    coreStart = skipWhitespace(text, coreEnd);
  }
}
