export { SEARCH_DEFAULTS, SearchIndex } from './search-index.js';
export type { FusionSettings, SearchIndexOptions, SearchOptions } from './search-index.js';
