/**
 * Finding which characters of a text match a query, judged by the same analyzer the index
 * uses: a word matches when analyzing it yields a query term, so "cracks" lights up for the
 * term "crack" and stop words never do.
 */

/** A range of text to highlight, and the query terms it stands for. */
export interface MatchRange {
  start: number;
  end: number;
  terms: string[];
}

export type Analyze = (text: string) => string[];

/** Letters, marks and digits, joined across apostrophes ("don't", "Quarry's"). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’ʼ][\p{L}\p{M}\p{N}]+)*/gu;

/** Scripts written without spaces; analyzers index them as overlapping character bigrams. */
const CJK_RUN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu;

function matchingTerms(analyze: Analyze, text: string, query: ReadonlySet<string>): string[] {
  return analyze(text).filter((term) => query.has(term));
}

/** Characters appearing in any query term, as analyzers normalise them (NFKC, lower case). */
function queryCharacters(query: ReadonlySet<string>): Set<string> {
  const chars = new Set<string>();
  for (const term of query) for (const char of term) chars.add(char);
  return chars;
}

/**
 * Within a CJK run, the characters covered by a matching term. Each adjacent pair is analyzed
 * on its own (a bigram analyzer turns it into exactly that bigram), and so is each character,
 * for single-character query terms. Touching or overlapping covers merge into one range.
 * Characters that appear in no query term are skipped without calling the analyzer, which
 * keeps long CJK chunks cheap.
 */
function cjkMatches(
  run: string,
  offset: number,
  analyze: Analyze,
  query: ReadonlySet<string>,
  queryChars: ReadonlySet<string>,
): MatchRange[] {
  const starts: number[] = [];
  for (let i = 0; i < run.length; i += run.codePointAt(i)! > 0xffff ? 2 : 1) starts.push(i);
  starts.push(run.length);

  const covered: MatchRange[] = [];
  const cover = (from: number, to: number, terms: string[]) => {
    const last = covered.at(-1);
    if (last && from <= last.end) {
      last.end = Math.max(last.end, to);
      for (const term of terms) if (!last.terms.includes(term)) last.terms.push(term);
    } else {
      covered.push({ start: from, end: to, terms: [...new Set(terms)] });
    }
  };

  const relevant = (from: number, to: number) =>
    queryChars.has(run.slice(from, to).normalize('NFKC').toLowerCase());

  for (let c = 0; c + 1 < starts.length; c++) {
    const from = starts[c]!;
    if (!relevant(from, starts[c + 1]!)) continue;
    const single = matchingTerms(analyze, run.slice(from, starts[c + 1]), query);
    const to = starts[c + 2];
    const pair = to === undefined ? [] : matchingTerms(analyze, run.slice(from, to), query);
    if (pair.length > 0) cover(from, to!, pair);
    else if (single.length > 0) cover(from, starts[c + 1]!, single);
  }

  return covered.map((range) => ({
    ...range,
    start: range.start + offset,
    end: range.end + offset,
  }));
}

/** Any character of a script the analyzers split into bigrams. */
const HAS_CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;

/** Every range of `text` that matches one of the analyzed `queryTerms`, in text order. */
export function findMatches(
  text: string,
  queryTerms: ReadonlySet<string>,
  analyze: Analyze,
): MatchRange[] {
  if (queryTerms.size === 0) return [];
  const ranges: MatchRange[] = [];
  const queryChars = queryCharacters(queryTerms);
  // Words repeat within a passage, and analyzing one (normalisation, stemming) costs far more
  // than a lookup; each distinct word is analyzed once per call.
  const known = new Map<string, string[]>();
  const termsOf = (word: string): string[] => {
    let terms = known.get(word);
    if (terms === undefined) {
      terms = [...new Set(matchingTerms(analyze, word, queryTerms))];
      known.set(word, terms);
    }
    return terms;
  };
  const mayHaveCjk = HAS_CJK.test(text);

  for (const word of text.matchAll(WORD)) {
    const wordStart = word.index;
    if (!mayHaveCjk || !HAS_CJK.test(word[0])) {
      const terms = termsOf(word[0]);
      if (terms.length > 0) {
        ranges.push({ start: wordStart, end: wordStart + word[0].length, terms: [...terms] });
      }
      continue;
    }

    const pieces: { start: number; text: string; cjk: boolean }[] = [];
    let last = 0;
    for (const run of word[0].matchAll(CJK_RUN)) {
      if (run.index > last) {
        pieces.push({ start: last, text: word[0].slice(last, run.index), cjk: false });
      }
      pieces.push({ start: run.index, text: run[0], cjk: true });
      last = run.index + run[0].length;
    }
    if (last < word[0].length) pieces.push({ start: last, text: word[0].slice(last), cjk: false });

    for (const piece of pieces) {
      const offset = wordStart + piece.start;
      if (piece.cjk) {
        ranges.push(...cjkMatches(piece.text, offset, analyze, queryTerms, queryChars));
        continue;
      }
      const terms = termsOf(piece.text);
      if (terms.length > 0) {
        ranges.push({ start: offset, end: offset + piece.text.length, terms: [...terms] });
      }
    }
  }

  return ranges;
}
