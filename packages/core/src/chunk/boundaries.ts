/**
 * Finding places to cut text. Every function here looks at a bounded window of the document,
 * never at the whole string, so chunking stays linear in time and small in memory even for
 * megabytes of text without a single separator.
 */

// Sentence rules in ICU are the root rules for nearly every locale; passing no locale keeps
// the behaviour independent of the machine Quarry runs on. The segmenter holds no state
// between calls, so one shared instance is safe.
const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How far around a hard cut we look for a grapheme boundary (covers emoji ZWJ sequences). */
const GRAPHEME_LOOKAROUND = 32;

/** A blank line: two newlines with only horizontal whitespace (or `\r`) between them. */
const BLANK_LINE = /\n[^\S\n]*\n/g;

/** The same characters as `\s` in a JavaScript regular expression, tested without one. */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The first position at or after `pos` that is not whitespace (or `limit`). */
export function skipWhitespace(text: string, pos: number, limit = text.length): number {
  while (pos < limit && isWhitespace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** The end of `text.slice(floor, pos)` once trailing whitespace is dropped. */
export function trimEnd(text: string, floor: number, pos: number): number {
  while (pos > floor && isWhitespace(text.charCodeAt(pos - 1))) pos--;
  return pos;
}

function splitsSurrogatePair(text: string, pos: number): boolean {
  const before = text.charCodeAt(pos - 1);
  const after = text.charCodeAt(pos);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/**
 * Moves a hard cut at `pos` back to the nearest grapheme boundary, so it never separates a
 * surrogate pair, a letter from its combining accent, or the parts of an emoji sequence. The
 * result stays above `floor`, so a cut always makes progress.
 */
export function safeCut(text: string, floor: number, pos: number): number {
  if (pos >= text.length) return text.length;
  const from = Math.max(floor, pos - GRAPHEME_LOOKAROUND);
  const to = Math.min(text.length, pos + GRAPHEME_LOOKAROUND);
  let best = -1;
  for (const { index } of graphemeSegmenter.segment(text.slice(from, to))) {
    const abs = from + index;
    if (abs > pos) break;
    if (abs > floor) best = abs;
  }
  if (best > floor) return best;

  // A cluster longer than the lookaround: at least keep surrogate pairs whole.
  return splitsSurrogatePair(text, pos) && pos - 1 > floor ? pos - 1 : pos;
}

/** Like `safeCut`, but moves forward (towards `ceiling`) instead of back. */
export function safeCutForward(text: string, pos: number, ceiling: number): number {
  if (pos <= 0) return 0;
  const to = Math.min(ceiling, pos + GRAPHEME_LOOKAROUND);
  const from = Math.max(0, pos - GRAPHEME_LOOKAROUND);
  for (const { index } of graphemeSegmenter.segment(text.slice(from, to))) {
    if (from + index >= pos) return from + index;
  }
  return splitsSurrogatePair(text, pos) && pos + 1 <= ceiling ? pos + 1 : pos;
}

/**
 * Relative offsets, within `window`, where a paragraph ends: the last non-blank character
 * before a blank line. `windowIsTail` says the window reaches the end of the document, whose
 * end is then a paragraph end too.
 */
export function paragraphEnds(window: string, windowIsTail: boolean): number[] {
  const ends: number[] = [];
  for (const match of window.matchAll(BLANK_LINE)) {
    const end = trimEnd(window, 0, match.index);
    if (end > 0) ends.push(end);
  }
  if (windowIsTail) {
    const end = trimEnd(window, 0, window.length);
    if (end > 0) ends.push(end);
  }
  return ends;
}

/**
 * Relative offsets where a sentence ends, trailing whitespace excluded. When the window was
 * cut from a longer text its last segment is an artefact of the cut, not a sentence, and is
 * left out.
 */
export function sentenceEnds(window: string, windowIsTail: boolean): number[] {
  const ends: number[] = [];
  for (const { index, segment } of sentenceSegmenter.segment(window)) {
    const segmentEnd = index + segment.length;
    if (segmentEnd === window.length && !windowIsTail) break;
    const end = trimEnd(window, index, segmentEnd);
    if (end > index) ends.push(end);
  }
  return ends;
}

/** Relative offsets where a word ends: the first character of each run of whitespace. */
export function wordEnds(window: string): number[] {
  const ends: number[] = [];
  for (let i = 1; i < window.length; i++) {
    if (isWhitespace(window.charCodeAt(i)) && !isWhitespace(window.charCodeAt(i - 1))) {
      ends.push(i);
    }
  }
  return ends;
}

/**
 * Among candidate cut offsets, the one closest to `target` that is at most `max`; ties go to
 * the shorter cut. Returns -1 when no candidate qualifies.
 */
export function closestTo(candidates: number[], target: number, max: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate <= 0 || candidate > max) continue;
    const distance = Math.abs(candidate - target);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Where the overlap copied from the previous chunk should begin: the earliest sentence start in
 * `[lo, end)`, else the earliest word start. Text with no whitespace at all there (a long
 * token, unpunctuated CJK) gets a hard start at `lo`; text whose only break is trailing
 * whitespace gets no overlap rather than half a word. `floor` is a known boundary (the previous
 * chunk's start) that sentence detection may use as context.
 */
export function overlapStart(text: string, floor: number, lo: number, end: number): number {
  if (lo >= end) return end;

  // Start the segmenter a little before `lo` so that a sentence beginning exactly at `lo` is
  // recognised as one rather than as an artefact of the slice.
  const contextStart = Math.max(floor, lo - 64);
  for (const { index } of sentenceSegmenter.segment(text.slice(contextStart, end))) {
    const abs = contextStart + index;
    if (abs === contextStart && contextStart !== floor) continue;
    if (abs >= lo && abs < end) return skipWhitespace(text, abs, end);
  }

  let sawWhitespace = false;
  for (let pos = lo; pos < end; pos++) {
    if (isWhitespace(text.charCodeAt(pos))) {
      sawWhitespace = true;
    } else if (pos > 0 && isWhitespace(text.charCodeAt(pos - 1))) {
      return pos;
    }
  }

  return sawWhitespace ? end : safeCutForward(text, lo, end);
}
