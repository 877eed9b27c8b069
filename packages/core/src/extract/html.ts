import { Parser } from 'htmlparser2';

import type { ExtractedDocument } from '../types.js';

/** Elements whose content is code, styling or inert markup, never text a reader sees. */
// SVG is mostly icons; its <title> and <style> children would otherwise leak into the text.
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg']);

/** Void elements are reported opened and closed at once; they break the line only once. */
const VOID_BREAKS = new Set(['br', 'hr']);

/** Elements that start a new paragraph: a blank line before and after. */
const PARAGRAPHS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl',
  'section', 'article', 'header', 'footer', 'nav', 'aside', 'main', 'figure', 'form',
  'fieldset', 'address', 'details', 'hr',
]); // prettier-ignore

/** Elements that start a new line. */
const LINES = new Set([
  'div', 'li', 'tr', 'br', 'dt', 'dd', 'figcaption', 'summary', 'legend', 'caption',
  'option', 'textarea',
]); // prettier-ignore

/** Table cells, which need a separator from their neighbour. */
const CELLS = new Set(['td', 'th']);

const NO_BREAK = 0;
/** What a pending break writes: nothing, a space (cells), a newline, a blank line. */
const BREAKS = ['', ' ', '\n', '\n\n'] as const;

/**
 * True when the text opens with HTML markup: a doctype or an `<html>`, `<head>` or
 * `<body>` tag, possibly after an XML declaration and comments (XHTML).
 */
export function looksLikeHtml(text: string): boolean {
  const head = text
    .slice(0, 4096)
    .replace(/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*/i, '')
    .toLowerCase();
  return /^<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/.test(head);
}

/**
 * The visible text of an HTML page. The title comes from `<title>` (else the first
 * `<h1>`); block elements become line breaks; entities are decoded. Script, style and
 * template content is dropped, so it is neither searchable nor shown in snippets.
 */
export function extractHtml(html: string): ExtractedDocument {
  const out: string[] = [];
  let hiddenDepth = 0;
  let headDepth = 0;
  let preDepth = 0;
  let title: string | undefined;
  let titleParts: string[] | undefined;
  let h1Parts: string[] | undefined;
  let firstH1: string | undefined;
  let pendingBreak = NO_BREAK;

  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hiddenDepth += 1;
        if (hiddenDepth > 0) return;
        if (name === 'head') headDepth += 1;
        if (name === 'title' && title === undefined) titleParts = [];
        if (name === 'h1' && firstH1 === undefined) h1Parts = [];
        if (name === 'pre') preDepth += 1;
        breakFor(name);
      },
      ontext(data) {
        if (hiddenDepth > 0) return;
        if (titleParts) titleParts.push(data);
        if (headDepth > 0 || titleParts) return;
        if (h1Parts) h1Parts.push(data);

        const piece = preDepth > 0 ? data : data.replace(/\s+/g, ' ');
        // Whitespace between tags must not turn a pending line break into a space.
        if (preDepth === 0 && piece === ' ') {
          if (pendingBreak === NO_BREAK) out.push(' ');
          return;
        }
        if (out.length > 0) out.push(BREAKS[pendingBreak] ?? '');
        pendingBreak = NO_BREAK;
        out.push(piece);
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) {
          hiddenDepth = Math.max(0, hiddenDepth - 1);
          return;
        }
        if (hiddenDepth > 0) return;
        if (name === 'head') headDepth = Math.max(0, headDepth - 1);
        if (name === 'title' && titleParts) {
          title = collapse(titleParts.join(''));
          titleParts = undefined;
        }
        if (name === 'h1' && h1Parts) {
          firstH1 = collapse(h1Parts.join(''));
          h1Parts = undefined;
        }
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (!VOID_BREAKS.has(name)) breakFor(name);
      },
    },
    { decodeEntities: true },
  );

  // Breaks wait until the next text, so `</li><li>` or `</p>\n<p>` give one break, the
  // strongest asked for, and none trail at the end.
  function breakFor(name: string): void {
    const wanted = PARAGRAPHS.has(name) ? 3 : LINES.has(name) ? 2 : CELLS.has(name) ? 1 : 0;
    pendingBreak = Math.max(pendingBreak, wanted);
  }

  parser.write(html);
  parser.end();

  const document: ExtractedDocument = { text: tidy(out.join('')) };
  const chosen = title || firstH1;
  if (chosen) document.title = chosen;
  return document;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Trims every line and keeps at most one blank line between paragraphs. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
