export { findMatches, type Analyze, type MatchRange } from './matches.js';
export {
  DEFAULT_SNIPPET_CHARS,
  makeSnippet,
  type Snippet,
  type SnippetOptions,
} from './snippet.js';
