import { stemmer } from 'stemmer';

const STOP_WORDS = new Set(['a', 'an', 'and', 'in', 'is', 'of', 'on', 'the', 'to', 'what', 'why']);
const TOKEN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+|[\p{L}\p{M}\p{N}]+/gu;
const CJK = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;

/**
 * A stand-in for Quarry's analyzer with the behaviours highlighting and answers rely on:
 * lower case, stop words, Porter stems, and CJK runs as overlapping bigrams.
 */
export function testAnalyze(text: string): string[] {
  const terms: string[] = [];
  for (const [token] of text.toLowerCase().matchAll(TOKEN)) {
    if (CJK.test(token)) {
      const chars = Array.from(token);
      if (chars.length === 1) terms.push(token);
      for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i]! + chars[i + 1]!);
    } else if (!STOP_WORDS.has(token)) {
      terms.push(stemmer(token));
    }
  }
  return terms;
}
