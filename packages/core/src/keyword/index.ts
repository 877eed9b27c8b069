export { KeywordIndex } from './keyword-index.js';
export type { Bm25Options } from './keyword-index.js';
export { DEFAULT_FEEDBACK, expandQuery, searchWithFeedback } from './rm3.js';
export type { FeedbackOptions } from './rm3.js';
