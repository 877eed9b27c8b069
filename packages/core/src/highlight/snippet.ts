import { findMatches, type Analyze, type MatchRange } from './matches.js';

export interface SnippetOptions {
  /** Longest excerpt of the text, ellipses not counted. */
  maxChars?: number;
}

export interface Snippet {
  /** The excerpt as HTML: matches in `<mark>`, everything else escaped. */
  html: string;
  /** The excerpt as plain text, with "…" where it was cut and whitespace collapsed. */
  text: string;
  /** Where the excerpt lies in the original text (ellipses excluded). */
  start: number;
  end: number;
}

/** About two lines of a results page: enough to judge a hit, short enough to scan many. */
export const DEFAULT_SNIPPET_CHARS = 240;

/** How far a cut may move to reach a space before it settles for cutting inside a word. */
const WORD_SNAP_LIMIT = 30;

const ELLIPSIS = '…';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);

/**
 * The run of matches, no wider than `maxChars`, that covers the most distinct query terms,
 * then the most matches; the earliest wins ties. Returns the indexes [first, last].
 */
function densestRun(matches: MatchRange[], maxChars: number): [number, number] {
  let best: [number, number] = [0, 0];
  let bestScore = -1;
  let last = 0;
  for (let first = 0; first < matches.length; first++) {
    last = Math.max(last, first);
    while (
      last + 1 < matches.length &&
      matches[last + 1]!.end - matches[first]!.start <= maxChars
    ) {
      last++;
    }
    const terms = new Set(matches.slice(first, last + 1).flatMap((match) => match.terms));
    const score = terms.size * matches.length + (last - first + 1);
    if (score > bestScore) {
      best = [first, last];
      bestScore = score;
    }
  }
  return best;
}

/**
 * Whether an excerpt may start or end at `pos` without cutting a word: next to whitespace, or
 * right after CJK punctuation (CJK text has no spaces, but its commas and full stops are just
 * as good a place to cut).
 */
function isBreak(text: string, pos: number): boolean {
  return (
    pos <= 0 ||
    pos >= text.length ||
    isSpace(text[pos - 1]) ||
    isSpace(text[pos]) ||
    /[。、！？，；：」）]/.test(text[pos - 1]!)
  );
}

const splitsSurrogatePair = (text: string, pos: number) =>
  /[\uD800-\uDBFF]/.test(text[pos - 1] ?? '') && /[\uDC00-\uDFFF]/.test(text[pos] ?? '');

/** Moves a cut at `pos` forward, up to `limit`, past a partial word. */
function snapStart(text: string, pos: number, limit: number): number {
  if (!isBreak(text, pos)) {
    const reach = Math.min(limit, pos + WORD_SNAP_LIMIT);
    let next = pos + 1;
    while (next < reach && !isBreak(text, next)) next++;
    if (next < reach) pos = next;
    else if (splitsSurrogatePair(text, pos)) pos++;
  }
  while (pos < limit && isSpace(text[pos])) pos++;
  return pos;
}

/** Moves a cut at `pos` back, down to `limit`, before a partial word. */
function snapEnd(text: string, pos: number, limit: number): number {
  if (!isBreak(text, pos)) {
    const reach = Math.max(limit, pos - WORD_SNAP_LIMIT);
    let previous = pos - 1;
    while (previous > reach && !isBreak(text, previous)) previous--;
    if (previous > reach) pos = previous;
    else if (splitsSurrogatePair(text, pos)) pos--;
  }
  while (pos > limit && isSpace(text[pos - 1])) pos--;
  return pos;
}

/** The excerpt [start, end) around the densest matches, or the leading one without any. */
function chooseWindow(text: string, matches: MatchRange[], maxChars: number): [number, number] {
  if (matches.length === 0) {
    const start = snapStart(text, 0, text.length);
    return [start, Math.min(text.length, start + maxChars)];
  }

  const [first, last] = densestRun(matches, maxChars);
  const spanStart = matches[first]!.start;
  const spanEnd = matches[last]!.end;

  // Centre the matches, shifting the window back inside the text at either end.
  const slack = Math.max(0, maxChars - (spanEnd - spanStart));
  let start = Math.max(0, spanStart - Math.floor(slack / 2));
  const end = Math.min(text.length, start + maxChars);
  start = Math.max(0, Math.min(start, end - maxChars));
  return [snapStart(text, start, spanStart), end];
}

/** Renders `[start, end)` with marks, collapsing whitespace the way a browser would. */
function render(text: string, start: number, end: number, matches: MatchRange[]) {
  let html = '';
  let plain = '';
  let pos = start;
  const append = (from: number, to: number, marked: boolean) => {
    const piece = text.slice(from, to).replace(/\s+/g, ' ');
    plain += piece;
    html += marked ? `<mark>${escapeHtml(piece)}</mark>` : escapeHtml(piece);
  };

  for (const match of matches) {
    if (match.start < pos || match.end > end) continue;
    append(pos, match.start, false);
    append(match.start, match.end, true);
    pos = match.end;
  }
  append(pos, end, false);
  return { html, plain };
}

/**
 * A short excerpt of `text` centred on its densest matches of `queryTerms` (terms already
 * analyzed), cut at word boundaries and marked with "…" where cut. Words are matched by
 * analyzing them with `analyze`, the analyzer the index used, so stems and CJK bigrams line
 * up with what was searched. The HTML escapes everything but the `<mark>` tags it adds, so it
 * is safe to insert whatever the document contained.
 */
export function makeSnippet(
  text: string,
  queryTerms: string[],
  analyze: Analyze,
  options: SnippetOptions = {},
): Snippet {
  const maxChars = Math.max(1, Math.floor(options.maxChars ?? DEFAULT_SNIPPET_CHARS));
  const matches = findMatches(text, new Set(queryTerms), analyze);

  const [windowStart, windowEnd] = chooseWindow(text, matches, maxChars);
  const lastMatchEnd = matches
    .filter((match) => match.end <= windowEnd)
    .reduce((end, match) => Math.max(end, match.end), windowStart);
  const start = windowStart;
  const end = snapEnd(text, Math.min(windowEnd, text.length), lastMatchEnd);

  const { html, plain } = render(text, start, end, matches);
  const before = text.slice(0, start).trim().length > 0 ? ELLIPSIS : '';
  const after = text.slice(end).trim().length > 0 ? ELLIPSIS : '';
  return { html: before + html + after, text: before + plain + after, start, end };
}
