import { stemmer } from 'stemmer';

import type { Analyzer } from '../types.js';

/**
 * The classic English stop words of Lucene's `EnglishAnalyzer` (33 words). A short list on
 * purpose: BM25's idf already discounts common words, and a long list would make phrases
 * such as "to be or not to be" unsearchable.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
]);

/**
 * Words that say nothing of what a query is about: its questions and function words
 * ("what", "how", "which", "about", "should", …), dropped from queries only. Documents keep
 * them, so stored term lists and their statistics do not depend on this list. Lucene's 33
 * words and the classic English list that lunr ships (119 words), but for four that also
 * name things once lower-cased: "us" (US), "may" (May), "own" and "dear".
 */
export const ENGLISH_QUERY_STOP_WORDS: ReadonlySet<string> = new Set([
  ...ENGLISH_STOP_WORDS,
  ...(
    'able about across after all almost also am among any because been can cannot could ' +
    'did do does either else ever every from get got had has have he her hers him his how ' +
    'however i its just least let like likely me might most must my neither nor off often ' +
    'only other our rather said say says she should since so some than them tis too twas ' +
    'wants we were what when where which while who whom why would yet you your'
  ).split(' '),
]);

/**
 * A word: letters, combining marks and digits, possibly joined by apostrophes so that a
 * possessive `'s` can be recognised before the apostrophe splits the word.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’ʼ][\p{L}\p{M}\p{N}]+)*/gu;
const APOSTROPHE = /['’ʼ]/u;
const POSSESSIVE = /['’ʼ]s$/u;

/** Scripts written without spaces between words; they are indexed as character bigrams. */
const CJK_RUN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/u;
const CJK_RUN_GLOBAL = new RegExp(CJK_RUN.source, 'gu');

/** Words longer than this are not words (base64, hashes, minified code) and are dropped. */
const MAX_TOKEN_LENGTH = 64;

/** Bound on the stem memo of one analyzer: about 10 MB of short strings. */
const STEM_CACHE_LIMIT = 100_000;

/**
 * Splits text into lower-cased tokens without stop-word removal or stemming: letters and
 * digits form words; apostrophes, punctuation, symbols and spaces separate them; a trailing
 * possessive `'s` is dropped; runs of Han, Hiragana, Katakana and Hangul become overlapping
 * character bigrams ("検索エンジン" → 検索, 索エ, エン, ンジ, ジン); a lone CJK character
 * stays a unigram. Never throws: any string is just text.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const normalized = text.normalize('NFKC').toLowerCase();

  for (const match of normalized.matchAll(WORD)) {
    let word = match[0];
    if (POSSESSIVE.test(word)) word = word.slice(0, -2);
    const parts = APOSTROPHE.test(word) ? word.split(APOSTROPHE) : [word];
    for (const part of parts) {
      if (part.length === 0) continue;
      if (CJK_RUN.test(part)) pushMixedScript(part, tokens);
      else if (part.length <= MAX_TOKEN_LENGTH) tokens.push(part);
    }
  }

  return tokens;
}

/** Splits a word that contains CJK characters into CJK bigrams and ordinary words. */
function pushMixedScript(word: string, tokens: string[]): void {
  let last = 0;
  for (const match of word.matchAll(CJK_RUN_GLOBAL)) {
    const start = match.index;
    if (start > last) pushWord(word.slice(last, start), tokens);
    pushBigrams(match[0], tokens);
    last = start + match[0].length;
  }
  if (last < word.length) pushWord(word.slice(last), tokens);
}

function pushWord(word: string, tokens: string[]): void {
  if (word.length <= MAX_TOKEN_LENGTH) tokens.push(word);
}

function pushBigrams(run: string, tokens: string[]): void {
  // Iterate by code point: some Han characters lie outside the Basic Multilingual Plane.
  const chars = Array.from(run);
  if (chars.length === 1) {
    tokens.push(chars[0]!);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
}

/**
 * Creates Quarry's English analyzer: {@link tokenize}, then Lucene's classic English stop
 * words, then the Porter stemmer; queries also drop {@link ENGLISH_QUERY_STOP_WORDS}.
 * Changing what it produces for documents changes every stored term list, so any such change
 * must come with a new `id`.
 */
export function createEnglishAnalyzer(): Analyzer {
  // Stemming dominates analysis time and vocabularies repeat, so stems are memoised per
  // analyzer; the memo never changes a result, it is cleared when it grows too large.
  const stems = new Map<string, string>();

  function stem(token: string): string {
    const cached = stems.get(token);
    if (cached !== undefined) return cached;

    // Numbers and CJK bigrams have nothing for the Porter rules to remove.
    const result = /[a-z]/.test(token) ? stemmer(token) : token;
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(token, result);
    return result;
  }

  function analyze(text: string, stopWords: ReadonlySet<string>): string[] {
    const terms: string[] = [];
    for (const token of tokenize(text)) {
      if (!stopWords.has(token)) terms.push(stem(token));
    }
    return terms;
  }

  return {
    id: 'en-v1',
    analyze: (text) => analyze(text, ENGLISH_STOP_WORDS),
    analyzeQuery(text) {
      // A query of nothing but such words ("who was he?") is still searched by them.
      const terms = analyze(text, ENGLISH_QUERY_STOP_WORDS);
      return terms.length > 0 ? terms : analyze(text, ENGLISH_STOP_WORDS);
    },
  };
}

/** The default English analyzer (`en-v1`), shared because it holds no state beyond a memo. */
export const englishAnalyzer: Analyzer = createEnglishAnalyzer();
