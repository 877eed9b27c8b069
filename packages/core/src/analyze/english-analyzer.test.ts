import { describe, expect, it } from 'vitest';

import {
  ENGLISH_QUERY_STOP_WORDS,
  ENGLISH_STOP_WORDS,
  englishAnalyzer,
  tokenize,
} from './english-analyzer.js';
import { queryTerms } from './query-terms.js';

const analyze = (text: string): string[] => englishAnalyzer.analyze(text);

describe('englishAnalyzer', () => {
  it('uses the 33 classic Lucene English stop words', () => {
    expect(ENGLISH_STOP_WORDS.size).toBe(33);
    expect(analyze('the wing of an aircraft is not a body')).toEqual(['wing', 'aircraft', 'bodi']);
  });

  it('drops the question and function words of a query, but not of a document', () => {
    const question = 'What should be known about how shock waves form?';
    expect(queryTerms(englishAnalyzer, question)).toEqual(['known', 'shock', 'wave', 'form']);
    expect(analyze(question)).toEqual([
      'what',
      'should',
      'known',
      'about',
      'how',
      'shock',
      'wave',
      'form',
    ]);
    // lunr's 119 words but four, and Lucene's 33, of which only "such" is not among lunr's.
    expect(ENGLISH_QUERY_STOP_WORDS.size).toBe(116);
    expect(queryTerms(englishAnalyzer, 'US exports in May')).toEqual(['us', 'export', 'mai']);
    expect([...ENGLISH_STOP_WORDS].every((word) => ENGLISH_QUERY_STOP_WORDS.has(word))).toBe(true);
  });

  it('searches a query made only of function words by those words', () => {
    expect(queryTerms(englishAnalyzer, 'who was he?')).toEqual(['who', 'he']);
    expect(queryTerms({ id: 'plain', analyze: (text) => text.split(' ') }, 'a b')).toEqual([
      'a',
      'b',
    ]);
  });

  it('lower-cases and reduces words to their Porter stems', () => {
    expect(analyze('Generalizations RUNNING flies Aerodynamics')).toEqual([
      'gener',
      'run',
      'fli',
      'aerodynam',
    ]);
  });

  it('drops the English possessive and splits other words at apostrophes', () => {
    expect(tokenize("John's wing")).toEqual(['john', 'wing']);
    expect(tokenize('the pilots’ notes')).toEqual(['the', 'pilots', 'notes']);
    expect(tokenize("don't")).toEqual(['don', 't']);
  });

  it('treats punctuation and symbols as separators and keeps digits', () => {
    expect(tokenize('mach-2.5 flow, (re=10^6); u.s.a.')).toEqual([
      'mach',
      '2',
      '5',
      'flow',
      're',
      '10',
      '6',
      'u',
      's',
      'a',
    ]);
  });

  it('folds compatibility characters such as ligatures and full-width letters', () => {
    expect(tokenize('ﬁle ＡＢＣ')).toEqual(['file', 'abc']);
  });

  it('keeps accented letters inside words', () => {
    expect(tokenize('Café naïve Ångström')).toEqual(['café', 'naïve', 'ångström']);
  });

  it('indexes Chinese, Japanese and Korean runs as overlapping character bigrams', () => {
    expect(analyze('机器学习')).toEqual(['机器', '器学', '学习']);
    expect(analyze('検索エンジン')).toEqual(['検索', '索エ', 'エン', 'ンジ', 'ジン']);
    expect(analyze('검색')).toEqual(['검색']);
  });

  it('keeps a lone CJK character as a unigram', () => {
    expect(analyze('日')).toEqual(['日']);
    expect(analyze('a 日 b')).toEqual(['日', 'b']);
  });

  it('finds a CJK word inside unspaced text because its bigrams are a subset', () => {
    const document = new Set(analyze('我们研究机器学习和搜索引擎'));
    for (const term of analyze('机器学习')) expect(document.has(term)).toBe(true);
    for (const term of analyze('搜索引擎')) expect(document.has(term)).toBe(true);
  });

  it('separates CJK runs from Latin words in mixed text', () => {
    expect(analyze('usearch索引library')).toEqual(['usearch', '索引', 'librari']);
  });

  it.each([
    '"unbalanced',
    'wing AND lift',
    '-drag',
    'turbul*',
    'NOT OR AND',
    '🚀✈️',
    '!!! ??? ...',
    '',
    '   ',
    '\u0000\uffff\ud800',
    'a'.repeat(10_000),
    '((((((((((',
    'title:"wing" OR body:[a TO z]',
  ])('never throws on the hostile query %j', (query) => {
    expect(() => analyze(query)).not.toThrow();
    expect(Array.isArray(analyze(query))).toBe(true);
  });

  it('treats query syntax as plain text', () => {
    expect(analyze('"wing" AND -lift*')).toEqual(['wing', 'lift']);
  });

  it('returns no terms for punctuation, emoji and stop words alone', () => {
    expect(analyze('?!… 🚀 — the of and')).toEqual([]);
  });

  it('drops tokens longer than 64 characters, which are not words', () => {
    expect(tokenize(`${'x'.repeat(65)} wing`)).toEqual(['wing']);
  });
});
