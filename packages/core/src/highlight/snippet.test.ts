import { describe, expect, it } from 'vitest';
import { makeSnippet } from './snippet.js';
import { testAnalyze } from './test-support/test-analyzer.js';

const snippet = (text: string, query: string, maxChars?: number) =>
  makeSnippet(text, testAnalyze(query), testAnalyze, { maxChars });

const filler = (words: number) =>
  Array.from({ length: words }, (_, i) => ['granite', 'layer', 'survey', 'basin'][i % 4]).join(' ');

describe('makeSnippet', () => {
  it('escapes everything in the text so markup in a chunk comes out inert', () => {
    const text = `Report <script>alert(1)</script> & "quotes" 'here' <img src=x onerror=alert(2)>`;
    const { html } = snippet(text, 'alert');

    expect(html).not.toMatch(/<(?!\/?mark>)/);
    expect(html).toContain('&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;');
    expect(html).toContain('&amp; &quot;quotes&quot; &#39;here&#39;');
  });

  it('marks words whose stem matches a query term', () => {
    const { html, text } = snippet(
      'The wall cracks where cracking began; a crack is visible.',
      'crack',
    );

    expect(html).toBe(
      'The wall <mark>cracks</mark> where <mark>cracking</mark> began; ' +
        'a <mark>crack</mark> is visible.',
    );
    expect(text).toBe('The wall cracks where cracking began; a crack is visible.');
  });

  it('does not mark stop words that the analyzer drops from the query', () => {
    const { html } = snippet('The crack in the wall', 'the crack');

    expect(html).toBe('The <mark>crack</mark> in the wall');
  });

  it('centres the excerpt on the densest matches and cuts at word boundaries with ellipses', () => {
    const text = `${filler(80)} the quarry fault crosses the quarry floor ${filler(80)}`;
    const result = snippet(text, 'quarry fault', 100);

    expect(result.end - result.start).toBeLessThanOrEqual(100);
    expect(result.text.startsWith('…')).toBe(true);
    expect(result.text.endsWith('…')).toBe(true);
    expect(text[result.start - 1]).toBe(' ');
    expect(text[result.end]).toBe(' ');
    expect(result.html).toContain('<mark>quarry</mark> <mark>fault</mark> crosses');
    expect(result.text).toBe(`…${text.slice(result.start, result.end)}…`);
  });

  it('prefers a window covering more distinct query terms over repeats of one term', () => {
    const text = `basin basin basin basin ${filler(60)} the basin fault ${filler(60)}`;
    const result = snippet(text, 'basin fault', 60);

    expect(result.html).toContain('<mark>basin</mark> <mark>fault</mark>');
  });

  it('highlights exactly the CJK characters covered by a matching bigram', () => {
    const { html } = snippet('東京都の人口は多い。京都は古い都です。', '京都');

    expect(html).toBe('東<mark>京都</mark>の人口は多い。<mark>京都</mark>は古い都です。');
  });

  it('marks every repeat of a word, and Latin words inside and outside CJK runs alike', () => {
    const { html } = snippet('index 索引index, index and 索引', 'index 索引');

    expect(html).toBe(
      '<mark>index</mark> <mark>索引</mark><mark>index</mark>, <mark>index</mark> and ' +
        '<mark>索引</mark>',
    );
  });

  it('shows the leading excerpt when the query is empty', () => {
    const text = `  ${filler(100)}`;
    const result = snippet(text, '', 50);

    expect(result.start).toBe(2);
    expect(result.end - result.start).toBeLessThanOrEqual(50);
    expect(result.html).not.toContain('<mark>');
    expect(result.text).toBe(`${text.slice(result.start, result.end)}…`);
  });

  it('shows the leading excerpt when nothing in the text matches', () => {
    const result = snippet('Short text about granite.', 'volcano');

    expect(result).toEqual({
      html: 'Short text about granite.',
      text: 'Short text about granite.',
      start: 0,
      end: 25,
    });
  });

  it('collapses runs of whitespace and line breaks into single spaces', () => {
    const { html } = snippet('Line one\n\n   line\ttwo  crack', 'crack');

    expect(html).toBe('Line one line two <mark>crack</mark>');
  });

  it('cuts text without spaces inside the word rather than returning nothing', () => {
    const text = 'x'.repeat(1000);
    const result = snippet(text, 'anything', 240);

    expect(result.end - result.start).toBe(240);
    expect(result.text).toBe(`${'x'.repeat(240)}…`);
  });

  it('returns an empty snippet for empty text', () => {
    expect(snippet('', 'crack')).toEqual({ html: '', text: '', start: 0, end: 0 });
  });
});
