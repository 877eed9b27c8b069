/** A sentence of a passage: `text === passage.text.slice(start, end)`. */
export interface Sentence {
  start: number;
  end: number;
  text: string;
  /** The sentence went on past `end` and was shortened to fit. */
  clipped?: boolean;
}

// ICU's root sentence rules serve every language Quarry indexes, CJK punctuation included.
const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/g;

/**
 * Replaces line breaks that do not separate paragraphs with spaces, keeping every offset.
 *
 * ICU ends a sentence at every line break, but text extracted from PDFs breaks lines in the
 * middle of sentences; quoting such a fragment would cite half a thought. A run of whitespace
 * with two or more line breaks is a paragraph break and is left alone.
 */
function joinWrappedLines(text: string): string {
  return text.replace(/\s+/g, (run) => {
    const breaks = run.replace(/\r\n/g, '\n').match(LINE_BREAK)?.length ?? 0;
    return breaks >= 2 ? run : run.replace(LINE_BREAK, ' ');
  });
}

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

/**
 * Shortens a sentence longer than `maxChars` to its longest prefix that ends at a word
 * boundary (or, for text without spaces, at `maxChars` without splitting a surrogate pair).
 */
function clip(text: string, sentence: Sentence, maxChars: number): Sentence {
  if (sentence.end - sentence.start <= maxChars) return sentence;
  const limit = sentence.start + maxChars;

  let end = limit;
  while (end > sentence.start && !(isSpace(text[end]) && !isSpace(text[end - 1]))) end--;
  if (end <= sentence.start + maxChars / 2) {
    end = limit;
    if (/[\uDC00-\uDFFF]/.test(text[end] ?? '')) end--;
  }
  return { start: sentence.start, end, text: text.slice(sentence.start, end), clipped: true };
}

/**
 * The sentences of `text` with their offsets, surrounding whitespace trimmed, each at most
 * `maxChars` long (longer ones are clipped, so a quote never swamps an answer).
 */
export function splitSentences(text: string, maxChars: number): Sentence[] {
  const sentences: Sentence[] = [];
  for (const { index, segment } of sentenceSegmenter.segment(joinWrappedLines(text))) {
    let start = index;
    let end = index + segment.length;
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
    if (end > start)
      sentences.push(clip(text, { start, end, text: text.slice(start, end) }, maxChars));
  }
  return sentences;
}
