import type { ExtractedDocument } from '../types.js';

/** Markdown detection reads no further than this; the opening of a file is telling enough. */
const SNIFF_CHARS = 64 * 1024;

/**
 * Markers that plain prose rarely has. A file must show two different ones to count as
 * Markdown, so one "# comment" line or one bulleted list does not make a text file Markdown.
 */
const MARKDOWN_SIGNS: RegExp[] = [
  /^#{1,6}[ \t]+\S/m, // ATX heading
  /^(```|~~~)/m, // fenced code
  /\[[^\]\n]+\]\([^)\s]+\)/, // inline link
  /(\*\*|__)[^*_\n]+\1/, // strong emphasis
  /^[ \t]{0,3}[-*+][ \t]+\S.*\n[ \t]{0,3}[-*+][ \t]+\S/m, // two bullet items
  /^[ \t]{0,3}\d+\.[ \t]+\S.*\n[ \t]{0,3}\d+\.[ \t]+\S/m, // two numbered items
  /^>[ \t]/m, // block quote
  /^\|?[ \t]*:?-{3,}:?[ \t]*\|/m, // table separator row
  /^\S.*\n(={3,}|-{3,})[ \t]*$/m, // setext heading
];

export function looksLikeMarkdown(text: string): boolean {
  const sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  let signs = 0;
  for (const sign of MARKDOWN_SIGNS) {
    if (sign.test(sample)) signs += 1;
    if (signs >= 2) return true;
  }
  return false;
}

/**
 * Markdown keeps its source text unchanged: chunk offsets and snippets then point at
 * exactly what the author wrote, and the few markup characters do not hurt search
 * (analyzers drop punctuation).
 */
export function extractMarkdown(text: string): ExtractedDocument {
  const title = markdownTitle(text);
  return title ? { title, text } : { text };
}

/** The first level-one heading (`# Title` or `Title` underlined with `===`), outside code. */
export function markdownTitle(text: string): string | undefined {
  let inFence = false;
  let previous = '';

  for (const line of linesOf(text)) {
    if (/^[ \t]{0,3}(```|~~~)/.test(line)) {
      inFence = !inFence;
      previous = '';
      continue;
    }
    if (inFence) continue;

    const atx = /^[ \t]{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx?.[1]) return plainInline(atx[1]);
    if (/^[ \t]{0,3}=+[ \t]*$/.test(line) && previous.trim()) return plainInline(previous.trim());
    previous = line;
  }
  return undefined;
}

/** Lines one by one, without splitting a large file into an array of all its lines. */
function* linesOf(text: string): Generator<string> {
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) {
      yield text.slice(start);
      return;
    }
    yield text.slice(start, end);
    start = end + 1;
  }
}

/** Inline markup removed from a heading: links keep their label, emphasis its words. */
function plainInline(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, '$2')
    .trim();
}
