import { describe, expect, test } from 'vitest';

import { extractHtml, looksLikeHtml } from './html.js';

describe('extractHtml', () => {
  test('script, style, noscript and template content is not text', () => {
    const { text } = extractHtml(
      '<html><head><style>.a{color:red}</style><script>var secret = 1;</script></head>' +
        '<body><p>Visible words</p><noscript>Enable scripts</noscript>' +
        '<template><p>later</p></template><script type="module">import x from "y"</script>' +
        '<svg><title>icon</title><style>path{fill:blue}</style></svg></body></html>',
    );
    expect(text).toBe('Visible words');
  });

  test('the title comes from <title>, and head content is not body text', () => {
    const document = extractHtml(
      '<!doctype html><html><head><title> Pump\n manual </title><meta name="x" content="y">' +
        '</head><body><h1>Priming</h1></body></html>',
    );
    expect(document).toEqual({ title: 'Pump manual', text: 'Priming' });
  });

  test('without a <title> the first heading names the page', () => {
    expect(extractHtml('<body><h1>Bleeding <em>air</em></h1><p>Text</p></body>').title).toBe(
      'Bleeding air',
    );
  });

  test('block elements become line breaks and paragraphs, inline ones do not', () => {
    const { text } = extractHtml(
      '<h2>Steps</h2><ul><li>Open <b>the</b> valve</li><li>Start</li></ul>' +
        '<p>Line one<br>Line two</p><div>A</div><div>B</div>' +
        '<table><tr><th>Part</th><th>Qty</th></tr><tr><td>Seal</td><td>2</td></tr></table>',
    );
    expect(text).toBe(
      'Steps\n\nOpen the valve\nStart\n\nLine one\nLine two\n\nA\nB\n\nPart Qty\nSeal 2',
    );
  });

  test('entities are decoded and markup in text stays inert text', () => {
    const { text } = extractHtml('<p>Fish &amp; chips &lt;b&gt; &eacute;t&#233; &#x2014; ok</p>');
    expect(text).toBe('Fish & chips <b> été — ok');
  });

  test('preformatted text keeps its line breaks', () => {
    expect(extractHtml('<pre>line 1\nline 2</pre>').text).toBe('line 1\nline 2');
  });
});

describe('looksLikeHtml', () => {
  test('accepts a doctype or html tag after an XML declaration or comments, not prose', () => {
    expect(looksLikeHtml('<!-- saved page -->\n<!DOCTYPE HTML PUBLIC "x">')).toBe(true);
    expect(looksLikeHtml('<body>')).toBe(true);
    expect(looksLikeHtml('The <html> tag starts a page.')).toBe(false);
    expect(looksLikeHtml('<?xml version="1.0"?><note/>')).toBe(false);
  });
});
